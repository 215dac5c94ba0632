#include "offsets/group_state_tracker.h"

#include <variant>

namespace lagwatch::offsets {
namespace {

TrackedGroup* existing(TrackedGroups& groups, std::string_view group) {
  auto it = groups.find(group);
  return it == groups.end() ? nullptr : &it->second;
}

TrackedGroup& existing_or_new(TrackedGroups& groups, const std::string& group) {
  return groups.try_emplace(group).first->second;
}

bool holds_live_keys(const TrackedGroup& state) {
  return (state.generation && !state.metadata_ended) || state.target_assignment_epoch ||
         !state.commits.empty() || !state.members.empty();
}

void erase_if_unused(TrackedGroups& groups, std::string_view group) {
  auto it = groups.find(group);
  if (it != groups.end() && !holds_live_keys(it->second)) groups.erase(it);
}

// Generation 0 is the group's creation: a group first seen here (after the cold-start replay,
// whose counts are zeroed, only groups created since) counts every generation from 0, whether
// the broker wrote the generation-0 record (Kafka 4) or not (Kafka 3). After a protocol
// conversion the new protocol's generation continues the old one's count.
void observe_generation(TrackedGroup& state, std::int32_t generation) {
  const auto increase = [&](std::int32_t from) {
    return generation > from ? static_cast<std::uint64_t>(generation - from) : 0U;
  };
  if (!state.generation) {
    state.rebalances += increase(0);
  } else if (state.metadata_ended || generation >= *state.generation) {
    state.rebalances += increase(*state.generation);
  } else {
    state.rebalances = increase(0);  // a lower generation is a new incarnation of the group
  }
  state.generation = generation;
  state.metadata_ended = false;
}

// Group metadata tombstone of `protocol`. With live keys left (offsets, members) it is a
// protocol conversion: the coordinator tombstones the old protocol's records and writes the
// new one's, whose generation continues from this one (Kafka sets the new group epoch or
// generation from the old). Without, the group was deleted and its state goes.
void end_metadata(TrackedGroups& groups, std::string_view group, GroupProtocol protocol) {
  TrackedGroup* state = existing(groups, group);
  if (state == nullptr) return;
  if (protocol == GroupProtocol::kClassic) {
    state->classic_protocol_type.clear();
    state->classic_members = 0;
  }
  // The other protocol already took over: this tombstone only clears what was its own.
  if (state->protocol != protocol && state->protocol != GroupProtocol::kUnknown) return;
  if (state->commits.empty() && state->members.empty()) {
    groups.erase(groups.find(group));
    return;
  }
  state->metadata_ended = state->generation.has_value();
}

class RecordApplier {
 public:
  RecordApplier(TrackedGroups& groups, RecordCounts& counts) : groups_(groups), counts_(counts) {}

  void operator()(const OffsetCommit& record) {
    ++counts_.applied;
    const TopicPartition partition{record.topic, record.partition};
    if (record.tombstone()) {
      if (TrackedGroup* state = existing(groups_, record.group)) {
        state->commits.erase(partition);
        erase_if_unused(groups_, record.group);
      }
      return;
    }
    TrackedGroup& state = existing_or_new(groups_, record.group);
    ++state.offset_commits;
    state.commits[partition] = PartitionCommit{*record.offset, record.commit_timestamp_ms};
  }

  void operator()(const ClassicGroupMetadata& record) {
    ++counts_.applied;
    if (record.tombstone) {
      end_metadata(groups_, record.group, GroupProtocol::kClassic);
      return;
    }
    TrackedGroup& state = existing_or_new(groups_, record.group);
    state.protocol = GroupProtocol::kClassic;
    observe_generation(state, record.generation);
    state.classic_protocol_type = record.protocol_type;
    state.classic_members = record.members.size();
  }

