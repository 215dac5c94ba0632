#pragma once
// The immutable result of one poll of one cluster: what /metrics shows until the next poll.
// Topic names are interned (indices into `topics`) so that 100k partition rows stay small.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lag/group_state.h"
#include "lag/health_status.h"

namespace lagwatch::lag {

using TopicIndex = uint32_t;

struct PartitionOffsets {
  TopicIndex topic = 0;
  int32_t partition = 0;
  int64_t low_watermark = 0;
  int64_t high_watermark = 0;
};

struct GroupPartition {
  TopicIndex topic = 0;
  int32_t partition = 0;
  int64_t committed_offset = 0;
  // The rest is absent when the partition's watermarks are unknown.
  std::optional<int64_t> lag;
  std::optional<int64_t> messages_lost;
  std::optional<double> lag_seconds;  // absent until the history can answer
  bool lag_seconds_lower_bound = false;
  bool lag_seconds_exact = false;  // from the record's own timestamp, not the estimate
  std::optional<double> last_commit_unix_seconds;  // from __consumer_offsets
  HealthStatus health = HealthStatus::kOk;
};

// How fine the exported group series are: users trade detail for cardinality.
enum class Granularity : uint8_t { kPartition, kTopic, kGroup };

struct PartitionRef {
  TopicIndex topic = 0;
  int32_t partition = 0;
  friend bool operator==(const PartitionRef&, const PartitionRef&) = default;
};

struct GroupMember {
  std::string member_id;
  std::string client_id;
  std::string host;
};

struct GroupSnapshot {
  std::string name;
  GroupState state = GroupState::kUnknown;
  std::optional<int32_t> members;           // unknown until the group is described (or tracked)
  std::vector<GroupPartition> partitions;   // sorted by (topic, partition)
  HealthStatus health = HealthStatus::kOk;  // worst partition
  std::optional<uint64_t> rebalances;       // counter since start-up (see RebalanceSource)
  std::optional<int64_t> generation;        // classic generation or KIP-848 group epoch
  std::optional<uint64_t> offset_commits;   // counter since start-up, from __consumer_offsets
  // Partitions assigned to an active member with no committed offset, sorted; known (set) only
  // where the group's assignment is (classic groups that could be described).
  std::optional<std::vector<PartitionRef>> uncommitted;
  // Topics the group commits to or is assigned that the principal may not describe (sorted):
  // their partitions are missing above, so the group is marked rather than shown as lag-free.
  std::vector<std::string> unauthorized_topics;
  // Filled only with ClusterSnapshot::member_info: copying every member's strings each poll is
  // wasted where nobody exports them.
  std::vector<GroupMember> member_details;  // sorted by member id
};

// Brokers and partition placement of the exported topics, for the kafka_exporter families
// ([clusters.series] kafka_exporter_names).
struct Broker {
  int32_t id = 0;
  std::string address;  // host:port, as the Metadata reply names it
};

struct PartitionPlacement {
  int32_t partition = 0;
  std::optional<int32_t> leader;  // absent while the partition has no leader
  int32_t replicas = 0;
  int32_t in_sync_replicas = 0;
  bool leader_is_preferred = false;  // the leader is the first replica
  // Absent where lagwatch never read them (the partition's leader did not answer).
  std::optional<int64_t> low_watermark;
  std::optional<int64_t> high_watermark;
};

struct TopicPlacement {
  std::string name;
  std::vector<PartitionPlacement> partitions;  // sorted by partition
};

struct ClusterLayout {
  std::vector<Broker> brokers;         // sorted by id
  std::vector<TopicPlacement> topics;  // sorted by name
};

struct ClusterSnapshot {
  std::string cluster;
  double taken_at_unix_seconds = 0;
  Granularity granularity = Granularity::kPartition;
  bool exact_lag_seconds = false;  // the cluster reads record timestamps: export which were exact
  // With kPartition: also the per-partition health, data loss, last commit, lag-seconds flags
  // and uncommitted series ([clusters.series] partition_details); their group totals are always
  // exported.
  bool partition_details = false;
  bool member_info = false;  // lagwatch_group_member_info ([clusters.series] member_info)
  // kafka_exporter's names ([clusters.series] kafka_exporter_names): its group families from
  // `groups`, its topic and broker families from `layout`.
  bool kafka_exporter_names = false;
  // Set by one instance of a sharded cluster only (shard 0): the other shards would repeat it.
  std::optional<ClusterLayout> layout;
  std::vector<std::string> topics;           // sorted; indexed by TopicIndex
  std::vector<PartitionOffsets> partitions;  // sorted by (topic, partition)
  std::vector<GroupSnapshot> groups;         // sorted by name
};

}  // namespace lagwatch::lag
