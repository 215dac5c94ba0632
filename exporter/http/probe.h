// `lagwatch --probe URL`: one HTTP GET to lagwatch's own port, for container health checks and
// exec probes in images that have no curl. Plain sockets, http:// only, loopback hosts only,
// one bounded deadline for resolve + connect + request + status line. The same client reads
// whole responses for `lagwatch describe` (http_get).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "error/result.h"

namespace lagwatch::http {

struct ProbeTarget {
  std::string host;  // as written, without brackets for IPv6
  std::string port;  // decimal
  std::string path;  // starts with '/'
};

// Parses http://HOST[:PORT][/PATH]; the port defaults to 80, the path to "/". Anything else
// (https, user info, empty host, bad port) is an error.
Result<ProbeTarget> parse_probe_url(std::string_view url);

struct ProbeResult {
  bool ok = false;    // a 2xx status line arrived in time
  int status = 0;     // HTTP status, 0 when none was read
  std::string error;  // why not ok; empty when ok
};

// GETs `url` and reads the status line. Fails when the host resolves to anything but loopback
// addresses, or when the whole exchange takes longer than `timeout`.
ProbeResult probe(std::string_view url, std::chrono::milliseconds timeout);

struct GetOptions {
  bool loopback_only = true;
  // Read the body too (the server closes the connection after it: HTTP/1.0), at most this many
  // bytes; 0: stop after the status line.
  size_t max_body_bytes = 0;
};

struct GetResult {
  int status = 0;     // HTTP status, 0 when none was read
  std::string body;   // with max_body_bytes > 0
  std::string error;  // why no status or body was read; empty otherwise (any status)
};

// One GET of `url` within `timeout` for the whole exchange.
GetResult http_get(std::string_view url, std::chrono::milliseconds timeout,
                   const GetOptions& options);

// The --probe command: probes with kProbeTimeout, prints one line (stdout when ok, stderr
// otherwise) and returns the process exit code: 0 for a 2xx status, 1 otherwise.
inline constexpr std::chrono::milliseconds kProbeTimeout{2000};
int probe_main(std::string_view url);

}  // namespace lagwatch::http
