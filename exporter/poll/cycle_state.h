#pragma once
// What a cluster's poller carries from one cycle to the next, and the pure steps that turn one
// cycle's Kafka replies into the next snapshot. A request that failed this cycle falls back to
// the last good answer for the same group or partition, so a single failure never makes series
// vanish; anything Kafka no longer lists is dropped, so deleted groups and topics do, and so
// does the model state (histories, health windows, cached timestamps) kept for them.

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "config/config.h"
#include "kafka/record_sampler.h"
#include "kafka/types.h"
#include "lag/describe_rebalances.h"
#include "lag/health.h"
#include "lag/keyed_states.h"
#include "lag/snapshot.h"
#include "lag/time_point.h"
#include "offsets/group_state_tracker.h"

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
  explicit CycleState(const config::ClusterConfig& cluster);

  // Groups of the listing this instance exports: allowed by the filter and in its shard.
  static std::vector<kafka::GroupListing> select_groups(
      const std::vector<kafka::GroupListing>& listing, const config::ClusterConfig& cluster);

  // Folds this cycle's describe and offset replies into the carried state and returns the
  // partitions whose watermarks the snapshot needs. The carried state copies what it keeps:
  // moved out of the replies, its strings would lie scattered among theirs, and every later
  // pass over the state (measured with bench/cycle) got slower than the copies cost. Counts
  // failures per stage. A topic whose ID changed, or that has fewer partitions than before, was
  // deleted and re-created: what was kept for it (watermarks, offsets carried over from a failed
  // fetch, histories, health windows, record timestamps) describes the old log and is dropped.
  std::vector<kafka::TopicPartition> absorb_groups(const CycleReplies& replies,
                                                   StageCount& describe, StageCount& offsets);
  // Topics the last absorb_groups found re-created, sorted.
  const std::vector<std::string>& recreated_topics() const { return recreated_; }

  // Folds watermark replies (or a whole-stage failure) into the carried state. A partition
  // whose log start or log end went back was re-created (a log never shrinks at either end
  // otherwise): the state kept for it is dropped at the next build.
  void absorb_watermarks(const std::vector<kafka::TopicPartition>& needed,
                         const Result<std::vector<kafka::Watermark>>& reply, StageCount& stage);

  // Record timestamps wanted and not yet known, at most `limit`: every committed offset of an
  // exact group, and in estimate mode those the watermark history cannot date. Largest lags
  // first, then round-robin across cycles so every partition gets its turn.
  std::vector<kafka::SampleRequest> exact_requests(size_t limit);
  void absorb_samples(const std::vector<kafka::Sample>& samples, StageCount& stage);

  // Advances the lag model (watermark histories, health windows) with this cycle's fresh
  // values, frees the state of keys that vanished, and returns the snapshot. `tracker`, when
  // not null, is the caught-up view of __consumer_offsets (rebalances, commits, KIP-848 groups);
  // without it rebalances are inferred from describe polls.
  lag::ClusterSnapshot build(lag::TimePoint now, const offsets::GroupStateTracker* tracker);

  size_t group_count() const { return groups_.size(); }

 private:
  // The health window of one of a group's partitions. Kept in the group's own data, sorted as
  // its offsets are, so that a build walks both side by side instead of looking up 75k
  // (group, topic, partition) keys in one table every poll.
  struct PartitionHealthState {
    std::string topic;
    int32_t partition = 0;
    lag::PartitionHealth health;
  };
  struct GroupData {
    kafka::GroupState listed_state = kafka::GroupState::kUnknown;
    std::optional<kafka::GroupDescription> description;
    std::vector<kafka::CommittedOffset> offsets;  // only on existing, allowed partitions
    bool offsets_fresh = false;                   // false: carried over from an earlier cycle
    lag::DescribeRebalanceCounter describe_rebalances;
    // Only for partitions that had a watermark when last built; a partition the group no
    // longer commits on, or one without a watermark when first seen, has none. Sorted by
    // (topic, partition).
    std::vector<PartitionHealthState> healths;
  };
  struct Offsets {
    int64_t low = 0;
    int64_t high = 0;
    bool fresh = false;
  };
  using RecordKey = std::tuple<std::string, int32_t, int64_t>;  // topic, partition, offset
  using RecordKeyView = std::tuple<std::string_view, int32_t, int64_t>;
  // Orders keys and views alike, so a lookup builds no owning key.
  struct RecordKeyLess {
    using is_transparent = void;
    static RecordKeyView view(const RecordKey& key) {
      return {std::get<0>(key), std::get<1>(key), std::get<2>(key)};
    }
    static RecordKeyView view(const RecordKeyView& key) { return key; }
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      return view(a) < view(b);
    }
  };
  struct RecordTime {
    int64_t timestamp_ms = -1;
    bool exact = false;  // false: the record could not be read, the estimate is used
    bool used = false;   // referenced by the last build; others are freed
  };

  void fill_partition_model(const kafka::CommittedOffset& offset, const Offsets& watermark,
                            const lag::WatermarkHistory* history, lag::PartitionHealth& health,
                            bool offsets_fresh, bool exact_group,
                            std::optional<lag::TimePoint> commit_time, lag::TimePoint now,
                            lag::GroupPartition& partition);

  void forget_replaced_partitions();
  bool history_reaches(const kafka::CommittedOffset& o) const;
  bool is_exact_group(const std::string& group) const;

  const config::ClusterConfig& cluster_;
  std::map<std::string, GroupData, std::less<>> groups_;
  // Partition count of every listed topic, to see a re-created topic with fewer partitions.
  std::map<std::string, int32_t, std::less<>> partition_counts_;
  // The last known topic ID of every listed topic: a re-created topic keeps its name and may
  // keep both watermarks growing, so only the ID tells the new log from the old one.
  std::map<std::string, std::string, std::less<>> topic_ids_;
  std::vector<std::string> recreated_;
  // Partitions whose log was replaced since the last build (topic deleted and re-created
  // between two polls): their history, health windows and cached timestamps describe another
  // log and are dropped.
  std::set<kafka::TopicPartition> replaced_;
  std::map<kafka::TopicPartition, Offsets> watermarks_;
  lag::WatermarkHistories histories_;
  // What a partition's health window starts as: the cluster's health policy.
  lag::PartitionHealth health_prototype_;
  std::map<RecordKey, RecordTime, RecordKeyLess> record_times_;
  size_t exact_cursor_ = 0;
};

}  // namespace lagwatch::poll
