#include "scrape_load/http_get.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>

namespace lagwatch::bench {

namespace {

class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  int fd() const { return fd_; }

 private:
  int fd_;
};

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool send_all(int fd, const std::string& data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

void parse_head(const std::string& head, HttpResponse& response) {
  // "HTTP/1.1 200 OK"
  auto space = head.find(' ');
  if (space != std::string::npos) {
    std::from_chars(head.data() + space + 1, head.data() + head.size(), response.status);
  }
  std::size_t line_start = head.find("\r\n");
  while (line_start != std::string::npos && line_start + 2 < head.size()) {
    std::size_t line_end = head.find("\r\n", line_start + 2);
    std::string line = head.substr(line_start + 2, line_end - line_start - 2);
    auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = lower(line.substr(0, colon));
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      if (name == "content-encoding") response.content_encoding = lower(value);
      if (name == "transfer-encoding" && lower(value).find("chunked") != std::string::npos) {
        response.chunked = true;
      }
    }
    line_start = line_end;
  }
}

}  // namespace

std::optional<HttpTarget> parse_http_url(const std::string& url, std::string& error) {
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0) {
    error = "only http:// URLs are supported: " + url;
    return std::nullopt;
  }
  HttpTarget target;
  std::string rest = url.substr(scheme.size());
  auto slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  target.path = slash == std::string::npos ? "/" : rest.substr(slash);
  auto colon = authority.rfind(':');
  target.host = authority.substr(0, colon);
  if (colon != std::string::npos) {
    const char* begin = authority.data() + colon + 1;
    const char* end = authority.data() + authority.size();
    auto [ptr, ec] = std::from_chars(begin, end, target.port);
    if (ec != std::errc() || ptr != end || target.port <= 0 || target.port > 65535) {
      error = "bad port in " + url;
      return std::nullopt;
    }
  }
  if (target.host.empty()) {
    error = "no host in " + url;
    return std::nullopt;
  }
  return target;
}

HttpResponse http_get(const HttpTarget& target, bool accept_gzip, int timeout_ms) {
  HttpResponse response;
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  std::string port = std::to_string(target.port);
  if (int rc = ::getaddrinfo(target.host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    response.error = std::string("resolve: ") + ::gai_strerror(rc);
    return response;
  }
  Socket socket(::socket(found->ai_family, found->ai_socktype, found->ai_protocol));
  timeval timeout{timeout_ms / 1000, static_cast<suseconds_t>((timeout_ms % 1000) * 1000)};
  ::setsockopt(socket.fd(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  ::setsockopt(socket.fd(), SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
  int connected = ::connect(socket.fd(), found->ai_addr, found->ai_addrlen);
  ::freeaddrinfo(found);
  if (socket.fd() < 0 || connected != 0) {
    response.error = std::string("connect: ") + std::strerror(errno);
    return response;
  }
  std::string request = "GET " + target.path + " HTTP/1.1\r\nHost: " + target.host + ":" + port +
                        "\r\nConnection: close\r\n" +
                        (accept_gzip ? "Accept-Encoding: gzip\r\n" : "") + "\r\n";
  if (!send_all(socket.fd(), request)) {
    response.error = std::string("send: ") + std::strerror(errno);
    return response;
  }
  std::string received;
  received.reserve(1 << 20);
  char buffer[1 << 16];
  while (true) {
    ssize_t n = ::recv(socket.fd(), buffer, sizeof(buffer), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      response.error = std::string("recv: ") + std::strerror(errno);
      return response;
    }
    if (n == 0) break;
    received.append(buffer, static_cast<std::size_t>(n));
  }
  auto head_end = received.find("\r\n\r\n");
  if (head_end == std::string::npos) {
    response.error = "no complete HTTP header";
    return response;
  }
  parse_head(received.substr(0, head_end), response);
  response.body = received.substr(head_end + 4);
  return response;
}

}  // namespace lagwatch::bench
