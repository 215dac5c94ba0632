#include "metrics/internal/kafka_exporter_families.h"

#include <optional>
#include <vector>

#include "metrics/internal/series_text.h"

namespace lagwatch::metrics {

namespace {

using detail::FamilyWriter;
using detail::label;
using detail::partition_labels;

void render_groups(const lag::ClusterSnapshot& snapshot, const std::string& cluster_labels,
                   ClusterExposition& out) {
  FamilyWriter current(out, Family::kKafkaConsumergroupCurrentOffset);
  FamilyWriter current_sum(out, Family::kKafkaConsumergroupCurrentOffsetSum);
  FamilyWriter lag(out, Family::kKafkaConsumergroupLag);
  FamilyWriter lag_sum(out, Family::kKafkaConsumergroupLagSum);
  FamilyWriter members(out, Family::kKafkaConsumergroupMembers);
  std::vector<std::string> topic_labels;
  topic_labels.reserve(snapshot.topics.size());
  for (const auto& topic : snapshot.topics) topic_labels.push_back(label("topic", topic));

  std::string group_labels, topic_level, labels;
  for (const auto& group : snapshot.groups) {
    group_labels = cluster_labels + "," + label("consumergroup", group.name);
    // No series for a group never described, as lagwatch_group_members.
    if (group.members) members.sample(group_labels, *group.members);
    // Partitions are sorted by topic: a topic's sums close when the topic changes.
    size_t i = 0;
    while (i < group.partitions.size()) {
      const lag::TopicIndex topic = group.partitions[i].topic;
      int64_t offsets = 0;
      std::optional<int64_t> lags;
      for (; i < group.partitions.size() && group.partitions[i].topic == topic; ++i) {
        const auto& gp = group.partitions[i];
        partition_labels(labels, group_labels, topic_labels[topic], gp.partition);
        current.sample(labels, gp.committed_offset);
        offsets += gp.committed_offset;
        if (gp.lag) {
          lag.sample(labels, *gp.lag);
          lags = lags.value_or(0) + *gp.lag;
        }
      }
      topic_level = group_labels + "," + topic_labels[topic];
      current_sum.sample(topic_level, offsets);
      if (lags) lag_sum.sample(topic_level, *lags);
    }
  }
}

void render_layout(const lag::ClusterLayout& layout, const std::string& cluster_labels,
                   ClusterExposition& out) {
  FamilyWriter partitions(out, Family::kKafkaTopicPartitions);
  FamilyWriter current(out, Family::kKafkaTopicPartitionCurrentOffset);
  FamilyWriter oldest(out, Family::kKafkaTopicPartitionOldestOffset);
  FamilyWriter leader(out, Family::kKafkaTopicPartitionLeader);
  FamilyWriter replicas(out, Family::kKafkaTopicPartitionReplicas);
  FamilyWriter in_sync(out, Family::kKafkaTopicPartitionInSyncReplica);
  FamilyWriter under_replicated(out, Family::kKafkaTopicPartitionUnderReplicatedPartition);
  FamilyWriter preferred(out, Family::kKafkaTopicPartitionLeaderIsPreferred);
  FamilyWriter brokers(out, Family::kKafkaBrokers);
  FamilyWriter broker_info(out, Family::kKafkaBrokerInfo);

  std::string topic_label, labels;
  for (const auto& topic : layout.topics) {
    topic_label = label("topic", topic.name);
    partitions.sample(cluster_labels + "," + topic_label,
                      static_cast<int64_t>(topic.partitions.size()));
    for (const auto& p : topic.partitions) {
      partition_labels(labels, cluster_labels, topic_label, p.partition);
      if (p.high_watermark) current.sample(labels, *p.high_watermark);
      if (p.low_watermark) oldest.sample(labels, *p.low_watermark);
      if (p.leader) leader.sample(labels, *p.leader);
      replicas.sample(labels, p.replicas);
      in_sync.sample(labels, p.in_sync_replicas);
      under_replicated.sample(labels, p.in_sync_replicas < p.replicas ? 1 : 0);
      preferred.sample(labels, p.leader_is_preferred ? 1 : 0);
    }
  }
  brokers.sample(cluster_labels, static_cast<int64_t>(layout.brokers.size()));
  for (const auto& broker : layout.brokers) {
    broker_info.sample(cluster_labels + "," + label("id", std::to_string(broker.id)) + "," +
                           label("address", broker.address),
                       1);
  }
}

}  // namespace

void render_kafka_exporter_families(const lag::ClusterSnapshot& snapshot,
                                    const std::string& cluster_labels, ClusterExposition& out) {
  render_groups(snapshot, cluster_labels, out);
  if (snapshot.layout) render_layout(*snapshot.layout, cluster_labels, out);
}

}  // namespace lagwatch::metrics
