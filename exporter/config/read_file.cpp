#include "config/read_file.h"

#include <cerrno>
#include <cstdio>
#include <memory>
#include <system_error>

namespace lagwatch::config::detail {
namespace {

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};

std::string errno_text(int error) { return std::generic_category().message(error); }

}  // namespace

std::optional<std::string> read_whole_file(const std::string& path, std::size_t max_bytes,
                                           std::string& out) {
  // stdio rather than iostreams: it reports errno, and opening a directory fails on the first
  // read with EISDIR instead of yielding an empty "file".
  errno = 0;
  const std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) {
    return errno_text(errno);
  }
  std::string contents;
  char buffer[8192];
  while (true) {
    const std::size_t got = std::fread(buffer, 1, sizeof buffer, file.get());
    contents.append(buffer, got);
    if (contents.size() > max_bytes) {
      return "larger than " + std::to_string(max_bytes) + " bytes";
    }
    if (got < sizeof buffer) {
      if (std::ferror(file.get())) {
        return errno_text(errno);
      }
      break;
    }
  }
  out = std::move(contents);
  return std::nullopt;
}

}  // namespace lagwatch::config::detail
