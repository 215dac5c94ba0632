#include "poll/cycle_state.h"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "poll/internal/shard.h"
#include "poll/internal/state_mapping.h"

namespace lagwatch::poll {

namespace {

lag::MembershipView membership_view(const kafka::GroupDescription& description) {
  // Over the sorted assignment: equal assignments give equal fingerprints.
  Fnv1a fingerprint;
  for (const auto& tp : description.assigned) {
    fingerprint.mix(tp.topic);
    fingerprint.mix(std::to_string(tp.partition));
    fingerprint.mix("/");
  }
  std::vector<std::string> member_ids;  // sorted, as member_details are
  member_ids.reserve(description.member_details.size());
  for (const auto& member : description.member_details) member_ids.push_back(member.member_id);
  return lag::MembershipView{description.state, std::move(member_ids), fingerprint.value};
}

}  // namespace

std::vector<kafka::GroupListing> CycleState::select_groups(
    const std::vector<kafka::GroupListing>& listing, const config::ClusterConfig& cluster) {
  std::vector<kafka::GroupListing> selected;
  for (const auto& group : listing) {
    if (watches_group(cluster.groups, cluster.shard, group.name)) selected.push_back(group);
  }
  std::sort(selected.begin(), selected.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  return selected;
}

CycleState::CycleState(const config::ClusterConfig& cluster)
    : cluster_(cluster),
      histories_(lag::WatermarkHistory(cluster.history_points)),
      health_prototype_(lag::PartitionHealth(lag::HealthPolicy{
          cluster.health.window, std::chrono::ceil<std::chrono::seconds>(cluster.health.min_span),
          std::chrono::ceil<std::chrono::seconds>(cluster.health.stop_after)})) {}

std::vector<kafka::TopicPartition> CycleState::absorb_groups(const CycleReplies& replies,
                                                             StageCount& describe,
                                                             StageCount& offsets) {
  const config::NameFilter& topics = cluster_.topics;
  // Partition count of each listed topic, and which of its partitions some group committed on.
  struct ListedTopic {
    int32_t partitions = 0;
    std::vector<bool> needed;
  };
  std::unordered_map<std::string_view, ListedTopic> partition_counts;
  std::map<std::string, int32_t, std::less<>> next_counts;
  std::map<std::string, std::string, std::less<>> next_ids;
  std::set<std::string, std::less<>> recreated;
  for (const auto& topic : replies.metadata.topics) {
    if (topic.error || !topics.matches(topic.name)) continue;
    partition_counts.emplace(topic.name, ListedTopic{topic.partitions, {}});
    next_counts.emplace(topic.name, topic.partitions);
    auto previous = partition_counts_.find(topic.name);
    const int32_t previous_count = previous != partition_counts_.end() ? previous->second : 0;
    // Partitions are never removed from a topic: fewer means it was deleted and re-created.
    bool replaced = topic.partitions < previous_count;
    auto known = topic_ids_.find(topic.name);
    if (!topic.id.empty()) {
      replaced = replaced || (known != topic_ids_.end() && known->second != topic.id);
      next_ids.emplace(topic.name, topic.id);
    } else if (known != topic_ids_.end()) {
      next_ids.emplace(topic.name, known->second);  // a failed lookup proves nothing
    }
    if (!replaced) continue;
    recreated.insert(topic.name);
    for (int32_t p = 0; p < std::max(topic.partitions, previous_count); ++p) {
      replaced_.insert({topic.name, p});
    }
  }
  partition_counts_ = std::move(next_counts);
  topic_ids_ = std::move(next_ids);
  recreated_.assign(recreated.begin(), recreated.end());
  // Carried over after a failed read, they would stand in for the new log's.
  std::erase_if(watermarks_,
                [&](const auto& item) { return recreated.contains(item.first.topic); });
  // The listed topic of an offset on an existing partition; null for any other.
  auto listed_topic = [&](const kafka::CommittedOffset& o) -> ListedTopic* {
    auto it = partition_counts.find(o.topic);
    if (it == partition_counts.end() || o.partition < 0 || o.partition >= it->second.partitions)
      return nullptr;
    return &it->second;
  };

  std::unordered_map<std::string_view, const Result<kafka::GroupDescription>*> described;
  for (const auto& d : replies.descriptions) described.emplace(d.group, &d.result);
  std::unordered_map<std::string_view, const Result<kafka::GroupOffsets>*> fetched;
  for (const auto& o : replies.offsets) fetched.emplace(o.group, &o.result);

  std::map<std::string, GroupData, std::less<>> next;
  for (const auto& listing : replies.listings) {
    GroupData data;
    data.listed_state = listing.state;
    auto previous = groups_.find(listing.name);

    describe.attempts += 1;
    auto d = described.find(listing.name);
    if (previous != groups_.end()) {
      data.describe_rebalances = previous->second.describe_rebalances;
      data.healths = std::move(previous->second.healths);
    }
    if (d != described.end() && d->second->has_value()) {
      data.description = d->second->value();
      data.describe_rebalances.observe(membership_view(*data.description));
    } else {
      describe.failures += 1;
      if (previous != groups_.end()) data.description = previous->second.description;
    }

    offsets.attempts += 1;
    const std::vector<kafka::CommittedOffset>* source = nullptr;
    auto o = fetched.find(listing.name);
    if (o != fetched.end() && o->second->has_value()) {
      source = &o->second->value().offsets;
      data.offsets_fresh = true;
    } else {
      offsets.failures += 1;
      if (previous != groups_.end()) source = &previous->second.offsets;
    }
    if (source != nullptr) {
      data.offsets.reserve(source->size());
      for (const auto& committed : *source) {
        ListedTopic* topic = listed_topic(committed);
        if (topic == nullptr) continue;
        // Committed on the old topic: no offset of the new one until the group's are read.
        if (!data.offsets_fresh && recreated.contains(committed.topic)) continue;
        if (topic->needed.empty()) topic->needed.resize(static_cast<size_t>(topic->partitions));
        topic->needed[static_cast<size_t>(committed.partition)] = true;
        data.offsets.push_back(committed);
      }
      auto by_partition = [](const auto& a, const auto& b) {
        return std::tie(a.topic, a.partition) < std::tie(b.topic, b.partition);
      };
      // The stream serves them sorted already.
      if (!std::is_sorted(data.offsets.begin(), data.offsets.end(), by_partition)) {
        std::sort(data.offsets.begin(), data.offsets.end(), by_partition);
      }
    }
    // The listing is sorted by name: each group goes at the end.
    next.insert_or_assign(next.end(), listing.name, std::move(data));
  }
  groups_ = std::move(next);

  std::vector<std::string_view> committed_topics;
  for (const auto& [name, topic] : partition_counts) {
    if (!topic.needed.empty()) committed_topics.push_back(name);
  }
  std::sort(committed_topics.begin(), committed_topics.end());
  std::vector<kafka::TopicPartition> needed;
  for (const auto name : committed_topics) {
    const auto& marks = partition_counts.at(name).needed;
    for (size_t p = 0; p < marks.size(); ++p) {
      if (marks[p]) needed.push_back({std::string(name), static_cast<int32_t>(p)});
    }
  }
  return needed;
}

void CycleState::absorb_watermarks(const std::vector<kafka::TopicPartition>& needed,
                                   const Result<std::vector<kafka::Watermark>>& reply,
                                   StageCount& stage) {
  std::map<kafka::TopicPartition, Offsets> next;
  stage.attempts += 1;
  if (!reply.has_value()) stage.failures += 1;
  std::map<kafka::TopicPartition, const kafka::Watermark*> fresh;
  if (reply.has_value()) {
    for (const auto& w : reply.value()) {
      if (!w.error) fresh.emplace(kafka::TopicPartition{w.topic, w.partition}, &w);
    }
  }
  for (const auto& tp : needed) {
    if (auto it = fresh.find(tp); it != fresh.end()) {
      const kafka::Watermark& w = *it->second;
      if (auto old = watermarks_.find(tp);
          old != watermarks_.end() && (w.low < old->second.low || w.high < old->second.high)) {
        replaced_.insert(tp);
      }
      next.emplace(tp, Offsets{w.low, w.high, true});
    } else if (auto old = watermarks_.find(tp); old != watermarks_.end()) {
      next.emplace(tp, Offsets{old->second.low, old->second.high, false});
    }
  }
  watermarks_ = std::move(next);
  // Now rather than at the build: this cycle's record reads then see no cached timestamp of the
  // old log and read the new log's record, instead of one cycle later.
  forget_replaced_partitions();
}

void CycleState::forget_replaced_partitions() {
  if (replaced_.empty()) return;
  for (const auto& tp : replaced_) histories_.erase(lag::PartitionKey{tp.topic, tp.partition});
  for (auto& [name, group] : groups_) {
    std::erase_if(group.healths, [this](const PartitionHealthState& state) {
      return replaced_.contains(kafka::TopicPartition{state.topic, state.partition});
    });
  }
  std::erase_if(record_times_, [this](const auto& item) {
    const auto& [topic, partition, offset] = item.first;
    return replaced_.contains(kafka::TopicPartition{topic, partition});
  });
  replaced_.clear();
}

}  // namespace lagwatch::poll
