#include "offsets/group_state_tracker.h"

#include <variant>

namespace lagwatch::offsets {
namespace {

GroupState* existing(GroupStates& groups, std::string_view group) {
  auto it = groups.find(group);
  return it == groups.end() ? nullptr : &it->second;
}

GroupState& existing_or_new(GroupStates& groups, const std::string& group) {
  return groups.try_emplace(group).first->second;
}

bool holds_live_keys(const GroupState& state) {
  return state.generation || state.target_assignment_epoch || !state.commits.empty() ||
         !state.members.empty();
}

void erase_if_unused(GroupStates& groups, std::string_view group) {
  auto it = groups.find(group);
  if (it != groups.end() && !holds_live_keys(it->second)) groups.erase(it);
}

void observe_generation(GroupState& state, std::int32_t generation) {
  if (state.generation && generation >= *state.generation) {
    state.rebalances += static_cast<std::uint64_t>(generation - *state.generation);
  } else if (state.generation) {
    state.rebalances = 0;  // a lower generation is a new incarnation of the group
  }
  state.generation = generation;
}

// Group metadata tombstone: the group's own state goes, its live offset keys stay until their own
// tombstones arrive (a classic group converted to KIP-848 keeps its offsets, for instance).
void end_incarnation(GroupStates& groups, std::string_view group) {
  GroupState* state = existing(groups, group);
  if (state == nullptr) return;
  GroupState next;
  next.commits = std::move(state->commits);
  next.offset_commits = state->offset_commits;
  *state = std::move(next);
  erase_if_unused(groups, group);
}

class RecordApplier {
 public:
  RecordApplier(GroupStates& groups, RecordCounts& counts) : groups_(groups), counts_(counts) {}

  void operator()(const OffsetCommit& record) {
    ++counts_.applied;
    const TopicPartition partition{record.topic, record.partition};
    if (record.tombstone()) {
      if (GroupState* state = existing(groups_, record.group)) {
        state->commits.erase(partition);
        erase_if_unused(groups_, record.group);
      }
      return;
    }
    GroupState& state = existing_or_new(groups_, record.group);
    ++state.offset_commits;
    state.commits[partition] = PartitionCommit{*record.offset, record.commit_timestamp_ms};
  }

  void operator()(const ClassicGroupMetadata& record) {
    ++counts_.applied;
    if (record.tombstone) {
      end_incarnation(groups_, record.group);
      return;
    }
    GroupState& state = existing_or_new(groups_, record.group);
    state.protocol = GroupProtocol::kClassic;
    observe_generation(state, record.generation);
    state.classic_protocol_type = record.protocol_type;
    state.classic_members = record.members.size();
  }

  void operator()(const ConsumerGroupMetadata& record) {
    ++counts_.applied;
    if (!record.epoch) {
      end_incarnation(groups_, record.group);
      return;
    }
    GroupState& state = existing_or_new(groups_, record.group);
    state.protocol = GroupProtocol::kConsumer;
    observe_generation(state, *record.epoch);
  }

  void operator()(const ConsumerGroupTargetAssignmentMetadata& record) {
    ++counts_.applied;
    if (!record.assignment_epoch) {
      if (GroupState* state = existing(groups_, record.group)) {
        state->target_assignment_epoch.reset();
        erase_if_unused(groups_, record.group);
      }
      return;
    }
    GroupState& state = existing_or_new(groups_, record.group);
    state.protocol = GroupProtocol::kConsumer;
    state.target_assignment_epoch = record.assignment_epoch;
  }

  void operator()(const ConsumerGroupMemberMetadata& record) {
    ++counts_.applied;
    if (record.tombstone) {
      remove_member(record.group, record.member_id);
      return;
    }
    GroupState& state = existing_or_new(groups_, record.group);
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
    GroupState& state = existing_or_new(groups_, record.group);
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
    GroupState* state = existing(groups_, group);
    if (state == nullptr) return;
    state->members.erase(member_id);
    erase_if_unused(groups_, group);
  }

  GroupStates& groups_;
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
  if (GroupState* state = existing(groups_, group)) {
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

const GroupState* GroupStateTracker::find(std::string_view group) const {
  auto it = groups_.find(group);
  return it == groups_.end() ? nullptr : &it->second;
}

}  // namespace lagwatch::offsets
