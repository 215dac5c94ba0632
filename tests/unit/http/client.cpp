#include "client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>

namespace lagwatch::http::testing {

int connect_to(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval timeout{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

bool send_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

Received read_until_closed(int fd) {
  Received received;
  char buffer[65536];
  for (int i = 0; i < 100000; ++i) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n == 0) {
      received.closed = true;
      break;
    }
    if (n < 0) {
      // A reset is the server closing too.
      received.closed = errno == ECONNRESET;
      break;
    }
    received.bytes.append(buffer, static_cast<size_t>(n));
  }
  return received;
}

bool ResponseReader::fill() {
  char buffer[65536];
  const ssize_t n = read(fd_, buffer, sizeof buffer);
  if (n <= 0) return false;
  pending_.append(buffer, static_cast<size_t>(n));
  return true;
}

std::string ResponseReader::next(bool head) {
  size_t end = std::string::npos;
  while ((end = pending_.find("\r\n\r\n")) == std::string::npos) {
    if (!fill()) return "";
  }
  const std::string length = header_value(pending_.substr(0, end + 2), "Content-Length");
  const size_t body =
      head || length == "<missing>" ? 0 : std::strtoull(length.c_str(), nullptr, 10);
  while (pending_.size() < end + 4 + body) {
    if (!fill()) return "";
  }
  std::string response = pending_.substr(0, end + 4 + body);
  pending_.erase(0, end + 4 + body);
  return response;
}

std::string request(int port, const std::string& head) {
  const int fd = connect_to(port);
  if (fd < 0) return "<connect failed>";
  send_all(fd, head + "Host: localhost\r\nConnection: close\r\n\r\n");
  std::string response = read_until_closed(fd).bytes;
  close(fd);
  return response;
}

std::string body_of(const std::string& response) {
  const size_t at = response.find("\r\n\r\n");
  return at == std::string::npos ? "" : response.substr(at + 4);
}

std::string header_value(const std::string& response, const std::string& name) {
  const size_t at = response.find("\r\n" + name + ": ");
  if (at == std::string::npos) return "<missing>";
  const size_t from = at + name.size() + 4;
  return response.substr(from, response.find("\r\n", from) - from);
}

int status_of(const std::string& response) {
  if (!response.starts_with("HTTP/1.1 ") && !response.starts_with("HTTP/1.0 ")) return 0;
  if (response.size() < 13 || response[12] != ' ') return 0;
  return std::atoi(response.substr(9, 3).c_str());
}

}  // namespace lagwatch::http::testing
