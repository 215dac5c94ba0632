#pragma once
// Internal to the config module: resolves { env = "NAME" } and { file = "PATH" } references.
// The returned problem texts name the variable or the path, never a value.

#include <optional>
#include <string>

namespace lagwatch::config::detail {

// The variable's value, or in `problem` why there is none (unset or empty).
std::optional<std::string> read_secret_from_env(const std::string& variable, std::string& problem);
// The file's contents without trailing newlines, or in `problem` why it cannot be read.
std::optional<std::string> read_secret_from_file(const std::string& path, std::string& problem);

}  // namespace lagwatch::config::detail
