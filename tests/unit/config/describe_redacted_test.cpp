#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "config/config.h"
#include "parse_result_helpers.h"
#include "temp_file.h"

namespace lagwatch::config {
namespace {

using testing::config_or_fail;
using testing::TempFile;

constexpr const char* kEnvSecret = "env-secret-value-5e1d";
constexpr const char* kFileSecret = "file-secret-value-77ab";
constexpr const char* kInlineSecret = "inline-secret-value-3b9f";

TEST(DescribeRedactedTest, ShowsEffectiveConfigWithSecretSourcesOnly) {
  ::setenv("LAGWATCH_DESCRIBE_PASSWORD", kEnvSecret, 1);
  const TempFile file("describe_key", kFileSecret);
  const Config config = config_or_fail(
      parse("[poll]\ninterval = 90\n"
            "[[clusters]]\nname = \"prod\"\nbootstrap_servers = [\"k1:9092\", \"k2:9092\"]\n"
            "shard = \"1/2\"\ngranularity = \"topic\"\nlag_seconds = \"exact\"\n"
            "exact_groups = [\"pay-\\\\d+\"]\nexact_max_samples = 5\nhistory_points = 300\n"
            "[clusters.health]\nwindow = 20\nmin_span = 0\nstop_after = 1.5\n"
            "[clusters.consumer_offsets]\nenabled = false\n"
            "[clusters.groups]\nallow = [\"pay-\\\\d+\"]\n"
            "[clusters.librdkafka]\n"
            "\"sasl.password\" = { env = \"LAGWATCH_DESCRIBE_PASSWORD\" }\n"
            "\"ssl.key.pem\" = { file = \"" +
                file.path() +
                "\" }\n"
                "\"sasl.jaas.config\" = \"" +
                kInlineSecret +
                "\"\n"
                "\"sasl.username\" = \"lagwatch\"\n",
            "prod.toml"));
  ::unsetenv("LAGWATCH_DESCRIBE_PASSWORD");

  const std::string text = describe_redacted(config);
  EXPECT_EQ(text,
            "# effective configuration from prod.toml\n"
            "\n[server]\n"
            "listen_address = \"0.0.0.0:8793\"\n"
            "readiness_grace = \"5m\"\n"
            "\n[poll]\n"
            "interval = \"90s\"\n"
            "request_timeout = \"10s\"\n"
            "max_in_flight = 32\n"
            "broker_wide_describe_min_groups = 32\n"
            "earliest_offsets_refresh = \"1m\"\n"
            "\n[log]\n"
            "format = \"logfmt\"\n"
            "level = \"info\"\n"
            "\n[metrics]\n"
            "kafka_exporter_names = false\n"
            "\n[[clusters]]\n"
            "name = \"prod\"\n"
            "bootstrap_servers = \"k1:9092,k2:9092\"\n"
            "shard = \"1/2\"\n"
            "granularity = \"topic\"\n"
            "lag_seconds = \"exact\"\n"
            "exact_groups = [\"pay-\\\\d+\"]\n"
            "exact_max_samples = 5\n"
            "history_points = 300\n"
            "\n[clusters.health]\n"
            "window = 20\n"
            "min_span = \"0s\"\n"
            "stop_after = \"1500ms\"\n"
            "\n[clusters.consumer_offsets]\n"
            "enabled = false\n"
            "\n[clusters.series]\n"
            "partition_details = false\n"
            "member_info = false\n"
            "kafka_exporter_names = false\n"
            "\n[clusters.groups]\n"
            "allow = [\"pay-\\\\d+\"]\n"
            "deny = []\n"
            "\n[clusters.topics]\n"
            "allow = []\n"
            "deny = []\n"
            "\n[clusters.labels]\n"
            "\n[clusters.librdkafka]\n"
            "\"sasl.jaas.config\" = <redacted>\n"
            "\"sasl.password\" = <from env LAGWATCH_DESCRIBE_PASSWORD>\n"
            "\"sasl.username\" = \"lagwatch\"\n"
            "\"ssl.key.pem\" = <from file " +
                file.path() + ">\n");
  for (const std::string secret : {kEnvSecret, kFileSecret, kInlineSecret}) {
    EXPECT_EQ(text.find(secret), std::string::npos);
  }
}

TEST(DescribeRedactedTest, SecretFlagAloneHidesTheValue) {
  // Built by hand, as another module might: the flag is what counts, not the property name.
  Config config;
  ClusterConfig cluster;
  cluster.name = "c";
  cluster.librdkafka["custom.token"] = {PropertyValue::Source::kInline, "", kInlineSecret, true};
  config.clusters.push_back(cluster);
  const std::string text = describe_redacted(config);
  EXPECT_NE(text.find("\"custom.token\" = <redacted>\n"), std::string::npos) << text;
  EXPECT_EQ(text.find(kInlineSecret), std::string::npos) << text;
}

TEST(DescribeRedactedTest, OutputWithoutSecretsParsesBackToTheSameConfig) {
  const std::string path = LAGWATCH_TESTDATA_DIR "/config/good/minimal.toml";
  const Config original = config_or_fail(load_file(path));
  const std::string first = describe_redacted(original);
  const Config reparsed = config_or_fail(parse(first, path));
  EXPECT_EQ(describe_redacted(reparsed), first);
}

TEST(DescribeRedactedTest, ClusterOptionsParseBackToTheSameValues) {
  const Config original = config_or_fail(
      parse("[[clusters]]\nname = \"a\"\nbootstrap_servers = \"k:9092\"\n"
            "granularity = \"group\"\nlag_seconds = \"exact\"\nexact_groups = [\"x\", \"y.*\"]\n"
            "exact_max_samples = 7\nhistory_points = 9\n"
            "health = { window = 3, min_span = \"2500ms\", stop_after = \"2h\" }\n"
            "consumer_offsets = { enabled = false }\n",
            "options.toml"));
  const std::string first = describe_redacted(original);
  const Config reparsed = config_or_fail(parse(first, "options.toml"));
  EXPECT_EQ(describe_redacted(reparsed), first);
  ASSERT_EQ(reparsed.clusters.size(), 1u);
  const ClusterConfig& cluster = reparsed.clusters[0];
  EXPECT_EQ(cluster.granularity, Granularity::kGroup);
  EXPECT_EQ(cluster.lag_seconds_mode, LagSecondsMode::kExact);
  EXPECT_EQ(cluster.exact_groups.allow_patterns(), (std::vector<std::string>{"x", "y.*"}));
  EXPECT_EQ(cluster.exact_max_samples, 7);
  EXPECT_EQ(cluster.history_points, 9u);
  EXPECT_EQ(cluster.health.window, 3u);
  EXPECT_EQ(cluster.health.min_span, std::chrono::milliseconds(2'500));
  EXPECT_EQ(cluster.health.stop_after, std::chrono::hours(2));
  EXPECT_FALSE(cluster.read_consumer_offsets);
}

TEST(DescribeRedactedTest, EscapesQuotesAndControlCharacters) {
  Config config;
  ClusterConfig cluster;
  cluster.name = "c";
  cluster.librdkafka["client.id"] = {PropertyValue::Source::kInline, "", "a\"b\\c\nd\x01", false};
  config.clusters.push_back(cluster);
  const std::string text = describe_redacted(config);
  EXPECT_NE(text.find("\"client.id\" = \"a\\\"b\\\\c\\nd\\u0001\"\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace lagwatch::config
