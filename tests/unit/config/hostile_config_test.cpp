// Config input an attacker or a mistake can shape: keys nested without bound. None may crash or
// recurse that deep.

#include <gtest/gtest.h>
#include <string>

#include "config/config.h"
#include "parse_result_helpers.h"

namespace lagwatch::config {
namespace {

using testing::config_or_fail;
using testing::error_text;

// Four lines, so a property written after it is on line 5.
const std::string kCluster =
    "[[clusters]]\nname = \"a\"\nbootstrap_servers = \"k:9092\"\n[clusters.librdkafka]\n";

std::string dotted_key(std::size_t parts) {
  std::string key = "p";
  for (std::size_t i = 1; i < parts; ++i) key += ".p";
  return key;
}

TEST(HostileConfigTest, KeyWithTwentyThousandDottedPartsIsOneProperty) {
  const std::string key = dotted_key(20000);
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
  const std::string deep = dotted_key(5000);
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

}  // namespace
}  // namespace lagwatch::config
