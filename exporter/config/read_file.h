#pragma once
// Internal to the config module: reads a whole, bounded file.

#include <cstddef>
#include <optional>
#include <string>

namespace lagwatch::config::detail {

enum class FileKind {
  kAny,      // whatever open() and read() accept, e.g. a pipe from process substitution
  kRegular,  // a regular file (or a symlink to one); anything else is refused without blocking
};

// Reads at most `max_bytes`. Returns why it could not (strerror-like text, "larger than N bytes",
// "not a regular file (a FIFO)"), or std::nullopt on success with the contents in `out`. The
// reason never contains file contents.
std::optional<std::string> read_whole_file(const std::string& path, std::size_t max_bytes,
                                           std::string& out, FileKind kind = FileKind::kAny);

}  // namespace lagwatch::config::detail
