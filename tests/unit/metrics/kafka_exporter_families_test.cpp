// kafka_exporter's families ([clusters.series] kafka_exporter_names): its names and labels,
// lagwatch's semantics (no series without a value, never -1), the cluster labels on each series.

#include <gtest/gtest.h>

#include <string>

#include "group_partition.h"
#include "metrics/cluster_renderer.h"

namespace lagwatch::metrics {
namespace {

// Group "billing" (2 members) on topic "orders" (3 partitions, replicas 1,2 and 2,1 and 3,1):
// committed on partitions 0 and 2, not on 1. Partition 1's ISR shrank to one replica; partition
// 2 is led by broker 1, its second replica.
lag::ClusterSnapshot small_cluster(bool switched_on) {
  lag::ClusterSnapshot s;
  s.cluster = "prod";
  s.kafka_exporter_names = switched_on;
  s.topics = {"orders"};
  s.partitions = {{0, 0, 5, 120}, {0, 2, 0, 40}};
  lag::GroupSnapshot group;
  group.name = "billing";
  group.members = 2;
  group.partitions = {partition(0, 0, 100, 20), partition(0, 2, 40, 0)};
  s.groups.push_back(group);
  lag::ClusterLayout layout;
  layout.brokers = {{1, "kafka-1:9092"}, {2, "kafka-2:9092"}, {3, "kafka-3:9092"}};
  lag::TopicPlacement orders{"orders", {}};
  orders.partitions.push_back({0, 1, 2, 2, true, 5, 120});
  orders.partitions.push_back({1, 2, 2, 1, true, 0, 7});
  orders.partitions.push_back({2, 1, 2, 2, false, 0, 40});
  layout.topics.push_back(orders);
  s.layout = layout;
  return s;
}

std::string text_of(const ClusterExposition& e, Family from, Family to) {
  std::string out;
  for (auto f = static_cast<size_t>(from); f <= static_cast<size_t>(to); ++f) out += e.series[f];
  return out;
}

std::string all_kafka_exporter_text(const ClusterExposition& e) {
  return text_of(e, Family::kKafkaConsumergroupCurrentOffset, Family::kKafkaBrokerInfo);
}

TEST(KafkaExporterFamilies, ExactTextOfASmallCluster) {
  const auto e = render_cluster(small_cluster(true));
  EXPECT_EQ(all_kafka_exporter_text(e),
            "kafka_consumergroup_current_offset{kafka_cluster=\"prod\",consumergroup=\"billing\","
            "topic=\"orders\",partition=\"0\"} 100\n"
            "kafka_consumergroup_current_offset{kafka_cluster=\"prod\",consumergroup=\"billing\","
            "topic=\"orders\",partition=\"2\"} 40\n"
            "kafka_consumergroup_current_offset_sum{kafka_cluster=\"prod\",consumergroup="
            "\"billing\",topic=\"orders\"} 140\n"
            "kafka_consumergroup_lag{kafka_cluster=\"prod\",consumergroup=\"billing\","
            "topic=\"orders\",partition=\"0\"} 20\n"
            "kafka_consumergroup_lag{kafka_cluster=\"prod\",consumergroup=\"billing\","
            "topic=\"orders\",partition=\"2\"} 0\n"
            "kafka_consumergroup_lag_sum{kafka_cluster=\"prod\",consumergroup=\"billing\","
            "topic=\"orders\"} 20\n"
            "kafka_consumergroup_members{kafka_cluster=\"prod\",consumergroup=\"billing\"} 2\n"
            "kafka_topic_partitions{kafka_cluster=\"prod\",topic=\"orders\"} 3\n"
            "kafka_topic_partition_current_offset{kafka_cluster=\"prod\",topic=\"orders\","
            "partition=\"0\"} 120\n"
            "kafka_topic_partition_current_offset{kafka_cluster=\"prod\",topic=\"orders\","
            "partition=\"1\"} 7\n"
            "kafka_topic_partition_current_offset{kafka_cluster=\"prod\",topic=\"orders\","
            "partition=\"2\"} 40\n"
            "kafka_topic_partition_oldest_offset{kafka_cluster=\"prod\",topic=\"orders\","
            "partition=\"0\"} 5\n"
            "kafka_topic_partition_oldest_offset{kafka_cluster=\"prod\",topic=\"orders\","
            "partition=\"1\"} 0\n"
            "kafka_topic_partition_oldest_offset{kafka_cluster=\"prod\",topic=\"orders\","
            "partition=\"2\"} 0\n"
            "kafka_topic_partition_leader{kafka_cluster=\"prod\",topic=\"orders\","
            "partition=\"0\"} 1\n"
            "kafka_topic_partition_leader{kafka_cluster=\"prod\",topic=\"orders\","
            "partition=\"1\"} 2\n"
            "kafka_topic_partition_leader{kafka_cluster=\"prod\",topic=\"orders\","
            "partition=\"2\"} 1\n"
            "kafka_topic_partition_replicas{kafka_cluster=\"prod\",topic=\"orders\","
            "partition=\"0\"} 2\n"
            "kafka_topic_partition_replicas{kafka_cluster=\"prod\",topic=\"orders\","
            "partition=\"1\"} 2\n"
            "kafka_topic_partition_replicas{kafka_cluster=\"prod\",topic=\"orders\","
            "partition=\"2\"} 2\n"
            "kafka_topic_partition_in_sync_replica{kafka_cluster=\"prod\",topic=\"orders\","
            "partition=\"0\"} 2\n"
            "kafka_topic_partition_in_sync_replica{kafka_cluster=\"prod\",topic=\"orders\","
            "partition=\"1\"} 1\n"
            "kafka_topic_partition_in_sync_replica{kafka_cluster=\"prod\",topic=\"orders\","
            "partition=\"2\"} 2\n"
            "kafka_topic_partition_under_replicated_partition{kafka_cluster=\"prod\",topic="
            "\"orders\",partition=\"0\"} 0\n"
            "kafka_topic_partition_under_replicated_partition{kafka_cluster=\"prod\",topic="
            "\"orders\",partition=\"1\"} 1\n"
            "kafka_topic_partition_under_replicated_partition{kafka_cluster=\"prod\",topic="
            "\"orders\",partition=\"2\"} 0\n"
            "kafka_topic_partition_leader_is_preferred{kafka_cluster=\"prod\",topic=\"orders\","
            "partition=\"0\"} 1\n"
            "kafka_topic_partition_leader_is_preferred{kafka_cluster=\"prod\",topic=\"orders\","
            "partition=\"1\"} 1\n"
            "kafka_topic_partition_leader_is_preferred{kafka_cluster=\"prod\",topic=\"orders\","
            "partition=\"2\"} 0\n"
            "kafka_brokers{kafka_cluster=\"prod\"} 3\n"
            "kafka_broker_info{kafka_cluster=\"prod\",id=\"1\",address=\"kafka-1:9092\"} 1\n"
            "kafka_broker_info{kafka_cluster=\"prod\",id=\"2\",address=\"kafka-2:9092\"} 1\n"
            "kafka_broker_info{kafka_cluster=\"prod\",id=\"3\",address=\"kafka-3:9092\"} 1\n");
}

TEST(KafkaExporterFamilies, AbsentUnlessSwitchedOn) {
  const auto off = render_cluster(small_cluster(false));
  EXPECT_EQ(all_kafka_exporter_text(off), "");
  const auto on = render_cluster(small_cluster(true));
  // The mode adds 2 GP + 2 GT + G + T + 7 TP + B + 1 (docs/kafka_exporter.md).
  EXPECT_EQ(on.series_count - off.series_count, 2u * 2 + 2 * 1 + 1 + 1 + 7 * 3 + 3 + 1);
}

TEST(KafkaExporterFamilies, NoSeriesWithoutAValueAndNeverMinusOne) {
  auto s = small_cluster(true);
  s.groups[0].partitions[0].lag.reset();  // watermarks unknown
  s.groups[0].partitions[1].lag.reset();
  s.layout->topics[0].partitions[1].leader.reset();  // no leader
  s.layout->topics[0].partitions[1].low_watermark.reset();
  s.layout->topics[0].partitions[1].high_watermark.reset();
  const auto e = render_cluster(s);
  EXPECT_EQ(e.series[static_cast<size_t>(Family::kKafkaConsumergroupLag)], "");
  EXPECT_EQ(e.series[static_cast<size_t>(Family::kKafkaConsumergroupLagSum)], "");
  for (const auto family :
       {Family::kKafkaTopicPartitionLeader, Family::kKafkaTopicPartitionCurrentOffset,
        Family::kKafkaTopicPartitionOldestOffset}) {
    EXPECT_EQ(e.series[static_cast<size_t>(family)].find("partition=\"1\""), std::string::npos)
        << info(family).name;
  }
  EXPECT_EQ(all_kafka_exporter_text(e).find(" -1\n"), std::string::npos);
  // The committed offsets are known, so they and their sum stay.
  EXPECT_NE(e.series[static_cast<size_t>(Family::kKafkaConsumergroupCurrentOffsetSum)].find(
                "topic=\"orders\"} 140\n"),
            std::string::npos);
}

TEST(KafkaExporterFamilies, WithoutALayoutOnlyTheGroupFamilies) {
  auto s = small_cluster(true);
  s.layout.reset();  // a shard other than 0
  const auto e = render_cluster(s);
  EXPECT_NE(
      text_of(e, Family::kKafkaConsumergroupCurrentOffset, Family::kKafkaConsumergroupMembers), "");
  EXPECT_EQ(text_of(e, Family::kKafkaTopicPartitions, Family::kKafkaBrokerInfo), "");
}

TEST(KafkaExporterFamilies, CarryTheClusterLabels) {
  const auto e = render_cluster(small_cluster(true), {{"env", "prod-eu"}});
  const std::string text = all_kafka_exporter_text(e);
  size_t lines = 0;
  for (size_t at = 0; (at = text.find('\n', at)) != std::string::npos; ++at) ++lines;
  size_t labelled = 0;
  for (size_t at = 0;
       (at = text.find("{kafka_cluster=\"prod\",env=\"prod-eu\"", at)) != std::string::npos; ++at) {
    ++labelled;
  }
  EXPECT_EQ(lines, 33u);
  EXPECT_EQ(labelled, lines);
}

}  // namespace
}  // namespace lagwatch::metrics
