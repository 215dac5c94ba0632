#pragma once
// The parts of request handling that lagwatch decides itself, as pure functions: which endpoint a
// request target names and which content coding a client accepts. The server feeds them the raw
// bytes of the request (nothing decoded), so what they say is what is served.

#include <optional>
#include <string>
#include <string_view>

namespace lagwatch::http {

enum class Route {
  kMetrics,
  kHealthz,
  kReadyz,
  kRoot,
  kApiClusters,
  kApiGroups,
  kApiGroup,  // /api/v1/groups/{cluster}/{group}: see group_target()
  kNotFound
};

// The endpoint of a request target ("/metrics", "/metrics?x=1"): the path must be exactly one
// of the documented ones, byte for byte, so "/metrics/", "/metricsfoo" and "/metrics%00.html"
// are kNotFound; kApiGroup is any path under "/api/v1/groups/". The query, if any, is ignored.
Route route(std::string_view target);

// The cluster and group that a kApiGroup target names: exactly two non-empty path segments
// after "/api/v1/groups/", each percent-decoded on its own (so a '/' in a name is "%2F"; '+' is
// itself). nullopt for any other shape or a malformed escape.
struct GroupTarget {
  std::string cluster;
  std::string group;
};
std::optional<GroupTarget> group_target(std::string_view target);

// RFC 3986 percent-decoding of a path segment; nullopt for '%' not followed by two hex digits.
std::optional<std::string> percent_decode(std::string_view text);
// Every byte but the unreserved ones (A-Z a-z 0-9 - . _ ~) as %XX: any bytes make one segment.
std::string percent_encode(std::string_view text);

// GET and HEAD are served; every other method gets 405 (methods are case-sensitive).
bool method_allowed(std::string_view method);
// The Allow header of a 405.
inline constexpr std::string_view kAllowedMethods = "GET, HEAD";

enum class Coding { kIdentity, kGzip };

// The coding to send for an Accept-Encoding field value, per RFC 9110 section 12.5.3: a list of
// codings (case-insensitive tokens, "x-gzip" meaning gzip) with optional q-values; "*" stands for
// every coding not listed; identity is acceptable unless refused by "identity;q=0" or by "*;q=0"
// without identity listed. gzip is chosen when it is acceptable and weighted at least as high as
// identity (an identity not listed, itself or through "*", is preferred least). A coding listed
// twice takes its lower weight. An element that does not parse is ignored. When nothing is
// acceptable, identity is sent anyway (the RFC allows ignoring the field rather than answering
// 406). `present` is false when the request has no Accept-Encoding field: identity.
Coding negotiate_coding(std::string_view accept_encoding, bool present = true);

// The user and password of an Authorization field value with the Basic scheme (RFC 7617): the
// scheme name in any case, spaces, then standard base64 with its padding, decoding to
// "user:password" (split at the first colon). nullopt for any other scheme or a malformed value.
struct BasicCredentials {
  std::string user;
  std::string password;
};
std::optional<BasicCredentials> parse_basic_authorization(std::string_view value);

}  // namespace lagwatch::http
