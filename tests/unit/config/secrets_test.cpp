#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "config/config.h"
#include "parse_result_helpers.h"
#include "temp_file.h"

namespace lagwatch::config {
namespace {

using testing::config_or_fail;
using testing::error_text;
using testing::TempFile;

// Four lines, so a property written after it is on line 5.
const std::string kClusterWithProperties =
    "[[clusters]]\nname = \"a\"\nbootstrap_servers = \"k:9092\"\n[clusters.librdkafka]\n";

constexpr const char* kEnvSecret = "env-secret-value-7f3a";
constexpr const char* kFileSecret = "file-secret-value-91c2";
constexpr const char* kInlineSecret = "inline-secret-value-c0de";

class SecretsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("LAGWATCH_TEST_PASSWORD", kEnvSecret, 1);
    ::setenv("LAGWATCH_TEST_EMPTY", "", 1);
    ::unsetenv("LAGWATCH_TEST_UNSET");
  }
  void TearDown() override {
    ::unsetenv("LAGWATCH_TEST_PASSWORD");
    ::unsetenv("LAGWATCH_TEST_EMPTY");
  }

  static ParseResult parse_properties(const std::string& properties) {
    return parse(kClusterWithProperties + properties, "t.toml");
  }
};

TEST_F(SecretsTest, EnvReferenceResolvesAndIsSecret) {
  const Config config = config_or_fail(
      parse_properties("\"sasl.password\" = { env = \"LAGWATCH_TEST_PASSWORD\" }\n"));
  ASSERT_EQ(config.clusters.size(), 1u);
  const PropertyValue& password = config.clusters[0].librdkafka.at("sasl.password");
  EXPECT_EQ(password.source, PropertyValue::Source::kEnv);
  EXPECT_EQ(password.reference, "LAGWATCH_TEST_PASSWORD");
  EXPECT_EQ(password.value, kEnvSecret);
  EXPECT_TRUE(password.secret);
}

TEST_F(SecretsTest, ReferenceMakesAnyPropertySecret) {
  const Config config = config_or_fail(
      parse_properties("\"sasl.username\" = { env = \"LAGWATCH_TEST_PASSWORD\" }\n"));
  ASSERT_EQ(config.clusters.size(), 1u);
  EXPECT_TRUE(config.clusters[0].librdkafka.at("sasl.username").secret);
}

TEST_F(SecretsTest, DottedKeyReferenceIsTheSameProperty) {
  const Config config =
      config_or_fail(parse_properties("sasl.password.env = \"LAGWATCH_TEST_PASSWORD\"\n"));
  ASSERT_EQ(config.clusters.size(), 1u);
  EXPECT_EQ(config.clusters[0].librdkafka.at("sasl.password").value, kEnvSecret);
}

TEST_F(SecretsTest, UnsetVariableIsAnErrorNamingKeyAndVariable) {
  EXPECT_EQ(error_text(parse_properties("\"sasl.password\" = { env = \"LAGWATCH_TEST_UNSET\" }\n")),
            "t.toml:5: clusters[0].librdkafka.sasl.password: environment variable "
            "LAGWATCH_TEST_UNSET is not set");
}

TEST_F(SecretsTest, EmptyVariableIsAnError) {
  EXPECT_EQ(error_text(parse_properties("\"sasl.password\" = { env = \"LAGWATCH_TEST_EMPTY\" }\n")),
            "t.toml:5: clusters[0].librdkafka.sasl.password: environment variable "
            "LAGWATCH_TEST_EMPTY is empty");
}

TEST_F(SecretsTest, FileReferenceDropsTrailingNewlinesOnly) {
  const std::string pem =
      std::string("-----BEGIN KEY-----\n") + kFileSecret + "\n-----END KEY-----";
  const TempFile file("key.pem", pem + "\r\n\n");
  const Config config =
      config_or_fail(parse_properties("\"ssl.key.pem\" = { file = \"" + file.path() + "\" }\n"));
  ASSERT_EQ(config.clusters.size(), 1u);
  const PropertyValue& key = config.clusters[0].librdkafka.at("ssl.key.pem");
  EXPECT_EQ(key.source, PropertyValue::Source::kFile);
  EXPECT_EQ(key.reference, file.path());
  EXPECT_EQ(key.value, pem);
  EXPECT_TRUE(key.secret);
}

