#include "metrics/cluster_renderer.h"

#include <gtest/gtest.h>

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
  g.partitions = {{0, 0, 40, 60}, {0, 1, 50, 0}, {1, 0, 2, std::nullopt}};
  s.groups.push_back(g);
  lag::GroupSnapshot empty;
  empty.name = "new\\group";
  empty.state = lag::GroupState::kEmpty;
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
  // 3 committed + 2 lag + 1 topic lag + 2 members + 2 states + 3 high + 3 low.
  EXPECT_EQ(e.series_count, 16u);
}

TEST(ClusterRenderer, EscapesLabelValues) {
  std::string out;
  append_escaped_label_value(out, "a\\b\"c\nd");
  EXPECT_EQ(out, "a\\\\b\\\"c\\nd");
}

}  // namespace
}  // namespace lagwatch::metrics
