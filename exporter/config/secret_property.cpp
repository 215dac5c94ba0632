#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

#include "config/config.h"

namespace lagwatch::config {
namespace {

// Substrings of librdkafka property names whose values are credentials: passwords
// (sasl.password, ssl.key.password, ssl.keystore.password), private keys (ssl.key.pem,
// ssl.key.location), keystores, JAAS configs and OAUTHBEARER client secrets / configs (the
// latter can carry tokens).
constexpr std::array<std::string_view, 7> kSecretMarkers = {
    "password",     "secret",   "sasl.jaas.config",        "ssl.key.pem",
    "ssl.keystore", "ssl.key.", "sasl.oauthbearer.config",
};

}  // namespace

bool is_secret_property(const std::string& name) {
  // Property names are lower case in librdkafka, but a differently cased name must not slip by.
  std::string lowered = name;
  std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::any_of(kSecretMarkers.begin(), kSecretMarkers.end(), [&](std::string_view marker) {
    return lowered.find(marker) != std::string::npos;
  });
}

}  // namespace lagwatch::config