TEST_F(SecretsTest, EmptyFileGivesEmptyValue) {
  const TempFile file("empty", "\n");
  const Config config =
      config_or_fail(parse_properties("\"sasl.password\" = { file = \"" + file.path() + "\" }\n"));
  ASSERT_EQ(config.clusters.size(), 1u);
  EXPECT_EQ(config.clusters[0].librdkafka.at("sasl.password").value, "");
}

TEST_F(SecretsTest, MissingFileIsAnError) {
  const std::string path = ::testing::TempDir() + "lagwatch_config_no_such_file";
  EXPECT_EQ(error_text(parse_properties("\"sasl.password\" = { file = \"" + path + "\" }\n")),
            "t.toml:5: clusters[0].librdkafka.sasl.password: cannot read file \"" + path +
                "\": No such file or directory");
}

TEST_F(SecretsTest, DirectoryIsAnUnreadableFile) {
  const std::string path = ::testing::TempDir();
  EXPECT_EQ(error_text(parse_properties("\"sasl.password\" = { file = \"" + path + "\" }\n")),
            "t.toml:5: clusters[0].librdkafka.sasl.password: cannot read file \"" + path +
                "\": not a regular file (a directory)");
}

TEST_F(SecretsTest, OversizedFileIsAnError) {
  const TempFile file("big", std::string(1024 * 1024 + 1, 'x'));
  EXPECT_EQ(
      error_text(parse_properties("\"sasl.password\" = { file = \"" + file.path() + "\" }\n")),
      "t.toml:5: clusters[0].librdkafka.sasl.password: cannot read file \"" + file.path() +
          "\": larger than 1048576 bytes");
}

TEST_F(SecretsTest, InlineValueOfSecretPropertyIsSecret) {
  const Config config = config_or_fail(parse_properties(
      std::string("\"sasl.jaas.config\" = \"") + kInlineSecret + "\"\n\"client.id\" = \"lw\"\n"));
  ASSERT_EQ(config.clusters.size(), 1u);
  const auto& properties = config.clusters[0].librdkafka;
  EXPECT_TRUE(properties.at("sasl.jaas.config").secret);
  EXPECT_EQ(properties.at("sasl.jaas.config").source, PropertyValue::Source::kInline);
  EXPECT_FALSE(properties.at("client.id").secret);
}

// Broken files that contain secret values: whatever goes wrong, the error must not echo them.
class SecretNotInErrorTest : public SecretsTest,
                             public ::testing::WithParamInterface<std::string> {};

TEST_P(SecretNotInErrorTest, ErrorNeverContainsASecret) {
  const TempFile file("secret", kFileSecret);
  std::string properties = GetParam();
  const std::string placeholder = "{secret_file}";
  if (const auto at = properties.find(placeholder); at != std::string::npos) {
    properties.replace(at, placeholder.size(), file.path());
  }
  const ParseResult result = parse_properties(properties);
  ASSERT_FALSE(result) << properties;
  const std::string text = error_text(result);
  for (const std::string secret : {kEnvSecret, kFileSecret, kInlineSecret}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << text;
    // Syntax errors could otherwise quote a fragment of the broken line.
    EXPECT_EQ(text.find(secret.substr(0, 6)), std::string::npos) << text;
  }
  EXPECT_EQ(text.find('\''), std::string::npos) << text;
}

INSTANTIATE_TEST_SUITE_P(
    BrokenFiles, SecretNotInErrorTest,
    ::testing::Values(
        // Unquoted value: a syntax error on the secret's own line.
        std::string("\"sasl.password\" = ") + kInlineSecret + "\n",
        std::string("\"sasl.password\" = \"") + kInlineSecret + "\\q\"\n",
        std::string("\"sasl.password\" = '") + kInlineSecret + "' " + kInlineSecret + "\n",
        std::string("\"sasl.password\" = \"") + kInlineSecret + "\n",
        std::string("\"sasl.password\" = \"") + kInlineSecret + "\"\n\"sasl.password\" = \"" +
            kInlineSecret + "\"\n",
        // Valid secrets followed by a validation error.
        "\"sasl.password\" = { env = \"LAGWATCH_TEST_PASSWORD\" }\n\"x\" = 1\n",
        "\"sasl.password\" = { file = \"{secret_file}\" }\n\"x\" = 1\n",
        "\"sasl.password\" = { file = \"{secret_file}\" }\n\"sasl.password\" = \"a\"\n",
        std::string("\"sasl.password\" = \"") + kInlineSecret + "\"\nsasl.password = \"b\"\n"));

}  // namespace
}  // namespace lagwatch::config
