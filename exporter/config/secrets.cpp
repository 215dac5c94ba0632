// Secrets: which librdkafka properties hold one, and reading them from the environment or a file.

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <string_view>

#include "config/config.h"
#include "config/read_file.h"
#include "config/secret_source.h"

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

// Large enough for any key, keystore or CA bundle; small enough that a wrong path (a log file)
// fails fast instead of filling memory. Stated in README.md and config/lagwatch.example.toml.
constexpr std::size_t kMaxSecretFileBytes = 1024 * 1024;

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

namespace detail {

std::optional<std::string> read_secret_from_env(const std::string& variable, std::string& problem) {
  const char* value = std::getenv(variable.c_str());
  if (value == nullptr) {
    problem = "environment variable " + variable + " is not set";
    return std::nullopt;
  }
  // An empty credential is almost always a secret that was not mounted or exported.
  if (*value == '\0') {
    problem = "environment variable " + variable + " is empty";
    return std::nullopt;
  }
  return std::string(value);
}

std::optional<std::string> read_secret_from_file(const std::string& path, std::string& problem) {
  std::string contents;
  if (auto reason = config::read_whole_file(path, kMaxSecretFileBytes, contents,
                                            config::FileKind::kRegular)) {
    problem = "cannot read file \"" + path + "\": " + *reason;
    return std::nullopt;
  }
  // Editors and `echo` add a final newline that is never part of the secret.
  while (!contents.empty() && (contents.back() == '\n' || contents.back() == '\r')) {
    contents.pop_back();
  }
  return contents;
}

}  // namespace detail
}  // namespace lagwatch::config
