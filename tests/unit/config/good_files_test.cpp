#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config/config.h"
#include "parse_result_helpers.h"

namespace lagwatch::config {
namespace {

using std::chrono::milliseconds;
using testing::config_or_fail;

const std::string kGoodDir = LAGWATCH_TESTDATA_DIR "/config/good/";

TEST(GoodFilesTest, ExampleFileLoadsWithDocumentedDefaults) {
  const std::string path = LAGWATCH_TESTDATA_DIR "/../../config/lagwatch.example.toml";
  const Config config = config_or_fail(load_file(path));
  EXPECT_EQ(config.source_path, path);
  EXPECT_EQ(config.listen_address, "0.0.0.0:8793");
  EXPECT_EQ(config.poll_interval, milliseconds(15'000));
  EXPECT_EQ(config.request_timeout, milliseconds(10'000));
  EXPECT_EQ(config.max_in_flight, 32);
  EXPECT_EQ(config.broker_wide_describe_min_groups, 32);
  EXPECT_EQ(config.earliest_offsets_refresh, std::chrono::seconds(60));
  ASSERT_EQ(config.clusters.size(), 1u);
  const ClusterConfig& cluster = config.clusters[0];
  EXPECT_EQ(cluster.name, "local");
  EXPECT_EQ(cluster.bootstrap_servers, "127.0.0.1:9092");
  EXPECT_EQ(cluster.shard.index, 0u);
  EXPECT_EQ(cluster.shard.count, 1u);
  EXPECT_TRUE(cluster.groups.matches("orders-consumer"));
  EXPECT_FALSE(cluster.groups.matches("_confluent-controlcenter"));
  EXPECT_FALSE(cluster.groups.matches("console-consumer-12345"));
  EXPECT_TRUE(cluster.topics.matches("orders"));
  EXPECT_FALSE(cluster.topics.matches("__consumer_offsets"));
  EXPECT_TRUE(cluster.librdkafka.empty());
  // The example spells out every default.
  const ClusterConfig defaults;
  EXPECT_EQ(cluster.granularity, defaults.granularity);
  EXPECT_EQ(cluster.lag_seconds_mode, defaults.lag_seconds_mode);
  EXPECT_TRUE(cluster.exact_groups.allow_patterns().empty());
  EXPECT_EQ(cluster.exact_max_samples, defaults.exact_max_samples);
  EXPECT_EQ(cluster.history_points, defaults.history_points);
  EXPECT_EQ(cluster.health.window, defaults.health.window);
  EXPECT_EQ(cluster.health.min_span, defaults.health.min_span);
  EXPECT_EQ(cluster.health.stop_after, defaults.health.stop_after);
  EXPECT_EQ(cluster.read_consumer_offsets, defaults.read_consumer_offsets);
}

TEST(GoodFilesTest, MinimalFileGetsDefaults) {
  const Config config = config_or_fail(load_file(kGoodDir + "minimal.toml"));
  const Config defaults;
  EXPECT_EQ(config.listen_address, defaults.listen_address);
  EXPECT_EQ(config.poll_interval, defaults.poll_interval);
  EXPECT_EQ(config.request_timeout, defaults.request_timeout);
  EXPECT_EQ(config.max_in_flight, defaults.max_in_flight);
  ASSERT_EQ(config.clusters.size(), 1u);
  const ClusterConfig& cluster = config.clusters[0];
  EXPECT_EQ(cluster.name, "prod");
  EXPECT_EQ(cluster.bootstrap_servers, "kafka-1:9092");
  EXPECT_EQ(cluster.shard.index, 0u);
  EXPECT_EQ(cluster.shard.count, 1u);
  EXPECT_TRUE(cluster.groups.allow_patterns().empty());
  EXPECT_TRUE(cluster.groups.deny_patterns().empty());
  EXPECT_TRUE(cluster.groups.matches("__anything"));
  EXPECT_TRUE(cluster.topics.matches("__consumer_offsets"));
  EXPECT_TRUE(cluster.librdkafka.empty());
}

TEST(GoodFilesTest, FullFileSetsEveryKey) {
  const Config config = config_or_fail(load_file(kGoodDir + "full.toml"));
  EXPECT_EQ(config.listen_address, "127.0.0.1:9797");
  EXPECT_EQ(config.poll_interval, milliseconds(60'000));
  EXPECT_EQ(config.request_timeout, milliseconds(2'500));
  EXPECT_EQ(config.max_in_flight, 8);
  ASSERT_EQ(config.clusters.size(), 2u);

  const ClusterConfig& prod = config.clusters[0];
  EXPECT_EQ(prod.name, "eu-west.prod_1");
  EXPECT_EQ(prod.bootstrap_servers, "kafka-1:9092,kafka-2:9092,kafka-3:9092");
  EXPECT_EQ(prod.shard.index, 1u);
  EXPECT_EQ(prod.shard.count, 3u);
  EXPECT_EQ(prod.granularity, Granularity::kTopic);
  EXPECT_EQ(prod.lag_seconds_mode, LagSecondsMode::kExact);
  EXPECT_EQ(prod.exact_groups.allow_patterns(), std::vector<std::string>{"payments-.*"});
  EXPECT_EQ(prod.exact_max_samples, 250);
  EXPECT_EQ(prod.history_points, 128u);
  EXPECT_EQ(prod.health.window, 6u);
  EXPECT_EQ(prod.health.min_span, milliseconds(90'000));
  EXPECT_EQ(prod.health.stop_after, milliseconds(600'000));
  EXPECT_FALSE(prod.read_consumer_offsets);
  EXPECT_TRUE(prod.groups.matches("payments-eu"));
  EXPECT_TRUE(prod.groups.matches("billing-1"));
  EXPECT_FALSE(prod.groups.matches("payments-test-1"));
  EXPECT_FALSE(prod.groups.matches("orders"));
  EXPECT_TRUE(prod.topics.matches("orders"));
  EXPECT_FALSE(prod.topics.matches("orders.dlq"));
  EXPECT_FALSE(prod.topics.matches("__transaction_state"));

  ASSERT_EQ(prod.librdkafka.size(), 5u);
  const PropertyValue& protocol = prod.librdkafka.at("security.protocol");
  EXPECT_EQ(protocol.value, "SASL_SSL");
  EXPECT_EQ(protocol.source, PropertyValue::Source::kInline);
  EXPECT_FALSE(protocol.secret);
  const PropertyValue& password = prod.librdkafka.at("sasl.password");
  EXPECT_EQ(password.value, "inline-password-value");
  EXPECT_EQ(password.source, PropertyValue::Source::kInline);
  EXPECT_TRUE(password.reference.empty());
  EXPECT_TRUE(password.secret);
  // Written as an unquoted dotted key: flattened back into the property name.
  EXPECT_EQ(prod.librdkafka.at("ssl.ca.location").value, "/etc/lagwatch/ca.pem");

  EXPECT_EQ(config.clusters[1].name, "staging");
  EXPECT_EQ(config.clusters[1].bootstrap_servers, "staging-kafka:9092");
  const ClusterConfig& staging = config.clusters[1];
  EXPECT_EQ(staging.granularity, Granularity::kGroup);
  EXPECT_EQ(staging.lag_seconds_mode, LagSecondsMode::kEstimate);
  EXPECT_EQ(staging.history_points, 64u);
  EXPECT_EQ(staging.health.window, 10u);
  EXPECT_TRUE(staging.read_consumer_offsets);
}

TEST(GoodFilesTest, DurationsAcceptEveryDocumentedSpelling) {
  const std::string clusters = "[[clusters]]\nname = \"a\"\nbootstrap_servers = \"k:9092\"\n";
  struct Case {
    std::string value;
    milliseconds expected;
  };
  for (const auto& [value, expected] :
       {Case{"\"1500ms\"", milliseconds(1'500)}, Case{"\"15s\"", milliseconds(15'000)},
        Case{"\"2m\"", milliseconds(120'000)}, Case{"\"1h\"", milliseconds(3'600'000)},
        Case{"30", milliseconds(30'000)}, Case{"1.25", milliseconds(1'250)}}) {
    const Config config =
        config_or_fail(parse("[poll]\ninterval = " + value + "\n" + clusters, "d.toml"));
    EXPECT_EQ(config.poll_interval, expected) << value;
  }
}

TEST(GoodFilesTest, BoundaryValuesAreAccepted) {
  const Config config = config_or_fail(
      parse("[server]\nlisten_address = \"[::1]:65535\"\n"
            "[poll]\ninterval = \"1s\"\nrequest_timeout = \"100ms\"\nmax_in_flight = 1024\n"
            "broker_wide_describe_min_groups = 0\nearliest_offsets_refresh = 0\n"
            "[[clusters]]\nname = \"a\"\nbootstrap_servers = \"k:9092\"\n",
            "b.toml"));
  EXPECT_EQ(config.listen_address, "[::1]:65535");
  EXPECT_EQ(config.poll_interval, milliseconds(1'000));
  EXPECT_EQ(config.request_timeout, milliseconds(100));
  EXPECT_EQ(config.max_in_flight, 1024);
  EXPECT_EQ(config.broker_wide_describe_min_groups, 0);
  EXPECT_EQ(config.earliest_offsets_refresh, milliseconds(0));
}

}  // namespace
}  // namespace lagwatch::config
