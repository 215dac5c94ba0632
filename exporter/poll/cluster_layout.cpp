#include "poll/cluster_layout.h"

#include <algorithm>
#include <string>

namespace lagwatch::poll {

namespace {

bool exported(const kafka::TopicMetadata& topic, const config::NameFilter& topics) {
  return !topic.error && topics.matches(topic.name);
}

}  // namespace

std::vector<kafka::TopicPartition> exported_topic_partitions(const kafka::ClusterMetadata& metadata,
                                                             const config::NameFilter& topics) {
  std::vector<kafka::TopicPartition> out;
  for (const auto& topic : metadata.topics) {
    if (!exported(topic, topics)) continue;
    for (const auto& partition : topic.partition_details) {
      out.push_back({topic.name, partition.partition});
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

lag::ClusterLayout ClusterLayoutState::absorb(
    const kafka::ClusterMetadata& metadata, const config::NameFilter& topics,
    const Result<std::vector<kafka::Watermark>>& watermarks) {
  std::map<kafka::TopicPartition, std::pair<int64_t, int64_t>> fresh;
  if (watermarks.has_value()) {
    for (const auto& w : watermarks.value()) {
      if (!w.error) fresh.insert_or_assign({w.topic, w.partition}, std::pair{w.low, w.high});
    }
  }
  lag::ClusterLayout layout;
  for (const auto& broker : metadata.brokers) {
    layout.brokers.push_back({broker.id, broker.host + ":" + std::to_string(broker.port)});
  }
  std::map<kafka::TopicPartition, std::pair<int64_t, int64_t>> next;
  for (const auto& topic : metadata.topics) {
    if (!exported(topic, topics)) continue;
    lag::TopicPlacement placement{topic.name, {}};
    for (const auto& p : topic.partition_details) {
      lag::PartitionPlacement partition;
      partition.partition = p.partition;
      if (p.leader >= 0) partition.leader = p.leader;
      partition.replicas = static_cast<int32_t>(p.replicas.size());
      partition.in_sync_replicas = static_cast<int32_t>(p.in_sync_replicas.size());
      partition.leader_is_preferred =
          partition.leader && !p.replicas.empty() && p.replicas.front() == *partition.leader;
      const kafka::TopicPartition key{topic.name, p.partition};
      const std::pair<int64_t, int64_t>* known = nullptr;
      if (auto read = fresh.find(key); read != fresh.end()) {
        known = &read->second;
      } else if (auto last = watermarks_.find(key); last != watermarks_.end()) {
        known = &last->second;
      }
      if (known != nullptr) {
        partition.low_watermark = known->first;
        partition.high_watermark = known->second;
        next.emplace(key, *known);
      }
      placement.partitions.push_back(partition);
    }
    layout.topics.push_back(std::move(placement));
  }
  std::sort(layout.topics.begin(), layout.topics.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  watermarks_ = std::move(next);
  return layout;
}

}  // namespace lagwatch::poll
