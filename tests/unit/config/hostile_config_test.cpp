// Config input an attacker or a mistake can shape: keys nested without bound and secret paths
// that are not plain files. None may crash, recurse that deep or block.

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
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
const std::string kCluster =
    "[[clusters]]\nname = \"a\"\nbootstrap_servers = \"k:9092\"\n[clusters.librdkafka]\n";

std::string dotted_key(std::size_t parts) {
  std::string key = "p";
  for (std::size_t i = 1; i < parts; ++i) key += ".p";
  return key;
}

TEST(HostileConfigTest, KeyWithTwentyThousandDottedPartsIsRefusedBeforeParsing) {
  // toml++ would nest 20,000 tables and recurse through them.
  EXPECT_EQ(error_text(parse(kCluster + dotted_key(20000) + " = \"v\"\n", "t.toml")),
            "t.toml:5: key with more than 100 dotted parts");
}

TEST(HostileConfigTest, KeyWithTheMostDottedPartsAllowedIsOneProperty) {
  const std::string key = dotted_key(100);
  const Config config = config_or_fail(parse(kCluster + key + " = \"v\"\n", "t.toml"));
  ASSERT_EQ(config.clusters.size(), 1u);
  const auto& properties = config.clusters[0].librdkafka;
  ASSERT_EQ(properties.size(), 1u);
  EXPECT_EQ(properties.begin()->first, key);
  EXPECT_EQ(properties.begin()->second.value, "v");
  EXPECT_EQ(properties.begin()->second.line, 5);
}

TEST(HostileConfigTest, DeepDottedKeysKeepFileOrderForErrors) {
  // The first problem in the file is reported, also when it sits below a deep key.
  const std::string deep = dotted_key(99);
  EXPECT_EQ(error_text(parse(kCluster + deep + ".x = 1\n\"b\" = 2\n", "t.toml")),
            "t.toml:5: clusters[0].librdkafka." + deep +
                ".x: expected a string, { env = \"NAME\" } or { file = \"PATH\" }, found integer");
}

TEST(HostileConfigTest, PropertiesRememberTheirLines) {
  const Config config = config_or_fail(
      parse(kCluster + "\"client.id\" = \"lw\"\n\nsocket.timeout.ms = \"5000\"\n", "t.toml"));
  ASSERT_EQ(config.clusters.size(), 1u);
  EXPECT_EQ(config.clusters[0].librdkafka.at("client.id").line, 5);
  EXPECT_EQ(config.clusters[0].librdkafka.at("socket.timeout.ms").line, 7);
}

ParseResult parse_secret_file(const std::string& path) {
  return parse(kCluster + "\"sasl.password\" = { file = \"" + path + "\" }\n", "t.toml");
}

TEST(HostileConfigTest, FifoSecretIsAnErrorNotAWait) {
  const std::string path =
      ::testing::TempDir() + "lagwatch_config_fifo_" + std::to_string(::getpid());
  std::filesystem::remove(path);
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  EXPECT_EQ(error_text(parse_secret_file(path)),
            "t.toml:5: clusters[0].librdkafka.sasl.password: cannot read file \"" + path +
                "\": not a regular file (a FIFO)");
  std::filesystem::remove(path);
}

TEST(HostileConfigTest, DeviceSecretIsAnError) {
  EXPECT_EQ(error_text(parse_secret_file("/dev/zero")),
            "t.toml:5: clusters[0].librdkafka.sasl.password: cannot read file \"/dev/zero\": not a "
            "regular file (a character device)");
}

TEST(HostileConfigTest, SymlinkToARegularSecretFileIsRead) {
  // Kubernetes mounts secrets as symlinks into a timestamped directory.
  const TempFile target("link_target", "s3cret\n");
  const std::string link = target.path() + ".link";
  std::filesystem::remove(link);
  std::filesystem::create_symlink(target.path(), link);
  const Config config = config_or_fail(parse_secret_file(link));
  ASSERT_EQ(config.clusters.size(), 1u);
  EXPECT_EQ(config.clusters[0].librdkafka.at("sasl.password").value, "s3cret");
  std::filesystem::remove(link);
}

}  // namespace
}  // namespace lagwatch::config
