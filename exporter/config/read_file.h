#pragma once
// Reads a whole, bounded file: the config file, its secret files, and the endpoint's TLS files.
// A path that names a FIFO or a device is refused, never waited on.

#include <cstddef>
#include <optional>
#include <string>

namespace lagwatch::config {

enum class FileKind {
  kAny,      // whatever open() and read() accept, e.g. a pipe from process substitution
  kRegular,  // a regular file (or a symlink to one); anything else is refused without blocking
};

// Reads at most `max_bytes`. Returns why it could not (strerror-like text, "larger than N bytes",
// "not a regular file (a FIFO)"), or std::nullopt on success with the contents in `out`. The
// reason never contains file contents.
std::optional<std::string> read_whole_file(const std::string& path, std::size_t max_bytes,
                                           std::string& out, FileKind kind = FileKind::kAny);

}  // namespace lagwatch::config
