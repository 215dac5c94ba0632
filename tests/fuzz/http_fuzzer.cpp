// libFuzzer entry point for the request decisions lagwatch makes itself: the endpoint of a
// request target (and the cluster and group of an API one), the coding of an Accept-Encoding value
// and the credentials of an Authorization value. Input: the target, a NUL byte, the header value
// (no NUL: the whole input is both). Besides never crashing, the answers must keep their promises,
// checked here on every input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "http/request.h"

namespace {

using lagwatch::http::Coding;
using lagwatch::http::Route;

void check(bool promise) {
  if (!promise) std::abort();
}

void check_route(std::string_view target) {
  const Route found = lagwatch::http::route(target);
  const std::string_view path = target.substr(0, target.find('?'));
  // Exactly the documented paths, nothing that merely starts like one; under
  // /api/v1/groups/ the group lookup decides.
  const bool group_path = path.starts_with("/api/v1/groups/");
  const bool documented = path == "/metrics" || path == "/healthz" || path == "/readyz" ||
                          path == "/" || path == "/api/v1/clusters" || path == "/api/v1/groups" ||
                          group_path;
  check((found != Route::kNotFound) == documented);
  check(found != Route::kMetrics || path == "/metrics");
  check((found == Route::kApiGroup) == group_path);
  // A group target names what its re-encoded parts name.
  if (const auto named = lagwatch::http::group_target(target)) {
    check(group_path && !named->cluster.empty() && !named->group.empty());
    const auto again = lagwatch::http::group_target(
        "/api/v1/groups/" + lagwatch::http::percent_encode(named->cluster) + "/" +
        lagwatch::http::percent_encode(named->group));
    check(again && again->cluster == named->cluster && again->group == named->group);
  }
}

void check_coding(std::string_view value) {
  const Coding coding = lagwatch::http::negotiate_coding(value);
  (void)coding;
  // A refusal of gzip added anywhere wins over whatever else the value says.
  check(lagwatch::http::negotiate_coding(std::string(value) + ",gzip;q=0") == Coding::kIdentity);
  check(lagwatch::http::negotiate_coding("x-gzip;q=0," + std::string(value)) == Coding::kIdentity);
  // Without the field nothing is compressed.
  check(lagwatch::http::negotiate_coding(value, false) == Coding::kIdentity);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t split = input.find('\0');
  const std::string_view target = input.substr(0, split);
  const std::string_view value = split == std::string_view::npos ? input : input.substr(split + 1);
  check_route(target);
  check_coding(value);
  // Basic credentials split at the first colon: none is left in the user name.
  if (const auto credentials = lagwatch::http::parse_basic_authorization(value)) {
    check(credentials->user.find(':') == std::string::npos);
  }
  return 0;
}
