#include "config/read_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace lagwatch::config {
namespace {

std::string errno_text(int error) { return std::generic_category().message(error); }

class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

std::string_view kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  return "not a plain file";
}

std::string too_large(std::size_t max_bytes) {
  return "larger than " + std::to_string(max_bytes) + " bytes";
}

}  // namespace

std::optional<std::string> read_whole_file(const std::string& path, std::size_t max_bytes,
                                           std::string& out, FileKind kind) {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer. It has no effect on
  // regular files, the only kind read when it is set.
  const int flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | (kind == FileKind::kRegular ? O_NONBLOCK : 0);
  const Descriptor file(::open(path.c_str(), flags));
  if (file.get() < 0) {
    return errno_text(errno);
  }
  struct stat status {};
  if (::fstat(file.get(), &status) != 0) {
    return errno_text(errno);
  }
  if (kind == FileKind::kRegular && !S_ISREG(status.st_mode)) {
    return "not a regular file (" + std::string(kind_of(status.st_mode)) + ")";
  }
  if (S_ISREG(status.st_mode) && static_cast<std::size_t>(status.st_size) > max_bytes) {
    return too_large(max_bytes);
  }
  // The size may change while reading: the cap is enforced on what is read, too.
  std::string contents;
  char buffer[8192];
  while (true) {
    const ssize_t got = ::read(file.get(), buffer, sizeof buffer);
    if (got < 0) {
      if (errno == EINTR) continue;
      return errno_text(errno);
    }
    if (got == 0) break;
    contents.append(buffer, static_cast<std::size_t>(got));
    if (contents.size() > max_bytes) {
      return too_large(max_bytes);
    }
  }
  out = std::move(contents);
  return std::nullopt;
}

}  // namespace lagwatch::config
