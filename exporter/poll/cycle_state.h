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
#include "lag/snapshot.h"

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

  lag::ClusterSnapshot build(const std::string& cluster, double now_unix_seconds) const;

  size_t group_count() const { return groups_.size(); }

 private:
  struct GroupData {
    kafka::GroupState listed_state = kafka::GroupState::kUnknown;
    std::optional<kafka::GroupDescription> description;
    std::vector<kafka::CommittedOffset> offsets;  // only on existing, allowed partitions
  };
  struct Offsets {
    int64_t low = 0;
    int64_t high = 0;
  };
  std::map<std::string, GroupData, std::less<>> groups_;
  std::map<kafka::TopicPartition, Offsets> watermarks_;
};

}  // namespace lagwatch::poll
