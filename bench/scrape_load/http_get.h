#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace lagwatch::bench {

struct HttpTarget {
  std::string host;
  int port = 80;
  std::string path = "/";
};

// Plain http://HOST[:PORT][/PATH] only: the benchmark talks to a local daemon.
std::optional<HttpTarget> parse_http_url(const std::string& url, std::string& error);

struct HttpResponse {
  int status = 0;
  std::string content_encoding;
  bool chunked = false;
  std::string body;  // as received (still compressed / chunked)
  std::string error;
};

// One GET on a fresh connection (Connection: close), read to the end.
HttpResponse http_get(const HttpTarget& target, bool accept_gzip, int timeout_ms);

}  // namespace lagwatch::bench
