#include "poll/cycle_state.h"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "lag/lag_seconds.h"
#include "lag/offset_lag.h"
#include "poll/shard.h"

namespace lagwatch::poll {

namespace {

lag::GroupState to_lag_state(kafka::GroupState state) {
  switch (state) {
    case kafka::GroupState::kPreparingRebalance:
      return lag::GroupState::kPreparingRebalance;
    case kafka::GroupState::kCompletingRebalance:
      return lag::GroupState::kCompletingRebalance;
    case kafka::GroupState::kStable:
      return lag::GroupState::kStable;
    case kafka::GroupState::kDead:
      return lag::GroupState::kDead;
    case kafka::GroupState::kEmpty:
      return lag::GroupState::kEmpty;
    case kafka::GroupState::kUnknown:
      break;
  }
  return lag::GroupState::kUnknown;
}

}  // namespace

std::vector<kafka::GroupListing> CycleState::select_groups(
    const std::vector<kafka::GroupListing>& listing, const config::ClusterConfig& cluster) {
  std::vector<kafka::GroupListing> selected;
  for (const auto& group : listing) {
    if (!in_shard(group.name, cluster.shard.index, cluster.shard.count)) continue;
    if (!cluster.groups.matches(group.name)) continue;
    selected.push_back(group);
  }
  std::sort(selected.begin(), selected.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  return selected;
}

std::vector<kafka::TopicPartition> CycleState::absorb_groups(const CycleReplies& replies,
                                                             const config::NameFilter& topics,
                                                             StageCount& describe,
                                                             StageCount& offsets) {
  std::unordered_map<std::string_view, int32_t> partition_counts;
  for (const auto& topic : replies.metadata.topics) {
    if (topic.error || !topics.matches(topic.name)) continue;
    partition_counts.emplace(topic.name, topic.partitions);
  }
  auto exists = [&](const kafka::CommittedOffset& o) {
    auto it = partition_counts.find(o.topic);
    return it != partition_counts.end() && o.partition >= 0 && o.partition < it->second;
  };

  std::unordered_map<std::string_view, const kafka::Result<kafka::GroupDescription>*> described;
  for (const auto& d : replies.descriptions) described.emplace(d.group, &d.result);
  std::unordered_map<std::string_view, const kafka::Result<kafka::GroupOffsets>*> fetched;
  for (const auto& o : replies.offsets) fetched.emplace(o.group, &o.result);

  std::map<std::string, GroupData, std::less<>> next;
  std::set<kafka::TopicPartition> needed;
  for (const auto& listing : replies.listings) {
    GroupData data;
    data.listed_state = listing.state;
    auto previous = groups_.find(listing.name);

    describe.attempts += 1;
    auto d = described.find(listing.name);
    if (d != described.end() && d->second->ok()) {
      data.description = d->second->value();
    } else {
      describe.failures += 1;
      if (previous != groups_.end()) data.description = previous->second.description;
    }

    offsets.attempts += 1;
    const std::vector<kafka::CommittedOffset>* source = nullptr;
    auto o = fetched.find(listing.name);
    if (o != fetched.end() && o->second->ok()) {
      source = &o->second->value().offsets;
      data.offsets_fresh = true;
    } else {
      offsets.failures += 1;
      if (previous != groups_.end()) source = &previous->second.offsets;
    }
    if (source != nullptr) {
      for (const auto& committed : *source) {
        if (!exists(committed)) continue;
        data.offsets.push_back(committed);
        needed.insert(kafka::TopicPartition{committed.topic, committed.partition});
      }
      std::sort(data.offsets.begin(), data.offsets.end(), [](const auto& a, const auto& b) {
        return std::tie(a.topic, a.partition) < std::tie(b.topic, b.partition);
      });
    }
    next.insert_or_assign(listing.name, std::move(data));
  }
  groups_ = std::move(next);
  return {needed.begin(), needed.end()};
}

void CycleState::absorb_watermarks(const std::vector<kafka::TopicPartition>& needed,
                                   const kafka::Result<std::vector<kafka::Watermark>>& reply,
                                   StageCount& stage) {
  std::map<kafka::TopicPartition, Offsets> next;
  stage.attempts += 1;
  if (!reply.ok()) stage.failures += 1;
  std::map<kafka::TopicPartition, const kafka::Watermark*> fresh;
  if (reply.ok()) {
    for (const auto& w : reply.value()) {
      if (!w.error) fresh.emplace(kafka::TopicPartition{w.topic, w.partition}, &w);
    }
  }
  for (const auto& tp : needed) {
    if (auto it = fresh.find(tp); it != fresh.end()) {
      next.emplace(tp, Offsets{it->second->low, it->second->high, true});
    } else if (auto old = watermarks_.find(tp); old != watermarks_.end()) {
      next.emplace(tp, Offsets{old->second.low, old->second.high, false});
    }
  }
  watermarks_ = std::move(next);
}

lag::ClusterSnapshot CycleState::build(const std::string& cluster,
                                       lag::Granularity granularity, lag::TimePoint now) {
  lag::ClusterSnapshot snapshot;
  snapshot.cluster = cluster;
  snapshot.granularity = granularity;
  snapshot.taken_at_unix_seconds = lag::to_unix_seconds(now);

  // Only fresh readings enter the history: a carried-over value would fake a flat stretch.
  for (const auto& [tp, offsets] : watermarks_) {
    const lag::PartitionKey key{tp.topic, tp.partition};
    if (offsets.fresh) {
      histories_.touch(key).record_or_restart(offsets.high, now);
    } else {
      histories_.keep(key);
    }
  }
  histories_.sweep();

  std::set<std::string_view> topic_names;
  for (const auto& [name, group] : groups_) {
    for (const auto& o : group.offsets) topic_names.insert(o.topic);
  }
  snapshot.topics.assign(topic_names.begin(), topic_names.end());
  std::unordered_map<std::string_view, lag::TopicIndex> topic_index;
  for (size_t i = 0; i < snapshot.topics.size(); ++i) {
    topic_index.emplace(snapshot.topics[i], static_cast<lag::TopicIndex>(i));
  }

  snapshot.partitions.reserve(watermarks_.size());
  for (const auto& [tp, offsets] : watermarks_) {
    auto it = topic_index.find(tp.topic);
    if (it == topic_index.end()) continue;
    snapshot.partitions.push_back(
        lag::PartitionOffsets{it->second, tp.partition, offsets.low, offsets.high});
  }

  snapshot.groups.reserve(groups_.size());
  for (const auto& [name, data] : groups_) {
    lag::GroupSnapshot group;
    group.name = name;
    group.state = to_lag_state(data.listed_state);
    if (data.description) {
      // Kafka 4 "consumer" protocol groups look Dead to DescribeGroups v4 while the listing
      // knows their real state; prefer the listing then.
      const bool describe_blind = data.description->state == kafka::GroupState::kDead &&
                                  data.listed_state != kafka::GroupState::kUnknown &&
                                  data.listed_state != kafka::GroupState::kDead;
      if (!describe_blind) group.state = to_lag_state(data.description->state);
      group.members = data.description->members;
    }
    group.partitions.reserve(data.offsets.size());
    for (const auto& o : data.offsets) {
      lag::GroupPartition gp;
      gp.topic = topic_index.at(o.topic);
      gp.partition = o.partition;
      gp.committed_offset = o.offset;
      auto w = watermarks_.find(kafka::TopicPartition{o.topic, o.partition});
      if (w != watermarks_.end()) {
        fill_partition_model(name, o, w->second, data.offsets_fresh, now, gp);
        group.health = lag::worse_of(group.health, gp.health);
      }
      group.partitions.push_back(gp);
    }
    snapshot.groups.push_back(std::move(group));
  }
  healths_.sweep();
  return snapshot;
}

void CycleState::fill_partition_model(const std::string& group, const kafka::CommittedOffset& o,
                                      const Offsets& watermark, bool offsets_fresh,
                                      lag::TimePoint now, lag::GroupPartition& gp) {
  gp.lag = lag::offset_lag(watermark.high, o.offset);
  gp.messages_lost = lag::messages_lost(watermark.low, o.offset);
  if (const auto* history = histories_.find(lag::PartitionKey{o.topic, o.partition})) {
    const lag::LagSeconds seconds = lag::lag_seconds(*history, o.offset, now);
    if (seconds.quality != lag::LagSeconds::Quality::kUnknown) {
      gp.lag_seconds = seconds.seconds;
      gp.lag_seconds_lower_bound = seconds.quality == lag::LagSeconds::Quality::kLowerBound;
    }
  }
  lag::PartitionHealth& health = healths_.touch(lag::GroupPartitionKey{group, o.topic, o.partition});
  if (offsets_fresh && watermark.fresh) {
    health.observe(lag::HealthObservation{now, o.offset, watermark.high, *gp.lag, std::nullopt});
    gp.health = health.evaluate(now).status;
  } else {
    // Values carried over from an earlier cycle: lagwatch cannot vouch for this partition now.
    gp.health = lag::HealthStatus::kErr;
  }
}

}  // namespace lagwatch::poll
