#pragma once
// The immutable result of one poll of one cluster: what /metrics shows until the next poll.
// Topic names are interned (indices into `topics`) so that 100k partition rows stay small.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lagwatch::lag {

enum class GroupState : uint8_t {
  kUnknown,
  kPreparingRebalance,
  kCompletingRebalance,
  kStable,
  kDead,
  kEmpty,
};

const char* group_state_label(GroupState state);

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
  std::optional<int64_t> lag;  // absent when the partition's watermarks are unknown
};

struct GroupSnapshot {
  std::string name;
  GroupState state = GroupState::kUnknown;
  int32_t members = 0;
  std::vector<GroupPartition> partitions;  // sorted by (topic, partition)
};

struct ClusterSnapshot {
  std::string cluster;
  double taken_at_unix_seconds = 0;
  std::vector<std::string> topics;            // sorted; indexed by TopicIndex
  std::vector<PartitionOffsets> partitions;   // sorted by (topic, partition)
  std::vector<GroupSnapshot> groups;          // sorted by name
};

}  // namespace lagwatch::lag
