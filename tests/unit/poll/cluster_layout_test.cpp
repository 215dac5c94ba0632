// The layout behind kafka_exporter's topic and broker families: placement from the Metadata
// reply, watermarks from ListOffsets, the topic filter, and the last watermarks kept through a
// failed read.

#include "poll/cluster_layout.h"

#include <gtest/gtest.h>

namespace lagwatch::poll {
namespace {

kafka::ClusterMetadata metadata() {
  kafka::ClusterMetadata md;
  md.brokers = {{1, "kafka-1", 9092}, {2, "kafka-2", 9093}};
  kafka::TopicMetadata orders{"orders", 3, std::nullopt, {}};
  orders.partition_details = {{0, 1, {1, 2}, {1, 2}},   // led by its preferred replica
                              {1, 2, {2, 1}, {2}},      // ISR shrank
                              {2, 1, {2, 1}, {2, 1}}};  // led by its second replica
  kafka::TopicMetadata internal{"__consumer_offsets", 1, std::nullopt, {}};
  internal.partition_details = {{0, 1, {1}, {1}}};
  kafka::TopicMetadata leaderless{"audit", 1, std::nullopt, {}};
  leaderless.partition_details = {{0, -1, {2}, {}}};
  md.topics = {orders, internal, leaderless};
  return md;
}

const config::NameFilter kNoInternal({}, {"^__.*"});

Result<std::vector<kafka::Watermark>> read(int64_t high) {
  return std::vector<kafka::Watermark>{{"orders", 0, {}, 3, high},
                                       {"orders", 1, {}, 0, high + 1},
                                       {"orders", 2, Error{6, "not leader"}, 0, 0},
                                       {"audit", 0, Error{5, "no leader"}, 0, 0}};
}

TEST(ClusterLayout, PartitionsOfTheExportedTopicsOnly) {
  const auto partitions = exported_topic_partitions(metadata(), kNoInternal);
  EXPECT_EQ(partitions, (std::vector<kafka::TopicPartition>{
                            {"audit", 0}, {"orders", 0}, {"orders", 1}, {"orders", 2}}));
}

TEST(ClusterLayout, PlacementAndWatermarks) {
  ClusterLayoutState state;
  const auto layout = state.absorb(metadata(), kNoInternal, read(50));
  ASSERT_EQ(layout.brokers.size(), 2u);
  EXPECT_EQ(layout.brokers[1].id, 2);
  EXPECT_EQ(layout.brokers[1].address, "kafka-2:9093");
  ASSERT_EQ(layout.topics.size(), 2u);
  EXPECT_EQ(layout.topics[0].name, "audit");
  const auto& audit = layout.topics[0].partitions.at(0);
  EXPECT_FALSE(audit.leader.has_value());
  EXPECT_FALSE(audit.leader_is_preferred);
  EXPECT_FALSE(audit.high_watermark.has_value());
  const auto& orders = layout.topics[1].partitions;
  ASSERT_EQ(orders.size(), 3u);
  EXPECT_EQ(orders[0].leader, 1);
  EXPECT_TRUE(orders[0].leader_is_preferred);
  EXPECT_EQ(orders[0].low_watermark, 3);
  EXPECT_EQ(orders[0].high_watermark, 50);
  EXPECT_EQ(orders[1].replicas, 2);
  EXPECT_EQ(orders[1].in_sync_replicas, 1);
  EXPECT_TRUE(orders[1].leader_is_preferred);
  EXPECT_EQ(orders[2].leader, 1);
  EXPECT_FALSE(orders[2].leader_is_preferred);
  EXPECT_FALSE(orders[2].high_watermark.has_value());
}

TEST(ClusterLayout, AFailedReadKeepsTheLastWatermarks) {
  ClusterLayoutState state;
  state.absorb(metadata(), kNoInternal, read(50));
  const auto layout = state.absorb(metadata(), kNoInternal, Error{-185, "timed out"});
  EXPECT_EQ(layout.topics[1].partitions[0].high_watermark, 50);
  EXPECT_EQ(layout.topics[1].partitions[1].high_watermark, 51);
  // A topic no longer listed is forgotten: re-listed, it has no watermarks until read again.
  auto without_orders = metadata();
  without_orders.topics.erase(without_orders.topics.begin());
  state.absorb(without_orders, kNoInternal, read(60));
  const auto again = state.absorb(metadata(), kNoInternal, Error{-185, "timed out"});
  EXPECT_FALSE(again.topics[1].partitions[0].high_watermark.has_value());
}

}  // namespace
}  // namespace lagwatch::poll
