#pragma once
// A raw HTTP/1.1 client for the server tests: loopback sockets, exact bytes, bounded waits
// (every read gives up after 5 s).

#include <string>
#include <string_view>

namespace lagwatch::http::testing {

// A connected socket to 127.0.0.1:port, or -1.
int connect_to(int port);
bool send_all(int fd, std::string_view bytes);

// Reads until the server closes the connection or 5 s pass without a byte.
struct Received {
  std::string bytes;
  bool closed = false;  // the server closed the connection (not a timeout)
};
Received read_until_closed(int fd);

// Reads the responses of one connection one at a time (status line, headers, Content-Length
// body; no body for HEAD). Bytes after a response are kept for the next one (pipelining).
class ResponseReader {
 public:
  explicit ResponseReader(int fd) : fd_(fd) {}
  // Empty when the connection ends first or a read times out.
  std::string next(bool head = false);

 private:
  bool fill();
  int fd_;
  std::string pending_;
};

// One request on a new connection: `head` (request line and any headers), then Host and
// Connection: close. Returns everything the server sent.
std::string request(int port, const std::string& head);

std::string body_of(const std::string& response);
// The value of the first header `name` (exact case), or "<missing>".
std::string header_value(const std::string& response, const std::string& name);
// The status code of a response, or 0 when it does not start with a status line.
int status_of(const std::string& response);

}  // namespace lagwatch::http::testing
