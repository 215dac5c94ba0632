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
  kGroupTopicLag,
  kGroupMembers,
  kGroupState,
  kPartitionHighWatermark,
  kPartitionLowWatermark,
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
    {"lagwatch_group_topic_lag", "gauge",
     "Messages the group is behind on the topic: sum of its partition lags."},
    {"lagwatch_group_members", "gauge", "Active members of the consumer group."},
    {"lagwatch_group_state", "gauge",
     "Current state of the consumer group: 1 for the state in the state label."},
    {"lagwatch_partition_high_watermark", "gauge",
     "High watermark (log end offset) of a partition some exported group committed on."},
    {"lagwatch_partition_low_watermark", "gauge",
     "Low watermark (log start offset) of a partition some exported group committed on."},
}};

inline constexpr const FamilyInfo& info(Family family) {
  return kFamilies[static_cast<size_t>(family)];
}

}  // namespace lagwatch::metrics
