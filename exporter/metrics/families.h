#pragma once
// The per-cluster metric families rendered directly from a snapshot (not through
// prometheus-cpp's registry, which is far too slow for 100k series). Order here is the order in
// the exposition; the HELP texts are the documentation users see.

#include <array>
#include <cstddef>

namespace lagwatch::metrics {

enum class Family : size_t {
  kGroupPartitionCommittedOffset,
  kGroupPartitionLag,
  kGroupPartitionLagSeconds,
  kGroupPartitionLagSecondsLowerBound,
  kGroupPartitionLagSecondsExact,
  kGroupPartitionLastCommit,
  kGroupPartitionHealth,
  kGroupPartitionDataLoss,
  kGroupPartitionUncommitted,
  kGroupTopicLag,
  kGroupTopicMaxLagSeconds,
  kGroupLag,
  kGroupMaxLagSeconds,
  kGroupHealth,
  kGroupDataLoss,
  kGroupUncommittedPartitions,
  kGroupUnauthorizedTopics,
  kGroupMembers,
  kGroupMemberInfo,
  kGroupState,
  kGroupRebalances,
  kGroupGeneration,
  kGroupOffsetCommits,
  kPartitionHighWatermark,
  kPartitionLowWatermark,
  // kafka_exporter's names and labels ([clusters.series] kafka_exporter_names): see
  // docs/kafka_exporter.md for where their meaning differs from kafka_exporter's.
  kKafkaConsumergroupCurrentOffset,
  kKafkaConsumergroupCurrentOffsetSum,
  kKafkaConsumergroupLag,
  kKafkaConsumergroupLagSum,
  kKafkaConsumergroupMembers,
  kKafkaTopicPartitions,
  kKafkaTopicPartitionCurrentOffset,
  kKafkaTopicPartitionOldestOffset,
  kKafkaTopicPartitionLeader,
  kKafkaTopicPartitionReplicas,
  kKafkaTopicPartitionInSyncReplica,
  kKafkaTopicPartitionUnderReplicatedPartition,
  kKafkaTopicPartitionLeaderIsPreferred,
  kKafkaBrokers,
  kKafkaBrokerInfo,
  kCount,
};

inline constexpr size_t kFamilyCount = static_cast<size_t>(Family::kCount);

struct FamilyInfo {
  const char* name;
  const char* type;
  const char* help;
};

inline constexpr std::array<FamilyInfo, kFamilyCount> kFamilies = {{
    {"lagwatch_group_partition_committed_offset", "gauge",
     "Committed offset of the group on the partition: the next message it will read."},
    {"lagwatch_group_partition_lag", "gauge",
     "Messages the group is behind on the partition: max(0, high watermark - committed offset)."},
    {"lagwatch_group_partition_lag_seconds", "gauge",
     "Age in seconds of the next message the group will read on the partition (0 when caught "
     "up), interpolated from the high watermark history; see lagwatch_group_partition_lag_"
     "seconds_lower_bound."},
    {"lagwatch_group_partition_lag_seconds_lower_bound", "gauge",
     "Present (value 1) only while the partition's lag in seconds is a lower bound: the "
     "committed offset is older than the recorded high watermark history."},
    {"lagwatch_group_partition_lag_seconds_exact", "gauge",
     "With lag_seconds = \"exact\": 1 when the partition's lag in seconds comes from the "
     "timestamp of the record at the committed offset, 0 when it is the estimate (record "
     "deleted, compacted away, a transaction marker, or not read yet)."},
    {"lagwatch_group_partition_last_commit_timestamp_seconds", "gauge",
     "Unix time of the group's latest offset commit on the partition, from __consumer_offsets."},
    {"lagwatch_group_partition_health", "gauge",
     "Consumer health of the group on the partition: 0 ok, 1 warn (lag growing), 2 stall "
     "(offset stuck while behind), 3 stop (no progress for long), 4 rewind (offset moved back), "
     "5 err."},
    {"lagwatch_group_partition_data_loss_messages", "gauge",
     "Messages deleted by retention before the group read them: max(0, low watermark - "
     "committed offset)."},
    {"lagwatch_group_partition_uncommitted", "gauge",
     "1 for a partition assigned to an active member of the (classic) group on which the group "
     "has no committed offset: it has no lag series, and this one lets an alert see it."},
    {"lagwatch_group_topic_lag", "gauge",
     "Messages the group is behind on the topic: sum of its partition lags."},
    {"lagwatch_group_topic_max_lag_seconds", "gauge",
     "Largest lag in seconds of the group over the topic's partitions."},
    {"lagwatch_group_lag", "gauge", "Messages the group is behind over all its partitions."},
    {"lagwatch_group_max_lag_seconds", "gauge",
     "Largest lag in seconds of the group over all its partitions: the age of its oldest "
     "unconsumed message."},
    {"lagwatch_group_health", "gauge",
     "Consumer health of the group, its worst partition: 0 ok, 1 warn, 2 stall, 3 stop, "
     "4 rewind, 5 err."},
    {"lagwatch_group_data_loss_messages", "gauge",
     "Messages deleted by retention before the group read them, over all its partitions."},
    {"lagwatch_group_uncommitted_partitions", "gauge",
     "Partitions assigned to active members of the (classic) group with no committed offset; 0 "
     "when every assigned partition has one. Absent where the assignment is unknown (KIP-848 "
     "groups, describe failures)."},
    {"lagwatch_group_unauthorized_topics", "gauge",
     "Topics the group commits to or is assigned that lagwatch's principal may not describe: "
     "their partitions are missing from the group's series and totals. Absent when there are "
     "none."},
    {"lagwatch_group_members", "gauge", "Active members of the consumer group."},
    {"lagwatch_group_member_info", "gauge",
     "1 for each active member of the group, with its member id, client id and host: finds the "
     "consumer behind a lagging group. Opt-in per cluster ([clusters.series] member_info), off "
     "by default because it adds a series per member and member ids change whenever a consumer "
     "restarts."},
    {"lagwatch_group_state", "gauge",
     "Current state of the consumer group: 1 for the state in the state label."},
    {"lagwatch_group_rebalances_total", "counter",
     "Rebalances of the group since lagwatch started: increments of the classic generation or "
     "KIP-848 group epoch read from __consumer_offsets, exact even when several happen between "
     "two polls, and continued across classic <-> consumer protocol conversions. Generation 0 is "
     "the group's creation on every Kafka version: a group created while lagwatch runs counts "
     "its first join as 1. Cold start: the generation found when lagwatch finished reading "
     "__consumer_offsets is the baseline (counts 0); a deleted and re-created group starts again "
     "from its generation 0. Where __consumer_offsets cannot be read (see "
     "lagwatch_rebalance_source) it is a lower bound inferred from describe polls."},
    {"lagwatch_group_generation", "gauge",
     "Current generation (classic groups) or group epoch (KIP-848 groups), from "
     "__consumer_offsets."},
    {"lagwatch_group_offset_commits_total", "counter",
     "Offset commit records of the group since lagwatch finished reading __consumer_offsets."},
    {"lagwatch_partition_high_watermark", "gauge",
     "High watermark (log end offset) of a partition some exported group committed on."},
    {"lagwatch_partition_low_watermark", "gauge",
     "Low watermark (log start offset) of a partition some exported group committed on."},
    {"kafka_consumergroup_current_offset", "gauge",
     "kafka_exporter name: committed offset of the consumer group on the partition; no series "
     "where it has not committed."},
    {"kafka_consumergroup_current_offset_sum", "gauge",
     "kafka_exporter name: committed offsets of the consumer group added up over the topic's "
     "partitions it committed on."},
    {"kafka_consumergroup_lag", "gauge",
     "kafka_exporter name: messages the consumer group is behind on the partition, never "
     "negative; no series where it has not committed."},
    {"kafka_consumergroup_lag_sum", "gauge",
     "kafka_exporter name: messages the consumer group is behind on the topic, over the "
     "partitions it committed on."},
    {"kafka_consumergroup_members", "gauge",
     "kafka_exporter name: active members of the consumer group."},
    {"kafka_topic_partitions", "gauge", "kafka_exporter name: partitions of the topic."},
    {"kafka_topic_partition_current_offset", "gauge",
     "kafka_exporter name: high watermark (log end offset) of the partition."},
    {"kafka_topic_partition_oldest_offset", "gauge",
     "kafka_exporter name: low watermark (log start offset) of the partition."},
    {"kafka_topic_partition_leader", "gauge",
     "kafka_exporter name: broker id of the partition's leader; no series while it has none."},
    {"kafka_topic_partition_replicas", "gauge",
     "kafka_exporter name: replicas the partition is assigned."},
    {"kafka_topic_partition_in_sync_replica", "gauge",
     "kafka_exporter name: replicas of the partition in sync with its leader."},
    {"kafka_topic_partition_under_replicated_partition", "gauge",
     "kafka_exporter name: 1 when fewer replicas of the partition are in sync than it has, "
     "else 0."},
    {"kafka_topic_partition_leader_is_preferred", "gauge",
     "kafka_exporter name: 1 when the partition is led by its preferred (first) replica, else 0."},
    {"kafka_brokers", "gauge", "kafka_exporter name: brokers in the cluster's metadata."},
    {"kafka_broker_info", "gauge",
     "kafka_exporter name: 1 for each broker, with its id and address (host:port)."},
}};

inline constexpr const FamilyInfo& info(Family family) {
  return kFamilies[static_cast<size_t>(family)];
}

}  // namespace lagwatch::metrics
