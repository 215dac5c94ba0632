#pragma once
// What a cluster's poller carries from one cycle to the next, and the pure step that turns one
// cycle's Kafka replies into the next snapshot. A request that failed this cycle falls back to
// the last good answer for the same group or partition, so a single failure never makes series
// vanish; anything Kafka no longer lists is dropped, so deleted groups and topics do.

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "config/config.h"
#include "kafka/types.h"
#include "lag/keyed_states.h"
#include "lag/snapshot.h"
#include "lag/time_point.h"

namespace lagwatch::poll {

struct StageCount {
  double attempts = 0;
  double failures = 0;
};

struct CycleReplies {
  kafka::ClusterMetadata metadata;
  std::vector<kafka::GroupListing> listings;  // after filtering and sharding
  std::vector<kafka::PerGroup<kafka::GroupDescription>> descriptions;
  std::vector<kafka::PerGroup<kafka::GroupOffsets>> offsets;
};

class CycleState {
 public:
  // Groups of the listing this instance exports: allowed by the filter and in its shard.
  static std::vector<kafka::GroupListing> select_groups(
      const std::vector<kafka::GroupListing>& listing, const config::ClusterConfig& cluster);

  // Folds this cycle's describe and offset replies into the carried state and returns the
  // partitions whose watermarks the snapshot needs. Counts failures per stage.
  std::vector<kafka::TopicPartition> absorb_groups(const CycleReplies& replies,
                                                   const config::NameFilter& topics,
                                                   StageCount& describe, StageCount& offsets);

  // Folds watermark replies (or a whole-stage failure) into the carried state.
  void absorb_watermarks(const std::vector<kafka::TopicPartition>& needed,
                         const kafka::Result<std::vector<kafka::Watermark>>& reply,
                         StageCount& stage);

  // Advances the lag model (watermark histories, health windows) with this cycle's fresh
  // values, frees the state of keys that vanished, and returns the snapshot.
  lag::ClusterSnapshot build(const std::string& cluster, lag::Granularity granularity,
                             lag::TimePoint now);

  size_t group_count() const { return groups_.size(); }

 private:
  struct GroupData {
    kafka::GroupState listed_state = kafka::GroupState::kUnknown;
    std::optional<kafka::GroupDescription> description;
    std::vector<kafka::CommittedOffset> offsets;  // only on existing, allowed partitions
    bool offsets_fresh = false;  // false: carried over from an earlier cycle
  };
  struct Offsets {
    int64_t low = 0;
    int64_t high = 0;
    bool fresh = false;
  };
  void fill_partition_model(const std::string& group, const kafka::CommittedOffset& offset,
                            const Offsets& watermark, bool offsets_fresh, lag::TimePoint now,
                            lag::GroupPartition& partition);

  std::map<std::string, GroupData, std::less<>> groups_;
  std::map<kafka::TopicPartition, Offsets> watermarks_;
  lag::WatermarkHistories histories_;
  lag::PartitionHealths healths_;
};

}  // namespace lagwatch::poll
