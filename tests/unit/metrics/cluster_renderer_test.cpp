#include "metrics/cluster_renderer.h"

#include <gtest/gtest.h>

#include "group_partition.h"

namespace lagwatch::metrics {
namespace {

lag::ClusterSnapshot sample_snapshot() {
  lag::ClusterSnapshot s;
  s.cluster = "prod";
  s.topics = {"orders", "pay\"ments"};
  s.partitions = {{0, 0, 5, 100}, {0, 1, 0, 50}, {1, 0, 0, 7}};
  lag::GroupSnapshot g;
  g.name = "billing";
  g.state = lag::GroupState::kStable;
  g.members = 3;
  g.partitions = {partition(0, 0, 40, 60), partition(0, 1, 50, 0),
                  partition(1, 0, 2, std::nullopt)};
  s.groups.push_back(g);
  lag::GroupSnapshot empty;
  empty.name = "new\\group";
  empty.state = lag::GroupState::kEmpty;
  empty.members = 0;
  s.groups.push_back(empty);
  return s;
}

const std::string& family(const ClusterExposition& e, Family f) {
  return e.series[static_cast<size_t>(f)];
}

TEST(ClusterRenderer, WritesEveryPartitionWithExactLabelsAndValues) {
  const auto e = render_cluster(sample_snapshot());
  EXPECT_EQ(family(e, Family::kGroupPartitionCommittedOffset),
            "lagwatch_group_partition_committed_offset{kafka_cluster=\"prod\",group=\"billing\","
            "topic=\"orders\",partition=\"0\"} 40\n"
            "lagwatch_group_partition_committed_offset{kafka_cluster=\"prod\",group=\"billing\","
            "topic=\"orders\",partition=\"1\"} 50\n"
            "lagwatch_group_partition_committed_offset{kafka_cluster=\"prod\",group=\"billing\","
            "topic=\"pay\\\"ments\",partition=\"0\"} 2\n");
  // No lag series where the watermark is unknown.
  EXPECT_EQ(family(e, Family::kGroupPartitionLag),
            "lagwatch_group_partition_lag{kafka_cluster=\"prod\",group=\"billing\","
            "topic=\"orders\",partition=\"0\"} 60\n"
            "lagwatch_group_partition_lag{kafka_cluster=\"prod\",group=\"billing\","
            "topic=\"orders\",partition=\"1\"} 0\n");
  EXPECT_EQ(family(e, Family::kGroupTopicLag),
            "lagwatch_group_topic_lag{kafka_cluster=\"prod\",group=\"billing\",topic=\"orders\"} "
            "60\n");
}

TEST(ClusterRenderer, GroupsWithoutOffsetsStillShowMembersAndState) {
  const auto e = render_cluster(sample_snapshot());
  EXPECT_EQ(family(e, Family::kGroupMembers),
            "lagwatch_group_members{kafka_cluster=\"prod\",group=\"billing\"} 3\n"
            "lagwatch_group_members{kafka_cluster=\"prod\",group=\"new\\\\group\"} 0\n");
  EXPECT_EQ(family(e, Family::kGroupState),
            "lagwatch_group_state{kafka_cluster=\"prod\",group=\"billing\",state=\"stable\"} 1\n"
            "lagwatch_group_state{kafka_cluster=\"prod\",group=\"new\\\\group\",state=\"empty\"} "
            "1\n");
}

// A group never described has no member count: no series rather than a made-up 0.
TEST(ClusterRenderer, NoMembersSeriesWhileTheCountIsUnknown) {
  auto snapshot = sample_snapshot();
  snapshot.groups[0].members.reset();
  EXPECT_EQ(family(render_cluster(snapshot), Family::kGroupMembers),
            "lagwatch_group_members{kafka_cluster=\"prod\",group=\"new\\\\group\"} 0\n");
}

TEST(ClusterRenderer, WatermarksAndSeriesCount) {
  const auto e = render_cluster(sample_snapshot());
  EXPECT_EQ(family(e, Family::kPartitionHighWatermark),
            "lagwatch_partition_high_watermark{kafka_cluster=\"prod\",topic=\"orders\","
            "partition=\"0\"} 100\n"
            "lagwatch_partition_high_watermark{kafka_cluster=\"prod\",topic=\"orders\","
            "partition=\"1\"} 50\n"
            "lagwatch_partition_high_watermark{kafka_cluster=\"prod\",topic=\"pay\\\"ments\","
            "partition=\"0\"} 7\n");
  EXPECT_NE(family(e, Family::kPartitionLowWatermark).find("partition=\"0\"} 5\n"),
            std::string::npos);
  // 3 committed + 2 lag + 1 topic lag + 1 group lag + 1 group health + 2 members + 2 states
  // + 3 high + 3 low; partition health is behind [clusters.series] partition_details.
  EXPECT_EQ(e.series_count, 18u);
}

// [clusters.labels] go on every series, right after kafka_cluster, escaped like any value.
TEST(ClusterRenderer, StaticLabelsAreOnEverySeries) {
  const auto plain = render_cluster(sample_snapshot());
  const auto labelled =
      render_cluster(sample_snapshot(), {{"env", "prod"}, {"region", "eu \"west\""}});
  EXPECT_EQ(labelled.series_count, plain.series_count);
  const std::string expected_start =
      "{kafka_cluster=\"prod\",env=\"prod\",region=\"eu \\\"west\\\"\",";
  size_t lines = 0;
  for (size_t f = 0; f < kFamilyCount; ++f) {
    const std::string& text = labelled.series[f];
    for (size_t at = 0; at < text.size(); at = text.find('\n', at) + 1) {
      const std::string line = text.substr(at, text.find('\n', at) - at);
      EXPECT_NE(line.find(expected_start), std::string::npos) << line;
      ++lines;
    }
  }
  EXPECT_EQ(lines, labelled.series_count);
}

TEST(ClusterRenderer, LagSecondsHealthAndDataLoss) {
  auto s = sample_snapshot();
  auto& g = s.groups[0];
  g.partitions[0].lag_seconds = 12.3456;
  g.partitions[0].health = lag::HealthStatus::kStall;
  g.partitions[0].messages_lost = 4;
  g.partitions[1].lag_seconds = 700.0;
  g.partitions[1].lag_seconds_lower_bound = true;
  g.partitions[1].messages_lost = 1;
  g.health = lag::HealthStatus::kStall;
  s.partition_details = true;
  const auto e = render_cluster(s);
  const std::string p0 =
      "{kafka_cluster=\"prod\",group=\"billing\",topic=\"orders\",partition=\"0\"}";
  const std::string p1 =
      "{kafka_cluster=\"prod\",group=\"billing\",topic=\"orders\",partition=\"1\"}";
  EXPECT_EQ(family(e, Family::kGroupPartitionLagSeconds),
            "lagwatch_group_partition_lag_seconds" + p0 + " 12.346\n" +
                "lagwatch_group_partition_lag_seconds" + p1 + " 700.000\n");
  EXPECT_EQ(family(e, Family::kGroupPartitionLagSecondsLowerBound),
            "lagwatch_group_partition_lag_seconds_lower_bound" + p1 + " 1\n");
  EXPECT_EQ(family(e, Family::kGroupPartitionHealth),
            "lagwatch_group_partition_health" + p0 + " 2\n" + "lagwatch_group_partition_health" +
                p1 + " 0\n");
  EXPECT_EQ(family(e, Family::kGroupDataLoss),
            "lagwatch_group_data_loss_messages{kafka_cluster=\"prod\",group=\"billing\"} 5\n");
  EXPECT_EQ(family(e, Family::kGroupMaxLagSeconds),
            "lagwatch_group_max_lag_seconds{kafka_cluster=\"prod\",group=\"billing\"} 700.000\n");
  EXPECT_EQ(family(e, Family::kGroupTopicMaxLagSeconds),
            "lagwatch_group_topic_max_lag_seconds{kafka_cluster=\"prod\",group=\"billing\","
            "topic=\"orders\"} 700.000\n");
  EXPECT_EQ(family(e, Family::kGroupHealth),
            "lagwatch_group_health{kafka_cluster=\"prod\",group=\"billing\"} 2\n");
  EXPECT_EQ(family(e, Family::kGroupLag),
            "lagwatch_group_lag{kafka_cluster=\"prod\",group=\"billing\"} 60\n");
}

TEST(ClusterRenderer, GranularityControlsWhichGroupSeriesExist) {
  auto s = sample_snapshot();
  s.granularity = lag::Granularity::kTopic;
  auto e = render_cluster(s);
  EXPECT_TRUE(family(e, Family::kGroupPartitionLag).empty());
  EXPECT_TRUE(family(e, Family::kGroupPartitionCommittedOffset).empty());
  EXPECT_FALSE(family(e, Family::kGroupTopicLag).empty());
  EXPECT_FALSE(family(e, Family::kGroupLag).empty());
  s.granularity = lag::Granularity::kGroup;
  e = render_cluster(s);
  EXPECT_TRUE(family(e, Family::kGroupTopicLag).empty());
  EXPECT_FALSE(family(e, Family::kGroupLag).empty());
  EXPECT_FALSE(family(e, Family::kGroupMembers).empty());
  // Watermarks are per partition of a topic, not per group: they stay.
  EXPECT_FALSE(family(e, Family::kPartitionHighWatermark).empty());
}

TEST(ClusterRenderer, UncommittedAssignedPartitionsAreVisible) {
  auto s = sample_snapshot();
  s.groups[0].uncommitted = std::vector<lag::PartitionRef>{{0, 2}};
  s.groups[1].uncommitted = std::vector<lag::PartitionRef>{};
  s.partition_details = true;
  const auto e = render_cluster(s);
  EXPECT_EQ(family(e, Family::kGroupPartitionUncommitted),
            "lagwatch_group_partition_uncommitted{kafka_cluster=\"prod\",group=\"billing\","
            "topic=\"orders\",partition=\"2\"} 1\n");
  EXPECT_EQ(family(e, Family::kGroupUncommittedPartitions),
            "lagwatch_group_uncommitted_partitions{kafka_cluster=\"prod\",group=\"billing\"} 1\n"
            "lagwatch_group_uncommitted_partitions{kafka_cluster=\"prod\",group=\"new\\\\group\"} "
            "0\n");
  // Group granularity keeps the count, not the partition series.
  s.granularity = lag::Granularity::kGroup;
  const auto coarse = render_cluster(s);
  EXPECT_TRUE(family(coarse, Family::kGroupPartitionUncommitted).empty());
  EXPECT_FALSE(family(coarse, Family::kGroupUncommittedPartitions).empty());
}

TEST(ClusterRenderer, GroupsWithUnauthorizedTopicsAreMarkedAndOthersHaveNoSeries) {
  auto s = sample_snapshot();
  s.groups[0].unauthorized_topics = {"payroll", "salaries"};
  const auto e = render_cluster(s);
  EXPECT_EQ(family(e, Family::kGroupUnauthorizedTopics),
            "lagwatch_group_unauthorized_topics{kafka_cluster=\"prod\",group=\"billing\"} 2\n");
  s.granularity = lag::Granularity::kGroup;
  EXPECT_EQ(family(render_cluster(s), Family::kGroupUnauthorizedTopics),
            family(e, Family::kGroupUnauthorizedTopics));
}

TEST(ClusterRenderer, EscapesLabelValues) {
  std::string out;
  append_escaped_label_value(out, "a\\b\"c\nd");
  EXPECT_EQ(out, "a\\\\b\\\"c\\nd");
}

}  // namespace
}  // namespace lagwatch::metrics
