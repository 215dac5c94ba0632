#include "http/web_config.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <set>
#include <string_view>

namespace lagwatch::http {
namespace {

struct Invalid {
  std::string message;
};

[[noreturn]] void fail(const std::string& key, const std::string& message) {
  throw Invalid{key + ": " + message};
}

void reject_unknown(const YAML::Node& map, const std::string& where,
                    const std::set<std::string_view>& known) {
  for (const auto& entry : map) {
    const std::string key = entry.first.as<std::string>();
    if (!known.contains(key)) fail(where.empty() ? key : where + "." + key, "unknown key");
  }
}

YAML::Node map_at(const YAML::Node& parent, const std::string& key, const std::string& path) {
  const YAML::Node node = parent[key];
  if (node && !node.IsNull() && !node.IsMap()) fail(path, "expected a mapping");
  return node;
}

std::string string_at(const YAML::Node& map, const std::string& key, const std::string& path) {
  const YAML::Node node = map[key];
  if (!node || node.IsNull()) return "";
  if (!node.IsScalar()) fail(path, "expected a string");
  return node.as<std::string>();
}

std::string resolve(const std::filesystem::path& directory, const std::string& file) {
  if (file.empty()) return "";
  const std::filesystem::path path(file);
  return (path.is_absolute() ? path : directory / path).lexically_normal().string();
}

TlsVersion parse_version(const std::string& text, const std::string& path) {
  if (text == "TLS10") return TlsVersion::kTls10;
  if (text == "TLS11") return TlsVersion::kTls11;
  if (text == "TLS12") return TlsVersion::kTls12;
  if (text == "TLS13") return TlsVersion::kTls13;
  fail(path, "unknown TLS version \"" + text + "\" (TLS10, TLS11, TLS12 or TLS13)");
}

ClientAuth parse_client_auth(const std::string& text, const std::string& path) {
  if (text.empty() || text == "NoClientCert") return ClientAuth::kNone;
  if (text == "RequestClientCert") return ClientAuth::kRequest;
  if (text == "RequireAnyClientCert") return ClientAuth::kRequireAny;
  if (text == "VerifyClientCertIfGiven") return ClientAuth::kVerifyIfGiven;
  if (text == "RequireAndVerifyClientCert") return ClientAuth::kRequireAndVerify;
  fail(path, "unknown client_auth_type \"" + text + "\"");
}

TlsSettings parse_tls(const YAML::Node& node, const std::filesystem::path& directory) {
  const std::string where = "tls_server_config";
  for (const char* go_only :
       {"cipher_suites", "curve_preferences", "prefer_server_cipher_suites"}) {
    if (node[go_only]) fail(where + "." + go_only, "not supported (GnuTLS chooses the ciphers)");
  }
  reject_unknown(node, where,
                 {"cert_file", "key_file", "client_ca_file", "client_auth_type", "min_version",
                  "max_version"});
  TlsSettings tls;
  tls.cert_file = resolve(directory, string_at(node, "cert_file", where + ".cert_file"));
  tls.key_file = resolve(directory, string_at(node, "key_file", where + ".key_file"));
  if (tls.cert_file.empty() || tls.key_file.empty()) {
    fail(where, "cert_file and key_file are both required");
  }
  tls.client_ca_file =
      resolve(directory, string_at(node, "client_ca_file", where + ".client_ca_file"));
  tls.client_auth =
      parse_client_auth(string_at(node, "client_auth_type", where + ".client_auth_type"),
                        where + ".client_auth_type");
  // GnuTLS asks for client certificates only with a list of CAs to name, so every type
  // other than NoClientCert needs one.
  if (tls.client_auth != ClientAuth::kNone && tls.client_ca_file.empty()) {
    fail(where + ".client_ca_file",
         "required by client_auth_type " + string_at(node, "client_auth_type", where));
  }
  if (const auto text = string_at(node, "min_version", where + ".min_version"); !text.empty()) {
    tls.min_version = parse_version(text, where + ".min_version");
  }
  if (const auto text = string_at(node, "max_version", where + ".max_version"); !text.empty()) {
    tls.max_version = parse_version(text, where + ".max_version");
  }
  if (tls.max_version < tls.min_version) fail(where + ".max_version", "below min_version");
  return tls;
}

bool is_header_name(const std::string& name) {
  if (name.empty()) return false;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

WebConfig parse(const YAML::Node& root, const std::filesystem::path& directory) {
  WebConfig config;
  if (!root || root.IsNull()) return config;
  if (!root.IsMap()) fail("(top level)", "expected a mapping");
  reject_unknown(root, "", {"tls_server_config", "http_server_config", "basic_auth_users"});
  if (const auto tls = map_at(root, "tls_server_config", "tls_server_config");
      tls && !tls.IsNull()) {
    config.tls = parse_tls(tls, directory);
  }
  if (const auto http = map_at(root, "http_server_config", "http_server_config");
      http && !http.IsNull()) {
    reject_unknown(http, "http_server_config", {"headers", "http2"});
    const auto headers = map_at(http, "headers", "http_server_config.headers");
    if (headers && !headers.IsNull()) {
      for (const auto& entry : headers) {
        const std::string name = entry.first.as<std::string>();
        const std::string path = "http_server_config.headers." + name;
        if (!is_header_name(name)) fail(path, "not a header name");
        if (!entry.second.IsScalar()) fail(path, "expected a string");
        const std::string value = entry.second.as<std::string>();
        if (value.find_first_of("\r\n") != std::string::npos) fail(path, "line break in value");
        config.headers.emplace_back(name, value);
      }
    }
  }
  if (const auto users = map_at(root, "basic_auth_users", "basic_auth_users");
      users && !users.IsNull()) {
    for (const auto& entry : users) {
      const std::string user = entry.first.as<std::string>();
      const std::string path = "basic_auth_users." + user;
      if (!entry.second.IsScalar()) fail(path, "expected a bcrypt hash");
      const std::string hash = entry.second.as<std::string>();
      if (!(hash.starts_with("$2a$") || hash.starts_with("$2b$") || hash.starts_with("$2y$"))) {
        fail(path, "expected a bcrypt hash ($2a$, $2b$ or $2y$)");
      }
      if (user.find(':') != std::string::npos) fail(path, "a user name cannot contain ':'");
      config.basic_auth_users[user] = hash;
    }
  }
  return config;
}

}  // namespace

Result<WebConfig> load_web_config(const std::string& path) {
  try {
    const std::filesystem::path file(path);
    return parse(YAML::LoadFile(path), file.parent_path());
  } catch (const Invalid& invalid) {
    return Error::config(path, 0, "", invalid.message);
  } catch (const YAML::BadFile&) {
    return Error::config(path, 0, "", "cannot read the file");
  } catch (const YAML::Exception& error) {
    return Error::config(path, error.mark.line + 1, "", error.msg);
  }
}

std::string gnutls_priorities(const TlsSettings& tls) {
  std::string priorities = "NORMAL:-VERS-ALL";
  constexpr const char* kNames[] = {"+VERS-TLS1.0", "+VERS-TLS1.1", "+VERS-TLS1.2", "+VERS-TLS1.3"};
  for (int v = static_cast<int>(tls.min_version); v <= static_cast<int>(tls.max_version); ++v) {
    priorities += ':';
    priorities += kNames[v];
  }
  return priorities;
}

}  // namespace lagwatch::http
