#pragma once
// Folds decoded `__consumer_offsets` records, in log order, into the current state of every group.
// Pure (no I/O, no clock) and single-threaded: the poller owns one tracker per cluster and reads
// it between batches. Memory is bounded by the live keys of the topic: every tombstone frees what
// its key held, and a group whose keys are all deleted is dropped.
//
// Rebalances are the positive increments of the classic generation (type 2) or of the KIP-848
// group epoch (type 3). Generation 0 is the group's creation: a group's first generation counts
// from 0 (Kafka 4 writes a generation-0 record for a new classic group, Kafka 3 does not; both
// count the first join once). On a cold start the compacted topic holds just the latest record
// per key: the reader zeroes the counters when the replay ends, so that generation is the
// baseline. A protocol conversion (classic <-> KIP-848: the old protocol's metadata tombstoned
// while the group keeps its offsets or members) continues the count into the new protocol's
// generation. A generation that drops, or a tombstone of a group left with nothing, starts a new
// incarnation whose count restarts from its own generation 0.

#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "offsets/records.h"

namespace lagwatch::offsets {

struct TopicPartition {
  std::string topic;
  std::int32_t partition = 0;
  auto operator<=>(const TopicPartition&) const = default;
};

// Looks up a commit without building an owning key (TrackedGroup::commits is ordered with
// std::less<>).
struct TopicPartitionView {
  std::string_view topic;
  std::int32_t partition = 0;
  friend auto operator<=>(const TopicPartitionView&, const TopicPartitionView&) = default;
  friend auto operator<=>(const TopicPartition& a, const TopicPartitionView& b) {
    return TopicPartitionView{a.topic, a.partition} <=> b;
  }
};

struct PartitionCommit {
  std::int64_t offset = 0;
  std::int64_t commit_timestamp_ms = -1;
};

// A KIP-848 member, merged from its member metadata (type 5) and current assignment (type 8).
struct ConsumerGroupMember {
  std::string client_id;
  std::string client_host;
  std::optional<std::string> instance_id;
  std::optional<std::string> rack_id;
  std::vector<std::string> subscribed_topic_names;
  std::optional<std::int32_t> member_epoch;  // unset until an assignment record is seen
  std::int8_t state = 0;
  std::size_t assigned_partitions = 0;
};

enum class GroupProtocol {
  kUnknown,   // only offset commits seen (e.g. a consumer that assigns partitions itself)
  kClassic,   // type 2 records
  kConsumer,  // KIP-848 records
};

// What __consumer_offsets has told of one group so far.
struct TrackedGroup {
  GroupProtocol protocol = GroupProtocol::kUnknown;
  std::optional<std::int32_t> generation;  // classic generation or KIP-848 group epoch
  // The generation's metadata was tombstoned by a protocol conversion: `generation` is kept only
  // as the baseline of the next protocol's generation.
  bool metadata_ended = false;
  std::uint64_t rebalances = 0;      // since the baseline of the current incarnation
  std::uint64_t offset_commits = 0;  // commit records seen since the tracker started
  std::optional<std::int32_t> target_assignment_epoch;  // KIP-848 only
  std::string classic_protocol_type;                    // e.g. "consumer", "connect"
  std::size_t classic_members = 0;
  std::map<TopicPartition, PartitionCommit, std::less<>> commits;   // live committed offsets
  std::map<std::string, ConsumerGroupMember, std::less<>> members;  // KIP-848 only
};

using TrackedGroups = std::map<std::string, TrackedGroup, std::less<>>;

// How many records of each outcome were applied, for self-metrics.
struct RecordCounts {
  std::uint64_t applied = 0;
  std::uint64_t known_but_ignored = 0;
  std::uint64_t unknown_type = 0;
  std::uint64_t unknown_version = 0;
  std::uint64_t malformed = 0;
  std::uint64_t unwatched = 0;  // records of groups the filter excludes: decoded, not kept
};

// Which groups the tracker keeps state for; an empty function keeps every group.
using GroupFilter = std::function<bool(std::string_view group)>;

class GroupStateTracker {
 public:
  // Only groups `watched` accepts are tracked: an exporter that watches a few groups of a shared
  // cluster (a sidecar, a shard) then holds their state only, not the whole cluster's.
  explicit GroupStateTracker(GroupFilter watched = {}) : watched_(std::move(watched)) {}

  // Records must be applied in the order of their partition of the topic.
  void apply(const Record& record);

  const TrackedGroups& groups() const { return groups_; }
  const TrackedGroup* find(std::string_view group) const;
  const RecordCounts& record_counts() const { return counts_; }
  bool watches(std::string_view group) const { return !watched_ || watched_(group); }

  // Drops every state and count; keeps the filter.
  void clear();

  // Zeroes the event counters (rebalances, offset commits) and keeps every state: what was read
  // before a chosen moment (the end of the cold-start replay) then becomes the baseline.
  void reset_counters();
  void reset_counters(std::string_view group);

 private:
  GroupFilter watched_;
  TrackedGroups groups_;
  RecordCounts counts_;
};

// The group a record belongs to; nullopt for records that name none (unknown or malformed).
// The view points into `record`.
std::optional<std::string_view> record_group(const Record& record);

}  // namespace lagwatch::offsets
