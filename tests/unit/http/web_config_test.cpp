// Reading Prometheus web configuration files: the accepted keys, relative paths, and an error
// naming the file and key for everything else.

#include "http/web_config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace lagwatch::http {
namespace {

const char* current_test_name() {
  return ::testing::UnitTest::GetInstance()->current_test_info()->name();
}

class WebConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // One directory per test: ctest runs this fixture's tests side by side, as processes.
    directory =
        std::filesystem::path(::testing::TempDir()) /
        ("web-config-test-" + std::string(current_test_name()) + "-" + std::to_string(::getpid()));
    std::filesystem::create_directories(directory);
    path = (directory / "web.yml").string();
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(directory, ignored);
  }
  Result<WebConfig> load(const std::string& text) {
    std::ofstream(path) << text;
    return load_web_config(path);
  }
  WebConfig good(const std::string& text) {
    auto result = load(text);
    if (!result) {
      ADD_FAILURE() << result.error().to_string();
      return {};
    }
    return *result;
  }
  std::string bad(const std::string& text) {
    auto result = load(text);
    if (result) {
      ADD_FAILURE() << "accepted: " << text;
      return "";
    }
    return result.error().to_string();
  }
  std::filesystem::path directory;
  std::string path;
};

TEST_F(WebConfigTest, ReadsTheExporterToolkitFormat) {
  const WebConfig config = good(
      "tls_server_config:\n"
      "  cert_file: server.crt\n"
      "  key_file: /etc/tls/server.key\n"
      "  client_auth_type: RequireAndVerifyClientCert\n"
      "  client_ca_file: ca/ca.crt\n"
      "  min_version: TLS13\n"
      "http_server_config:\n"
      "  http2: true\n"
      "  headers:\n"
      "    X-Frame-Options: deny\n"
      "    Strict-Transport-Security: max-age=31536000\n"
      "basic_auth_users:\n"
      "  prometheus: $2y$10$abcdefghijklmnopqrstuuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0\n");
  ASSERT_TRUE(config.tls.has_value());
  EXPECT_EQ(config.tls->cert_file, (directory / "server.crt").string());
  EXPECT_EQ(config.tls->key_file, "/etc/tls/server.key");
  EXPECT_EQ(config.tls->client_ca_file, (directory / "ca/ca.crt").string());
  EXPECT_EQ(config.tls->client_auth, ClientAuth::kRequireAndVerify);
  EXPECT_EQ(config.tls->min_version, TlsVersion::kTls13);
  EXPECT_EQ(gnutls_priorities(*config.tls), "NORMAL:-VERS-ALL:+VERS-TLS1.3");
  ASSERT_EQ(config.headers.size(), 2u);
  EXPECT_EQ(config.basic_auth_users.count("prometheus"), 1u);
}

TEST_F(WebConfigTest, EmptyFileAndPartsAreAllowed) {
  EXPECT_FALSE(good("").tls.has_value());
  EXPECT_FALSE(good("tls_server_config:\n").tls.has_value());
  const WebConfig auth_only = good("basic_auth_users:\n  a: $2b$04$xxxxxxxxxxxxxxxxxxxxxx\n");
  EXPECT_FALSE(auth_only.tls.has_value());
  EXPECT_EQ(auth_only.basic_auth_users.size(), 1u);
  const WebConfig tls = good("tls_server_config:\n  cert_file: c\n  key_file: k\n");
  EXPECT_EQ(tls.tls->client_auth, ClientAuth::kNone);
  EXPECT_EQ(gnutls_priorities(*tls.tls), "NORMAL:-VERS-ALL:+VERS-TLS1.2:+VERS-TLS1.3");
}

TEST_F(WebConfigTest, ErrorsNameTheFileAndKey) {
  auto expect_error = [&](const std::string& text, const std::string& part) {
    const std::string error = bad(text);
    EXPECT_TRUE(error.starts_with(path + ":")) << error;
    EXPECT_NE(error.find(part), std::string::npos) << error;
  };
  expect_error("tls_server_confg: {}\n", "tls_server_confg: unknown key");
  expect_error("tls_server_config:\n  cert_file: c\n", "cert_file and key_file are both required");
  expect_error("tls_server_config:\n  cert_file: c\n  key_file: k\n  certfile: x\n",
               "tls_server_config.certfile: unknown key");
  expect_error("tls_server_config:\n  cert_file: c\n  key_file: k\n  min_version: TLS14\n",
               "tls_server_config.min_version: unknown TLS version");
  expect_error(
      "tls_server_config:\n  cert_file: c\n  key_file: k\n  min_version: TLS13\n"
      "  max_version: TLS12\n",
      "max_version: below min_version");
  expect_error(
      "tls_server_config:\n  cert_file: c\n  key_file: k\n"
      "  client_auth_type: RequireAndVerifyClientCert\n",
      "tls_server_config.client_ca_file: required");
  expect_error("tls_server_config:\n  cert_file: c\n  key_file: k\n  client_auth_type: Maybe\n",
               "unknown client_auth_type");
  expect_error(
      "tls_server_config:\n  cert_file: c\n  key_file: k\n  cipher_suites: "
      "[TLS_AES_128_GCM_SHA256]\n",
      "tls_server_config.cipher_suites: not supported");
  expect_error("basic_auth_users:\n  a: plaintext\n", "basic_auth_users.a: expected a bcrypt hash");
  expect_error("basic_auth_users:\n  a: [x]\n", "basic_auth_users.a: expected a bcrypt hash");
  expect_error("http_server_config:\n  headers:\n    \"Bad Name\": x\n", "not a header name");
  expect_error("http_server_config:\n  headers: [x]\n", "expected a mapping");
  expect_error("basic_auth_users: [\n", path + ":");  // YAML syntax error, with a line
  expect_error("- a\n- b\n", "expected a mapping");
}

TEST_F(WebConfigTest, AMissingFileIsAnError) {
  const auto result = load_web_config((directory / "missing.yml").string());
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().to_string().find("cannot read"), std::string::npos);
}

}  // namespace
}  // namespace lagwatch::http
