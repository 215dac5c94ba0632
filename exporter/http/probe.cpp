#include "http/probe.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>

namespace lagwatch::http {
namespace {

using Clock = std::chrono::steady_clock;

class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

bool is_loopback(const sockaddr* address) {
  if (address->sa_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(address);
    return (ntohl(v4->sin_addr.s_addr) >> 24) == 127;
  }
  if (address->sa_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(address);
    return IN6_IS_ADDR_LOOPBACK(&v6->sin6_addr) != 0;
  }
  return false;
}

// Milliseconds left until `deadline`, at least 0.
int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

// Waits for `events` on `fd` until the deadline; false on timeout or error.
bool wait_for(int fd, short events, Clock::time_point deadline) {
  pollfd entry{fd, events, 0};
  for (;;) {
    const int ready = ::poll(&entry, 1, remaining_ms(deadline));
    if (ready > 0) return true;
    if (ready == 0) return false;
    if (errno != EINTR) return false;
  }
}

std::string errno_text(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

// Connects a non-blocking socket to `address` before the deadline; -1 with `error` otherwise.
int connect_before(const addrinfo& address, Clock::time_point deadline, std::string& error) {
  const int fd = ::socket(address.ai_family, address.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                          address.ai_protocol);
  if (fd < 0) {
    error = errno_text("socket");
    return -1;
  }
  if (::connect(fd, address.ai_addr, address.ai_addrlen) == 0) return fd;
  if (errno != EINPROGRESS) {
    error = errno_text("connect");
    ::close(fd);
    return -1;
  }
  if (!wait_for(fd, POLLOUT, deadline)) {
    error = "connect: timed out";
    ::close(fd);
    return -1;
  }
  int so_error = 0;
  socklen_t length = sizeof(so_error);
  if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &length) != 0 || so_error != 0) {
    error = std::string("connect: ") + std::strerror(so_error != 0 ? so_error : errno);
    ::close(fd);
    return -1;
  }
  return fd;
}

bool send_all(int fd, std::string_view data, Clock::time_point deadline, std::string& error) {
  while (!data.empty()) {
    const ssize_t sent = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (sent > 0) {
      data.remove_prefix(static_cast<size_t>(sent));
    } else if (sent < 0 && errno == EINTR) {
      continue;
    } else if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!wait_for(fd, POLLOUT, deadline)) {
        error = "send: timed out";
        return false;
      }
    } else {
      error = errno_text("send");
      return false;
    }
  }
  return true;
}

// Reads the response until the end of its status line, or with `max_body_bytes` until the
// server closes the connection; the status code (0 with `error` on failure) and the body.
int read_response(int fd, Clock::time_point deadline, size_t max_body_bytes, std::string& body,
                  std::string& error) {
  constexpr size_t kMaxStatusLine = 1024;
  constexpr size_t kMaxHead = 64 * 1024;
  std::string data;
  char buffer[16384];
  const auto done = [&] {
    if (max_body_bytes == 0) {
      return data.find("\r\n") != std::string::npos || data.size() >= kMaxStatusLine;
    }
    return false;  // until the end of the connection
  };
  bool closed = false;
  while (!done()) {
    if (!wait_for(fd, POLLIN, deadline)) {
      error = "no response in time";
      return 0;
    }
    const ssize_t got = ::recv(fd, buffer, sizeof(buffer), 0);
    if (got > 0) {
      data.append(buffer, static_cast<size_t>(got));
      if (max_body_bytes > 0 && data.size() > kMaxHead + max_body_bytes) {
        error = "response larger than " + std::to_string(max_body_bytes) + " bytes";
        return 0;
      }
    } else if (got == 0) {
      closed = true;
      break;
    } else if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) {
      error = errno_text("recv");
      return 0;
    }
  }
  // "HTTP/1.x NNN reason"
  const auto space = data.find(' ');
  if (data.rfind("HTTP/1.", 0) != 0 || space == std::string::npos || data.size() < space + 4) {
    error = "not an HTTP response";
    return 0;
  }
  int status = 0;
  const char* begin = data.data() + space + 1;
  const auto [end, ec] = std::from_chars(begin, begin + 3, status);
  if (ec != std::errc() || end != begin + 3 || status < 100 || status > 599) {
    error = "not an HTTP response";
    return 0;
  }
  if (max_body_bytes > 0) {
    const auto head_end = data.find("\r\n\r\n");
    if (!closed || head_end == std::string::npos) {
      error = "incomplete HTTP response";
      return 0;
    }
    body = data.substr(head_end + 4);
  }
  return status;
}

}  // namespace

