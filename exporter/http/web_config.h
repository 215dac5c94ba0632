#pragma once
// The endpoint's TLS and basic auth, from a Prometheus web configuration file: the format every
// exporter built on Prometheus' exporter-toolkit reads (node_exporter's --web.config.file).
//
//   tls_server_config:
//     cert_file: server.crt          # paths relative to this file's directory
//     key_file: server.key
//     client_auth_type: RequireAndVerifyClientCert   # or NoClientCert (default),
//                                   # RequestClientCert, RequireAnyClientCert,
//                                   # VerifyClientCertIfGiven
//     client_ca_file: ca.crt        # required by every type but NoClientCert
//     min_version: TLS12            # TLS10 .. TLS13 (default TLS12); max_version likewise
//   http_server_config:
//     headers: { X-Frame-Options: deny }
//   basic_auth_users:
//     prometheus: $2y$10$...        # bcrypt hashes
//
// cipher_suites, curve_preferences and prefer_server_cipher_suites name Go's TLS settings, which
// GnuTLS does not share: they are refused rather than silently ignored.

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "error/result.h"

namespace lagwatch::http {

enum class ClientAuth {
  kNone,              // NoClientCert
  kRequest,           // RequestClientCert: asked for, not checked
  kRequireAny,        // RequireAnyClientCert: required, not checked
  kVerifyIfGiven,     // VerifyClientCertIfGiven
  kRequireAndVerify,  // RequireAndVerifyClientCert
};

enum class TlsVersion { kTls10, kTls11, kTls12, kTls13 };

struct TlsSettings {
  std::string cert_file;  // absolute paths
  std::string key_file;
  std::string client_ca_file;  // empty: none
  ClientAuth client_auth = ClientAuth::kNone;
  TlsVersion min_version = TlsVersion::kTls12;
  TlsVersion max_version = TlsVersion::kTls13;
};

struct WebConfig {
  std::optional<TlsSettings> tls;
  std::map<std::string, std::string> basic_auth_users;  // user -> bcrypt hash
  std::vector<std::pair<std::string, std::string>> headers;
};

// Reads and validates the file; on error, a message naming the file and the key.
Result<WebConfig> load_web_config(const std::string& path);

// The GnuTLS priority string for the versions of `tls`.
std::string gnutls_priorities(const TlsSettings& tls);

}  // namespace lagwatch::http
