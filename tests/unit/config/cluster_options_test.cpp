// Accepted values of the per-cluster options, their defaults and their boundaries.

#include <gtest/gtest.h>

#include <string>

#include "config/config.h"
#include "parse_result_helpers.h"

namespace lagwatch::config {
namespace {

using std::chrono::milliseconds;
using testing::config_or_fail;

const std::string kCluster = "[[clusters]]\nname = \"a\"\nbootstrap_servers = \"k:9092\"\n";

ClusterConfig cluster_with(const std::string& keys) {
  const Config config = config_or_fail(parse(kCluster + keys, "o.toml"));
  if (config.clusters.size() != 1) {
    ADD_FAILURE() << "expected one cluster from: " << keys;
    return ClusterConfig{};
  }
  return config.clusters[0];
}

TEST(ClusterOptionsTest, DefaultsWhenAbsent) {
  const ClusterConfig cluster = cluster_with("");
  EXPECT_EQ(cluster.granularity, Granularity::kPartition);
  EXPECT_EQ(cluster.lag_seconds_mode, LagSecondsMode::kEstimate);
  EXPECT_TRUE(cluster.exact_groups.allow_patterns().empty());
  EXPECT_TRUE(cluster.exact_groups.deny_patterns().empty());
  EXPECT_EQ(cluster.exact_max_samples, 1000);
  EXPECT_EQ(cluster.history_points, 64u);
  EXPECT_EQ(cluster.health.window, 10u);
  EXPECT_EQ(cluster.health.min_span, milliseconds(120'000));
  EXPECT_EQ(cluster.health.stop_after, milliseconds(300'000));
  EXPECT_TRUE(cluster.read_consumer_offsets);
}

TEST(ClusterOptionsTest, EveryGranularitySpelling) {
  EXPECT_EQ(cluster_with("granularity = \"partition\"\n").granularity, Granularity::kPartition);
  EXPECT_EQ(cluster_with("granularity = \"topic\"\n").granularity, Granularity::kTopic);
  EXPECT_EQ(cluster_with("granularity = \"group\"\n").granularity, Granularity::kGroup);
}

TEST(ClusterOptionsTest, EveryLagSecondsSpelling) {
  EXPECT_EQ(cluster_with("lag_seconds = \"estimate\"\n").lag_seconds_mode,
            LagSecondsMode::kEstimate);
  EXPECT_EQ(cluster_with("lag_seconds = \"exact\"\n").lag_seconds_mode, LagSecondsMode::kExact);
}

TEST(ClusterOptionsTest, ToStringGivesTheConfigSpelling) {
  EXPECT_EQ(to_string(Granularity::kPartition), "partition");
  EXPECT_EQ(to_string(Granularity::kTopic), "topic");
  EXPECT_EQ(to_string(Granularity::kGroup), "group");
  EXPECT_EQ(to_string(LagSecondsMode::kEstimate), "estimate");
  EXPECT_EQ(to_string(LagSecondsMode::kExact), "exact");
}

TEST(ClusterOptionsTest, ExactGroupsMatchWholeNamesOnly) {
  const ClusterConfig cluster =
      cluster_with("lag_seconds = \"exact\"\nexact_groups = [\"pay-.*\", \"billing\"]\n");
  EXPECT_EQ(cluster.lag_seconds_mode, LagSecondsMode::kExact);
  EXPECT_EQ(cluster.exact_groups.allow_patterns(), (std::vector<std::string>{"pay-.*", "billing"}));
  EXPECT_TRUE(cluster.exact_groups.deny_patterns().empty());
  EXPECT_TRUE(cluster.exact_groups.matches("pay-eu"));
  EXPECT_TRUE(cluster.exact_groups.matches("billing"));
  EXPECT_FALSE(cluster.exact_groups.matches("billing-2"));
  EXPECT_FALSE(cluster.exact_groups.matches("old-pay-eu"));
}

TEST(ClusterOptionsTest, EmptyExactGroupsIsAcceptedInEitherMode) {
  // Empty means "every group": nothing the estimate mode silently ignores.
  EXPECT_TRUE(cluster_with("exact_groups = []\n").exact_groups.allow_patterns().empty());
  const ClusterConfig exact = cluster_with("lag_seconds = \"exact\"\nexact_groups = []\n");
  EXPECT_TRUE(exact.exact_groups.matches("any-group"));
}

TEST(ClusterOptionsTest, ExactGroupsMayComeBeforeLagSeconds) {
  // Key order inside a table carries no meaning in TOML.
  const ClusterConfig cluster = cluster_with("exact_groups = [\"a\"]\nlag_seconds = \"exact\"\n");
  EXPECT_EQ(cluster.lag_seconds_mode, LagSecondsMode::kExact);
  EXPECT_TRUE(cluster.exact_groups.matches("a"));
}

TEST(ClusterOptionsTest, IntegerBoundariesAreAccepted) {
  const ClusterConfig low = cluster_with(
      "exact_max_samples = 1\nhistory_points = 2\n[clusters.health]\nwindow = 2\n"
      "min_span = 0\nstop_after = \"1s\"\n");
  EXPECT_EQ(low.exact_max_samples, 1);
  EXPECT_EQ(low.history_points, 2u);
  EXPECT_EQ(low.health.window, 2u);
  EXPECT_EQ(low.health.min_span, milliseconds(0));
  EXPECT_EQ(low.health.stop_after, milliseconds(1'000));

  const ClusterConfig high = cluster_with(
      "exact_max_samples = 100000\nhistory_points = 10000\n[clusters.health]\nwindow = 1000\n");
  EXPECT_EQ(high.exact_max_samples, 100'000);
  EXPECT_EQ(high.history_points, 10'000u);
  EXPECT_EQ(high.health.window, 1000u);
}

TEST(ClusterOptionsTest, HealthDurationsTakeEverySpelling) {
  const ClusterConfig cluster =
      cluster_with("[clusters.health]\nmin_span = 90.5\nstop_after = \"1h\"\n");
  EXPECT_EQ(cluster.health.min_span, milliseconds(90'500));
  EXPECT_EQ(cluster.health.stop_after, milliseconds(3'600'000));
  EXPECT_EQ(cluster.health.window, 10u);  // not given: keeps its default
}

TEST(ClusterOptionsTest, InlineTablesWorkLikeSections) {
  const ClusterConfig cluster = cluster_with(
      "health = { window = 4, min_span = \"30s\" }\nconsumer_offsets = { enabled = "
      "false }\n");
  EXPECT_EQ(cluster.health.window, 4u);
  EXPECT_EQ(cluster.health.min_span, milliseconds(30'000));
  EXPECT_EQ(cluster.health.stop_after, milliseconds(300'000));
  EXPECT_FALSE(cluster.read_consumer_offsets);
}

TEST(ClusterOptionsTest, EmptySectionsKeepDefaults) {
  const ClusterConfig cluster = cluster_with("[clusters.health]\n[clusters.consumer_offsets]\n");
  EXPECT_EQ(cluster.health.window, 10u);
  EXPECT_TRUE(cluster.read_consumer_offsets);
}

TEST(ClusterOptionsTest, ConsumerOffsetsCanBeSwitchedOffAndOn) {
  EXPECT_FALSE(
      cluster_with("[clusters.consumer_offsets]\nenabled = false\n").read_consumer_offsets);
  EXPECT_TRUE(cluster_with("[clusters.consumer_offsets]\nenabled = true\n").read_consumer_offsets);
}

TEST(ClusterOptionsTest, StreamOffsetsSettings) {
  const ClusterConfig defaults = cluster_with("");
  EXPECT_TRUE(defaults.consumer_offsets.serve_offsets);
  EXPECT_EQ(defaults.consumer_offsets.verify_groups, 3);
  EXPECT_EQ(defaults.consumer_offsets.sync_wait, milliseconds(1000));
  const ClusterConfig set = cluster_with(
      "[clusters.consumer_offsets]\nserve_offsets = false\nverify_groups = 0\n"
      "sync_wait = \"250ms\"\n");
  EXPECT_FALSE(set.consumer_offsets.serve_offsets);
  EXPECT_EQ(set.consumer_offsets.verify_groups, 0);
  EXPECT_EQ(set.consumer_offsets.sync_wait, milliseconds(250));
  EXPECT_TRUE(set.read_consumer_offsets);
}

TEST(ClusterOptionsTest, PartitionDetailsAreOffByDefaultAndCanBeSwitchedOn) {
  EXPECT_FALSE(cluster_with("").series.partition_details);
  EXPECT_FALSE(cluster_with("[clusters.series]\n").series.partition_details);
  EXPECT_TRUE(
      cluster_with("[clusters.series]\npartition_details = true\n").series.partition_details);
  // false is accepted with any granularity: it only switches off series that are not there.
  EXPECT_FALSE(cluster_with("granularity = \"group\"\nseries = { partition_details = false }\n")
                   .series.partition_details);
}

TEST(ClusterOptionsTest, MemberInfoIsOffByDefaultAndCanBeSwitchedOnAtAnyGranularity) {
  EXPECT_FALSE(cluster_with("").series.member_info);
  EXPECT_FALSE(cluster_with("[clusters.series]\npartition_details = true\n").series.member_info);
  const auto on = cluster_with("[clusters.series]\nmember_info = true\n");
  EXPECT_TRUE(on.series.member_info);
  EXPECT_FALSE(on.series.partition_details);
  // Members are a group-level fact: coarser granularities keep them.
  EXPECT_TRUE(cluster_with("granularity = \"group\"\nseries = { member_info = true }\n")
                  .series.member_info);
  EXPECT_FALSE(cluster_with("[clusters.series]\nmember_info = false\n").series.member_info);
}

TEST(ClusterOptionsTest, KafkaExporterNamesAreOffByDefaultAndIndependentOfTheOtherSwitches) {
  EXPECT_FALSE(cluster_with("").series.kafka_exporter_names);
  const auto on = cluster_with("series = { kafka_exporter_names = true }\n");
  EXPECT_TRUE(on.series.kafka_exporter_names && !on.series.partition_details &&
              !on.series.member_info);
  EXPECT_FALSE(cluster_with("series = { member_info = true, partition_details = true }\n")
                   .series.kafka_exporter_names);
}

TEST(ClusterOptionsTest, MetricsKafkaExporterNamesIsEveryClustersDefault) {
  const Config config = config_or_fail(parse(
      "[metrics]\nkafka_exporter_names = true\n" + kCluster +
          "[[clusters]]\nname = \"b\"\nbootstrap_servers = \"k:9092\"\ngranularity = \"topic\"\n"
          "[clusters.series]\nkafka_exporter_names = false\n"
          "[[clusters]]\nname = \"c\"\nbootstrap_servers = \"k:9092\"\n"
          "[clusters.series]\nmember_info = true\n",
      "o.toml"));
  EXPECT_TRUE(config.kafka_exporter_names);
  ASSERT_EQ(config.clusters.size(), 3u);
  EXPECT_TRUE(config.clusters[0].series.kafka_exporter_names);
  EXPECT_FALSE(config.clusters[1].series.kafka_exporter_names);  // the cluster's own word wins
  EXPECT_TRUE(config.clusters[2].series.kafka_exporter_names);
  EXPECT_FALSE(config_or_fail(parse("[metrics]\n" + kCluster, "o.toml"))
                   .clusters[0]
                   .series.kafka_exporter_names);
}

TEST(ClusterOptionsTest, EachClusterHasItsOwnOptions) {
  const Config config =
      config_or_fail(parse(kCluster + "granularity = \"group\"\n[clusters.health]\nwindow = 3\n" +
                               "[[clusters]]\nname = \"b\"\nbootstrap_servers = \"k:9092\"\n",
                           "o.toml"));
  ASSERT_EQ(config.clusters.size(), 2u);
  EXPECT_EQ(config.clusters[0].granularity, Granularity::kGroup);
  EXPECT_EQ(config.clusters[0].health.window, 3u);
  EXPECT_EQ(config.clusters[1].granularity, Granularity::kPartition);
  EXPECT_EQ(config.clusters[1].health.window, 10u);
}

}  // namespace
}  // namespace lagwatch::config
