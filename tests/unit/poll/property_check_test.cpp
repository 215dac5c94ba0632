#include "poll/property_check.h"

#include <gtest/gtest.h>

#include <string>

#include "config/config.h"

namespace lagwatch::poll {
namespace {

// Two clusters; the librdkafka table of the second starts on line 9, its first property on 10.
const std::string kTwoClusters =
    "[[clusters]]\nname = \"a\"\nbootstrap_servers = \"k:9092\"\n[clusters.librdkafka]\n"
    "\"client.id\" = \"lw\"\n"
    "[[clusters]]\nname = \"b\"\nbootstrap_servers = \"k:9092\"\n[clusters.librdkafka]\n";

config::Config parsed(const std::string& text) {
  auto result = config::parse(text, "t.toml");
  if (!result) {
    ADD_FAILURE() << result.error().to_string();
    return {};
  }
  return std::move(result).value();
}

std::string problem(const std::string& properties) {
  const auto checked = check_librdkafka_properties(parsed(kTwoClusters + properties));
  return checked ? "<no error>" : checked.error().to_string();
}

TEST(PropertyCheckTest, KnownPropertiesPass) {
  EXPECT_EQ(problem("\"socket.timeout.ms\" = \"5000\"\nsecurity.protocol = \"plaintext\"\n"),
            "<no error>");
}

TEST(PropertyCheckTest, UnknownPropertyNamesFileLineAndKey) {
  EXPECT_EQ(problem("\"socket.timeout.ms\" = \"5000\"\n\"sockett.timeout.ms\" = \"5000\"\n"),
            "t.toml:11: clusters[1].librdkafka.sockett.timeout.ms: invalid librdkafka property "
            "\"sockett.timeout.ms\": No such configuration property: \"sockett.timeout.ms\"");
}

TEST(PropertyCheckTest, InvalidValueIsAnError) {
  EXPECT_EQ(problem("security.protocol = \"carrier-pigeon\"\n"),
            "t.toml:10: clusters[1].librdkafka.security.protocol: invalid librdkafka property "
            "\"security.protocol\": Invalid value \"carrier-pigeon\" for configuration property "
            "\"security.protocol\"");
}

TEST(PropertyCheckTest, UnknownSecretPropertyHidesItsValue) {
  const std::string text = problem("\"sasl.passwordd\" = \"hunter2\"\n");
  EXPECT_EQ(text,
            "t.toml:10: clusters[1].librdkafka.sasl.passwordd: invalid librdkafka property "
            "\"sasl.passwordd\" (value hidden)");
}

TEST(PropertyCheckTest, FirstProblemInFileOrderWins) {
  // std::map orders properties by name; the error must still be the first one in the file.
  EXPECT_EQ(problem("\"zz.unknown\" = \"1\"\n\"aa.unknown\" = \"1\"\n").substr(0, 40),
            "t.toml:10: clusters[1].librdkafka.zz.unk");
}

}  // namespace
}  // namespace lagwatch::poll
