#include "kafka/internal/connection_error.h"

#include <openssl/x509_vfy.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <utility>

#include "kafka/internal/conf.h"

namespace lagwatch::kafka::detail {
namespace {

// A kept line is shown on the landing page: long enough for librdkafka's explanation, bounded.
constexpr size_t kMaxLineBytes = 400;
// librdkafka's notice level and below (more severe); debug lines are never a cause.
constexpr int kMaxLevel = 5;

bool contains_nocase(std::string_view text, std::string_view needle) {
  return std::search(text.begin(), text.end(), needle.begin(), needle.end(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) ==
                  std::tolower(static_cast<unsigned char>(b));
         }) != text.end();
}

// First match wins: a hostname mismatch is also a failed certificate verification.
struct Rule {
  std::string_view needle;
  std::string_view kind;
};
constexpr std::array<Rule, 12> kRules{{
    {"hostname mismatch", "hostname mismatch"},
    {"certificate verify failed", "certificate verify failed"},
    {"Failed to resolve", "name resolution failed"},
    {"SASL authentication error", "authentication failed"},
    {"Authentication failed", "authentication failed"},
    {"SASL SCRAM", "authentication failed"},
    // Kerberos: kinit got no ticket from the keytab, so GSSAPI has no credentials.
    {"GSSAPI Error", "authentication failed"},
    {"Kerberos ticket refresh failed", "authentication failed"},
    {"OIDC", "token retrieval failed"},
    {"OAUTHBEARER", "token retrieval failed"},
    {"SSL handshake failed", "TLS handshake failed"},
    {"Connection refused", "connection refused"},
}};

// librdkafka's line without what changes from one repetition to the next (the thread name in
// front, the count of suppressed repetitions), so the same cause reads the same every poll.
std::string stable_text(std::string_view message) {
  constexpr std::string_view kThread = "[thrd:";
  if (message.starts_with(kThread)) {
    if (const auto end = message.find("]: "); end != std::string_view::npos) {
      message.remove_prefix(end + 3);
    }
  }
  std::string text(message);
  constexpr std::string_view kSuppressed = " identical error(s) suppressed";
  if (const auto at = text.find(kSuppressed); at != std::string::npos) {
    size_t from = at;
    while (from > 0 && std::isdigit(static_cast<unsigned char>(text[from - 1]))) --from;
    if (from >= 2 && text.compare(from - 2, 2, ", ") == 0) from -= 2;
    text.erase(from, at + kSuppressed.size() - from);
  }
  // "(after 352ms in state AUTH_REQ)": the state stays, the time goes.
  constexpr std::string_view kAfter = "(after ", kInState = "ms in state ";
  if (const auto at = text.find(kAfter); at != std::string::npos) {
    if (const auto state = text.find(kInState, at); state != std::string::npos) {
      text.erase(at + 1, state + 3 - (at + 1));
    }
  }
  return text;
}

void log_callback(const rd_kafka_t* rk, int level, const char* facility, const char* message) {
  const auto* hooks = static_cast<const HandleHooks*>(rd_kafka_opaque(rk));
  ConnectionErrors* errors = hooks != nullptr ? hooks->errors : nullptr;
  if (errors == nullptr) {
    forward_log(rk, level, facility, message);
    return;
  }
  errors->observe(level, facility, message);
  forward_log(rk, level, facility, errors->mask(message).c_str());
}

// What OpenSSL's verification said about one certificate of the broker's chain; librdkafka's own
// line says only "certificate verify failed".
std::string_view verify_error_text(int x509_error) {
  switch (x509_error) {
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
      return "hostname mismatch";
    case X509_V_ERR_CERT_HAS_EXPIRED:
      return "certificate verify failed: certificate has expired";
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return "certificate verify failed: certificate is not yet valid";
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
      return "certificate verify failed: issuer not trusted (check ssl.ca.location)";
    default:
      return "certificate verify failed";
  }
}

// Keeps OpenSSL's verdict unchanged; only remembers why a certificate was refused.
int verify_callback(rd_kafka_t* /*rk*/, const char* broker_name, int32_t /*broker_id*/,
                    int* x509_error, int depth, const char* /*buf*/, size_t /*size*/, char* errstr,
                    size_t errstr_size, void* opaque) {
  if (*x509_error == 0) return 1;
  const std::string_view text = verify_error_text(*x509_error);
  std::snprintf(errstr, errstr_size, "%.*s (X509 error %d)", static_cast<int>(text.size()),
                text.data(), *x509_error);
  const auto* hooks = static_cast<const HandleHooks*>(opaque);
  if (auto* errors = hooks != nullptr ? hooks->errors : nullptr) {
    errors->refused_certificate(std::string(text) + " (X509 error " + std::to_string(*x509_error) +
                                ", certificate depth " + std::to_string(depth) + " of " +
                                (broker_name ? broker_name : "?") + ")");
  }
  return 0;
}

}  // namespace

std::optional<std::string_view> connection_failure_kind(std::string_view message) {
  for (const auto& rule : kRules) {
    if (contains_nocase(message, rule.needle)) return rule.kind;
  }
  return std::nullopt;
}

ConnectionErrors::ConnectionErrors(std::vector<std::string> secrets)
    : secrets_(std::move(secrets)) {
  std::erase_if(secrets_, [](const std::string& s) { return s.empty(); });
}

void ConnectionErrors::attach(rd_kafka_conf_t* conf, HandleHooks& hooks) {
  hooks.errors = this;
  rd_kafka_conf_set_opaque(conf, &hooks);
  rd_kafka_conf_set_log_cb(conf, log_callback);
  // Without TLS support in the build the callback is simply not used.
  rd_kafka_conf_set_ssl_cert_verify_cb(conf, verify_callback);
}

void ConnectionErrors::refused_certificate(std::string why) {
  const std::scoped_lock lock(mutex_);
  refused_certificate_ = std::move(why);
}

void ConnectionErrors::observe(int level, std::string_view /*facility*/, std::string_view message) {
  if (level > kMaxLevel) return;
  const auto kind = connection_failure_kind(message);
  if (!kind) return;
  std::string line = mask(stable_text(message));
  if (line.size() > kMaxLineBytes) line.resize(kMaxLineBytes);
  const std::scoped_lock lock(mutex_);
  // The handshake's own line after a refused certificate: the verification said more.
  if (*kind == "certificate verify failed" && refused_certificate_) {
    last_ = *refused_certificate_ + ": " + line;
    return;
  }
  last_ = std::string(*kind) + ": " + line;
}

std::optional<std::string> ConnectionErrors::last() const {
  const std::scoped_lock lock(mutex_);
  return last_;
}

void ConnectionErrors::clear() {
  const std::scoped_lock lock(mutex_);
  last_.reset();
  refused_certificate_.reset();
}

Error ConnectionErrors::explain(Error error) const {
  if (auto cause = last()) error.message = *cause + "; " + error.message;
  return error;
}

std::string ConnectionErrors::mask(std::string text) const {
  for (const auto& secret : secrets_) {
    for (size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at)) {
      text.replace(at, secret.size(), "<hidden>");
      at += 8;
    }
  }
  return text;
}

}  // namespace lagwatch::kafka::detail
