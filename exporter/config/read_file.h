#pragma once
// Internal to the config module: reads a whole, bounded file.

#include <cstddef>
#include <optional>
#include <string>

namespace lagwatch::config::detail {

// Reads at most `max_bytes`. Returns why it could not (strerror-like text, "larger than N bytes"),
// or std::nullopt on success with the contents in `out`. The reason never contains file contents.
std::optional<std::string> read_whole_file(const std::string& path, std::size_t max_bytes,
                                           std::string& out);

}  // namespace lagwatch::config::detail