Result<ProbeTarget> parse_probe_url(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  if (url.substr(0, kScheme.size()) != kScheme) {
    return Error{0, "only http:// URLs are supported"};
  }
  std::string_view rest = url.substr(kScheme.size());
  const auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  ProbeTarget target;
  target.path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (authority.find('@') != std::string_view::npos) {
    return Error{0, "user info is not supported"};
  }
  std::string_view port = "80";
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) {
      return Error{0, "unterminated IPv6 address"};
    }
    target.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        return Error{0, "garbage after the IPv6 address"};
      }
      port = after.substr(1);
    }
  } else {
    const auto colon = authority.rfind(':');
    target.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (target.host.empty()) {
    return Error{0, "no host"};
  }
  int number = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || number < 1 ||
      number > 65535) {
    return Error{0, "bad port \"" + std::string(port) + "\""};
  }
  target.port = std::to_string(number);
  for (const char c : target.path) {
    if (c == '\r' || c == '\n' || c == ' ') {
      return Error{0, "the path may not contain spaces or line breaks"};
    }
  }
  return target;
}

GetResult http_get(std::string_view url, std::chrono::milliseconds timeout,
                   const GetOptions& options) {
  GetResult result;
  const auto deadline = Clock::now() + timeout;
  const auto target = parse_probe_url(url);
  if (!target) {
    result.error = target.error().message;
    return result;
  }

  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (const int rc = ::getaddrinfo(target->host.c_str(), target->port.c_str(), &hints, &found);
      rc != 0) {
    result.error = "cannot resolve " + target->host + ": " + ::gai_strerror(rc);
    return result;
  }
  bool all_loopback = true;
  for (const addrinfo* address = found; address != nullptr; address = address->ai_next) {
    all_loopback = all_loopback && (!options.loopback_only || is_loopback(address->ai_addr));
  }
  int fd = -1;
  std::string connect_error = target->host + " is not a loopback address";
  for (const addrinfo* address = found; all_loopback && address != nullptr && fd < 0;
       address = address->ai_next) {
    fd = connect_before(*address, deadline, connect_error);
  }
  ::freeaddrinfo(found);
  if (fd < 0) {
    result.error = connect_error;
    return result;
  }
  Socket socket(fd);
  const std::string host_header =
      target->host.find(':') != std::string::npos ? "[" + target->host + "]" : target->host;
  const std::string request = "GET " + target->path + " HTTP/1.0\r\nHost: " + host_header + ":" +
                              target->port +
                              "\r\nUser-Agent: lagwatch-probe\r\nConnection: close\r\n\r\n";
  if (!send_all(socket.get(), request, deadline, result.error)) return result;
  result.status =
      read_response(socket.get(), deadline, options.max_body_bytes, result.body, result.error);
  return result;
}

ProbeResult probe(std::string_view url, std::chrono::milliseconds timeout) {
  GetResult got = http_get(url, timeout, GetOptions{});
  ProbeResult result{.ok = false, .status = got.status, .error = std::move(got.error)};
  if (result.status == 0) return result;
  result.ok = result.status >= 200 && result.status <= 299;
  if (!result.ok) result.error = "HTTP status " + std::to_string(result.status);
  return result;
}

int probe_main(std::string_view url) {
  const ProbeResult result = probe(url, kProbeTimeout);
  const std::string shown(url);
  if (result.ok) {
    std::printf("lagwatch probe: %s: HTTP %d\n", shown.c_str(), result.status);
    return 0;
  }
  std::fprintf(stderr, "lagwatch probe: %s: %s\n", shown.c_str(), result.error.c_str());
  return 1;
}

}  // namespace lagwatch::http
