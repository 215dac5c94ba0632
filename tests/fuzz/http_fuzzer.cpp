// libFuzzer entry point for the request decisions lagwatch makes itself: the endpoint of a
// request target, the coding of an Accept-Encoding value and the credentials of an Authorization
// value. Input: the target, a NUL byte, the
// header value (no NUL: the whole input is both). Besides never crashing, the answers must keep
// their promises, checked here on every input.
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
  // Exactly the documented paths, nothing that merely starts like one.
  const bool documented =
      path == "/metrics" || path == "/healthz" || path == "/readyz" || path == "/";
  check((found != Route::kNotFound) == documented);
  check(found != Route::kMetrics || path == "/metrics");
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
