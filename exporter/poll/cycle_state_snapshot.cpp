// CycleState::build: the carried state plus the lag model -> the next immutable snapshot.

#include <algorithm>
#include <set>
#include <tuple>
#include <unordered_map>

#include "lag/lag_seconds.h"
#include "lag/offset_lag.h"
#include "poll/cycle_state.h"
#include "poll/internal/state_mapping.h"

namespace lagwatch::poll {

namespace {

// A KIP-848 group's state as the coordinator derives it: the target assignment lags the group
// epoch while assigning, members lag the target while reconciling.
lag::GroupState consumer_group_state(const offsets::TrackedGroup& group) {
  if (group.members.empty()) return lag::GroupState::kEmpty;
  if (group.generation && group.target_assignment_epoch &&
      *group.target_assignment_epoch < *group.generation) {
    return lag::GroupState::kAssigning;
  }
  for (const auto& [id, member] : group.members) {
    if (!member.member_epoch || member.member_epoch != group.target_assignment_epoch) {
      return lag::GroupState::kReconciling;
    }
  }
  return lag::GroupState::kStable;
}

std::optional<lag::TimePoint> commit_time(const offsets::TrackedGroup* tracked,
                                          const kafka::CommittedOffset& o) {
  if (tracked == nullptr) return std::nullopt;
  auto it = tracked->commits.find(offsets::TopicPartitionView{o.topic, o.partition});
  if (it == tracked->commits.end() || it->second.commit_timestamp_ms < 0) return std::nullopt;
  return lag::TimePoint{std::chrono::milliseconds(it->second.commit_timestamp_ms)};
}

// Assigned partitions (of exported topics) without a committed offset; `offsets` is sorted by
// (topic, partition), as is the assignment.
std::vector<lag::PartitionRef> uncommitted_partitions(
    const kafka::GroupDescription& description, const std::vector<kafka::CommittedOffset>& offsets,
    const std::unordered_map<std::string_view, lag::TopicIndex>& topic_index) {
  std::vector<lag::PartitionRef> uncommitted;
  for (const auto& tp : description.assigned) {
    const auto topic = topic_index.find(tp.topic);
    if (topic == topic_index.end()) continue;  // not an exported topic
    const bool committed =
        std::binary_search(offsets.begin(), offsets.end(), tp, [](const auto& a, const auto& b) {
          return std::tie(a.topic, a.partition) < std::tie(b.topic, b.partition);
        });
    if (!committed) uncommitted.push_back({topic->second, tp.partition});
  }
  return uncommitted;
}

// KIP-848 members are known from __consumer_offsets, as their count is; the others from the
// describe reply.
std::vector<lag::GroupMember> members_of(const std::optional<kafka::GroupDescription>& description,
                                         const offsets::TrackedGroup* tracked,
                                         bool consumer_protocol) {
  std::vector<lag::GroupMember> members;
  if (consumer_protocol) {
    for (const auto& [id, member] : tracked->members) {
      members.push_back(lag::GroupMember{id, member.client_id, member.client_host});
    }
  } else if (description) {
    for (const auto& member : description->member_details) {
      members.push_back(lag::GroupMember{member.member_id, member.client_id, member.host});
    }
  }
  return members;
}

}  // namespace

lag::ClusterSnapshot CycleState::build(lag::TimePoint now,
                                       const offsets::GroupStateTracker* tracker) {
  lag::ClusterSnapshot snapshot;
  snapshot.cluster = cluster_.name;
  snapshot.granularity = to_lag_granularity(cluster_.granularity);
  snapshot.exact_lag_seconds = cluster_.lag_seconds_mode == config::LagSecondsMode::kExact;
  snapshot.partition_details = cluster_.series.partition_details;
  snapshot.member_info = cluster_.series.member_info;
  snapshot.kafka_exporter_names = cluster_.series.kafka_exporter_names;
  snapshot.taken_at_unix_seconds = lag::to_unix_seconds(now);

  forget_replaced_partitions();
  // Only fresh readings enter the history: a carried-over value would fake a flat stretch.
  for (const auto& [tp, offsets] : watermarks_) {
    const lag::PartitionKeyView key{tp.topic, tp.partition};
    if (offsets.fresh) {
      histories_.touch(key).record_or_restart(offsets.high, now);
    } else {
      histories_.keep(key);
    }
  }
  histories_.sweep();

  std::set<std::string_view> topic_names;
  for (const auto& [name, group] : groups_) {
    // Sorted by topic: one insertion per run of a topic's partitions.
    const std::string* last_topic = nullptr;
    for (const auto& o : group.offsets) {
      if (last_topic != nullptr && *last_topic == o.topic) continue;
      topic_names.insert(o.topic);
      last_topic = &o.topic;
    }
    if (group.description) {
      for (const auto& tp : group.description->assigned) {
        if (cluster_.topics.matches(tp.topic)) topic_names.insert(tp.topic);
      }
    }
  }
  snapshot.topics.assign(topic_names.begin(), topic_names.end());
  std::unordered_map<std::string_view, lag::TopicIndex> topic_index;
  for (size_t i = 0; i < snapshot.topics.size(); ++i) {
    topic_index.emplace(snapshot.topics[i], static_cast<lag::TopicIndex>(i));
  }

  snapshot.partitions.reserve(watermarks_.size());
  // Watermarks and histories by topic index and partition: looked up once per partition here,
  // then by index for every group-partition below.
  struct PartitionModel {
    const Offsets* watermark = nullptr;
    const lag::WatermarkHistory* history = nullptr;
  };
  std::vector<std::vector<PartitionModel>> model_of(snapshot.topics.size());
  for (const auto& [tp, offsets] : watermarks_) {
    auto it = topic_index.find(tp.topic);
    if (it == topic_index.end() || tp.partition < 0) continue;
    snapshot.partitions.push_back(
        lag::PartitionOffsets{it->second, tp.partition, offsets.low, offsets.high});
    auto& of_topic = model_of[it->second];
    const auto partition = static_cast<size_t>(tp.partition);
    if (of_topic.size() <= partition) of_topic.resize(partition + 1);
    of_topic[partition] = {&offsets,
                           histories_.find(lag::PartitionKeyView{tp.topic, tp.partition})};
  }
  auto find_model = [&](lag::TopicIndex topic, int32_t partition) -> const PartitionModel* {
    const auto& of_topic = model_of[topic];
    if (partition < 0 || static_cast<size_t>(partition) >= of_topic.size()) return nullptr;
    const PartitionModel& model = of_topic[static_cast<size_t>(partition)];
    return model.watermark != nullptr ? &model : nullptr;
  };

  for (auto& [key, time] : record_times_) time.used = false;
  snapshot.groups.reserve(groups_.size());
  for (auto& [name, data] : groups_) {
    lag::GroupSnapshot group;
    group.name = name;
    group.state = data.listed_state;
    if (data.description) {
      // Kafka 4 "consumer" protocol groups look Dead to DescribeGroups v4 while the listing
      // knows their real state; prefer the listing then.
      const bool describe_blind = data.description->state == kafka::GroupState::kDead &&
                                  data.listed_state != kafka::GroupState::kUnknown &&
                                  data.listed_state != kafka::GroupState::kDead;
      if (!describe_blind) group.state = data.description->state;
      group.members = data.description->members;
    }
    const offsets::TrackedGroup* tracked = tracker != nullptr ? tracker->find(name) : nullptr;
    // KIP-848 groups: DescribeGroups does not know their assignment.
    const bool consumer_protocol =
        tracked != nullptr && tracked->protocol == offsets::GroupProtocol::kConsumer;
    if (tracker != nullptr) {
      if (tracked != nullptr) {
        group.rebalances = tracked->rebalances;
        if (tracked->generation) group.generation = *tracked->generation;
        group.offset_commits = tracked->offset_commits;
        if (tracked->protocol == offsets::GroupProtocol::kConsumer) {
          group.state = consumer_group_state(*tracked);
          group.members = static_cast<int32_t>(tracked->members.size());
        }
      }
    } else {
      group.rebalances = data.describe_rebalances.rebalances();
    }

    const bool exact_group = is_exact_group(name);
    group.partitions.reserve(data.offsets.size());
    // Both sorted by (topic, partition): the health windows kept are walked beside the offsets,
    // and those of partitions the group no longer commits on are left behind.
    std::vector<PartitionHealthState> healths;
    healths.reserve(data.offsets.size());
    auto kept = data.healths.begin();
    for (const auto& o : data.offsets) {
      lag::GroupPartition gp;
      gp.topic = topic_index.at(o.topic);
      gp.partition = o.partition;
      gp.committed_offset = o.offset;
      const auto committed_at = commit_time(tracked, o);
      if (committed_at) gp.last_commit_unix_seconds = lag::to_unix_seconds(*committed_at);
      auto before = [&](const PartitionHealthState& state) {
        return std::tie(state.topic, state.partition) < std::tie(o.topic, o.partition);
      };
      while (kept != data.healths.end() && before(*kept)) ++kept;
      const bool has_window =
          kept != data.healths.end() && kept->topic == o.topic && kept->partition == o.partition;
      if (const PartitionModel* model = find_model(gp.topic, o.partition)) {
        auto& state = has_window ? healths.emplace_back(std::move(*kept))
                                 : healths.emplace_back(PartitionHealthState{o.topic, o.partition,
                                                                             health_prototype_});
        fill_partition_model(o, *model->watermark, model->history, state.health, data.offsets_fresh,
                             exact_group, committed_at, now, gp);
        group.health = lag::worse_of(group.health, gp.health);
      } else if (has_window) {
        healths.push_back(std::move(*kept));  // no watermark this poll: the window waits
      }
      group.partitions.push_back(gp);
    }
    data.healths = std::move(healths);
    if (snapshot.member_info)
      group.member_details = members_of(data.description, tracked, consumer_protocol);
    if (data.description && !consumer_protocol) {
      group.uncommitted = uncommitted_partitions(*data.description, data.offsets, topic_index);
    }
    snapshot.groups.push_back(std::move(group));
  }
  std::erase_if(record_times_, [](const auto& item) { return !item.second.used; });
  return snapshot;
}

void CycleState::fill_partition_model(const kafka::CommittedOffset& o, const Offsets& watermark,
                                      const lag::WatermarkHistory* history,
                                      lag::PartitionHealth& health, bool offsets_fresh,
                                      bool exact_group, std::optional<lag::TimePoint> commit_time,
                                      lag::TimePoint now, lag::GroupPartition& gp) {
  gp.lag = lag::offset_lag(watermark.high, o.offset);
  gp.messages_lost = lag::messages_lost(watermark.low, o.offset);
  if (*gp.lag == 0) {
    gp.lag_seconds = 0.0;  // caught up: exact by definition
    gp.lag_seconds_exact = exact_group;
  } else {
    std::optional<double> from_record;
    if (auto it = record_times_.find(RecordKeyView{o.topic, o.partition, o.offset});
        it != record_times_.end()) {
      it->second.used = true;
      if (it->second.exact) {
        const auto written = lag::TimePoint{std::chrono::milliseconds(it->second.timestamp_ms)};
        from_record = std::max(0.0, lag::seconds_between(written, now));
      }
    }
    if (exact_group && from_record) {
      gp.lag_seconds = from_record;
      gp.lag_seconds_exact = true;
    } else {
      if (history != nullptr) {
        const lag::LagSeconds seconds = lag::lag_seconds(*history, o.offset, now);
        if (seconds.quality != lag::LagSeconds::Quality::kUnknown) {
          gp.lag_seconds = seconds.seconds;
          gp.lag_seconds_lower_bound = seconds.quality == lag::LagSeconds::Quality::kLowerBound;
        }
      }
      // Estimate mode, older than the history: the record read for it is the truth, not a
      // lower bound.
      if (from_record && cluster_.lag_seconds_mode == config::LagSecondsMode::kEstimate &&
          (!gp.lag_seconds || gp.lag_seconds_lower_bound)) {
        gp.lag_seconds = from_record;
        gp.lag_seconds_lower_bound = false;
        gp.lag_seconds_exact = true;
      }
    }
  }
  if (offsets_fresh && watermark.fresh) {
    health.observe(lag::HealthObservation{now, o.offset, watermark.high, *gp.lag, commit_time});
    gp.health = health.evaluate(now).status;
  } else {
    // Values carried over from an earlier cycle: lagwatch cannot vouch for this partition now.
    gp.health = lag::HealthStatus::kErr;
  }
}

bool CycleState::is_exact_group(const std::string& group) const {
  return cluster_.lag_seconds_mode == config::LagSecondsMode::kExact &&
         (cluster_.exact_groups.allow_patterns().empty() || cluster_.exact_groups.matches(group));
}

}  // namespace lagwatch::poll