  void operator()(const ConsumerGroupMetadata& record) {
    ++counts_.applied;
    if (!record.epoch) {
      end_metadata(groups_, record.group, GroupProtocol::kConsumer);
      return;
    }
    TrackedGroup& state = existing_or_new(groups_, record.group);
    state.protocol = GroupProtocol::kConsumer;
    observe_generation(state, *record.epoch);
  }

  void operator()(const ConsumerGroupTargetAssignmentMetadata& record) {
    ++counts_.applied;
    if (!record.assignment_epoch) {
      if (TrackedGroup* state = existing(groups_, record.group)) {
        state->target_assignment_epoch.reset();
        erase_if_unused(groups_, record.group);
      }
      return;
    }
    TrackedGroup& state = existing_or_new(groups_, record.group);
    state.protocol = GroupProtocol::kConsumer;
    state.target_assignment_epoch = record.assignment_epoch;
  }

  void operator()(const ConsumerGroupMemberMetadata& record) {
    ++counts_.applied;
    if (record.tombstone) {
      remove_member(record.group, record.member_id);
      return;
    }
    TrackedGroup& state = existing_or_new(groups_, record.group);
    state.protocol = GroupProtocol::kConsumer;
    ConsumerGroupMember& member = state.members[record.member_id];
    member.client_id = record.client_id;
    member.client_host = record.client_host;
    member.instance_id = record.instance_id;
    member.rack_id = record.rack_id;
    member.subscribed_topic_names = record.subscribed_topic_names;
  }

  void operator()(const ConsumerGroupCurrentMemberAssignment& record) {
    ++counts_.applied;
    if (record.tombstone) {
      remove_member(record.group, record.member_id);
      return;
    }
    TrackedGroup& state = existing_or_new(groups_, record.group);
    state.protocol = GroupProtocol::kConsumer;
    ConsumerGroupMember& member = state.members[record.member_id];
    member.member_epoch = record.member_epoch;
    member.state = record.state;
    member.assigned_partitions = record.assigned_partitions;
  }

  void operator()(const KnownButIgnored&) { ++counts_.known_but_ignored; }
  void operator()(const UnknownRecordType&) { ++counts_.unknown_type; }
  void operator()(const UnknownValueVersion&) { ++counts_.unknown_version; }
  void operator()(const Malformed&) { ++counts_.malformed; }

 private:
  // Kafka writes tombstones for both member keys when a member leaves; either one removes it.
  void remove_member(const std::string& group, const std::string& member_id) {
    TrackedGroup* state = existing(groups_, group);
    if (state == nullptr) return;
    state->members.erase(member_id);
    erase_if_unused(groups_, group);
  }

  TrackedGroups& groups_;
  RecordCounts& counts_;
};

}  // namespace

void GroupStateTracker::apply(const Record& record) {
  if (watched_) {
    const auto group = record_group(record);
    if (group && !watched_(*group)) {
      ++counts_.unwatched;
      return;
    }
  }
  std::visit(RecordApplier(groups_, counts_), record);
}

void GroupStateTracker::clear() {
  groups_.clear();
  counts_ = RecordCounts{};
}

void GroupStateTracker::reset_counters() {
  for (auto& [name, state] : groups_) {
    state.rebalances = 0;
    state.offset_commits = 0;
  }
}

void GroupStateTracker::reset_counters(std::string_view group) {
  if (TrackedGroup* state = existing(groups_, group)) {
    state->rebalances = 0;
    state->offset_commits = 0;
  }
}

std::optional<std::string_view> record_group(const Record& record) {
  return std::visit(
      [](const auto& alternative) -> std::optional<std::string_view> {
        if constexpr (requires { alternative.group; }) {
          return std::string_view(alternative.group);
        } else {
          return std::nullopt;
        }
      },
      record);
}

const TrackedGroup* GroupStateTracker::find(std::string_view group) const {
  auto it = groups_.find(group);
  return it == groups_.end() ? nullptr : &it->second;
}

}  // namespace lagwatch::offsets
