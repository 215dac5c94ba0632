#include "metrics/cluster_renderer.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "metrics/internal/kafka_exporter_families.h"
#include "metrics/internal/series_text.h"

namespace lagwatch::metrics {

namespace {

using detail::FamilyWriter;
using detail::label;
using detail::partition_labels;

// Sums and maxima over a set of partitions; each is exported only where some partition had a
// value.
struct Totals {
  std::optional<int64_t> lag;
  std::optional<int64_t> lost;
  std::optional<double> max_lag_seconds;

  void add(const lag::GroupPartition& gp) {
    if (gp.lag) lag = lag.value_or(0) + *gp.lag;
    if (gp.messages_lost) lost = lost.value_or(0) + *gp.messages_lost;
    if (gp.lag_seconds) {
      max_lag_seconds = std::max(max_lag_seconds.value_or(0.0), *gp.lag_seconds);
    }
  }
};

struct Writers {
  explicit Writers(ClusterExposition& e)
      : committed(e, Family::kGroupPartitionCommittedOffset),
        lag(e, Family::kGroupPartitionLag),
        lag_seconds(e, Family::kGroupPartitionLagSeconds),
        lower_bound(e, Family::kGroupPartitionLagSecondsLowerBound),
        exact(e, Family::kGroupPartitionLagSecondsExact),
        last_commit(e, Family::kGroupPartitionLastCommit),
        health(e, Family::kGroupPartitionHealth),
        lost(e, Family::kGroupPartitionDataLoss),
        uncommitted(e, Family::kGroupPartitionUncommitted),
        topic_lag(e, Family::kGroupTopicLag),
        topic_max_lag_seconds(e, Family::kGroupTopicMaxLagSeconds),
        group_lag(e, Family::kGroupLag),
        group_max_lag_seconds(e, Family::kGroupMaxLagSeconds),
        group_health(e, Family::kGroupHealth),
        group_lost(e, Family::kGroupDataLoss),
        group_uncommitted(e, Family::kGroupUncommittedPartitions),
        group_unauthorized_topics(e, Family::kGroupUnauthorizedTopics),
        members(e, Family::kGroupMembers),
        member_info(e, Family::kGroupMemberInfo),
        state(e, Family::kGroupState),
        rebalances(e, Family::kGroupRebalances),
        generation(e, Family::kGroupGeneration),
        commits(e, Family::kGroupOffsetCommits),
        high(e, Family::kPartitionHighWatermark),
        low(e, Family::kPartitionLowWatermark) {}
  FamilyWriter committed, lag, lag_seconds, lower_bound, exact, last_commit, health, lost;
  FamilyWriter uncommitted;
  FamilyWriter topic_lag, topic_max_lag_seconds;
  FamilyWriter group_lag, group_max_lag_seconds, group_health, group_lost, group_uncommitted;
  FamilyWriter group_unauthorized_topics;
  FamilyWriter members, member_info, state;
  FamilyWriter rebalances, generation, commits;
  FamilyWriter high, low;
};

// The series budget: committed offset, lag and lag in seconds always; the rest only with
// `details`, since each is one more series per group-partition.
void write_partition(Writers& w, const std::string& labels, const lag::GroupPartition& gp,
                     bool exact_mode, bool details) {
  w.committed.sample(labels, gp.committed_offset);
  if (gp.lag) w.lag.sample(labels, *gp.lag);
  if (gp.lag_seconds) w.lag_seconds.sample_seconds(labels, *gp.lag_seconds);
  if (!details) return;
  if (gp.lag) w.health.sample(labels, lag::to_code(gp.health));
  if (gp.messages_lost) w.lost.sample(labels, *gp.messages_lost);
  if (gp.lag_seconds) {
    if (gp.lag_seconds_lower_bound) w.lower_bound.sample(labels, 1);
    if (exact_mode) w.exact.sample(labels, gp.lag_seconds_exact ? 1 : 0);
  }
  if (gp.last_commit_unix_seconds)
    w.last_commit.sample_seconds(labels, *gp.last_commit_unix_seconds);
}

void write_members(FamilyWriter& member_info, const std::string& group_labels,
                   const std::vector<lag::GroupMember>& members) {
  std::string labels;
  for (const auto& member : members) {
    labels.assign(group_labels);
    labels += "," + label("member_id", member.member_id);
    labels += "," + label("client_id", member.client_id);
    labels += "," + label("host", member.host);
    member_info.sample(labels, 1);
  }
}

void write_totals(FamilyWriter& lag, FamilyWriter* lost, FamilyWriter& max_seconds,
                  const std::string& labels, const Totals& totals) {
  if (totals.lag) lag.sample(labels, *totals.lag);
  if (lost != nullptr && totals.lost) lost->sample(labels, *totals.lost);
  if (totals.max_lag_seconds) max_seconds.sample_seconds(labels, *totals.max_lag_seconds);
}

}  // namespace

ClusterExposition render_cluster(const lag::ClusterSnapshot& snapshot,
                                 const StaticLabels& static_labels) {
  ClusterExposition result;
  Writers w(result);
  const bool per_partition = snapshot.granularity == lag::Granularity::kPartition;
  const bool per_topic = snapshot.granularity != lag::Granularity::kGroup;
  const bool details = per_partition && snapshot.partition_details;

  std::string cluster_label = label("kafka_cluster", snapshot.cluster);
  for (const auto& [name, value] : static_labels) cluster_label += "," + label(name, value);
  std::vector<std::string> topic_labels;
  topic_labels.reserve(snapshot.topics.size());
  for (const auto& topic : snapshot.topics) topic_labels.push_back(label("topic", topic));

  if (per_partition) {
    // One partition line is ~130 bytes; reserving avoids regrowing 10+ MB strings.
    size_t group_partitions = 0;
    for (const auto& group : snapshot.groups) group_partitions += group.partitions.size();
    for (FamilyWriter* writer : {&w.committed, &w.lag, &w.lag_seconds}) {
      writer->reserve(group_partitions * 140);
    }
    if (details) {
      for (FamilyWriter* writer : {&w.health, &w.lost}) writer->reserve(group_partitions * 140);
    }
  }

  std::string labels;
  for (const auto& p : snapshot.partitions) {
    partition_labels(labels, cluster_label, topic_labels[p.topic], p.partition);
    w.high.sample(labels, p.high_watermark);
    w.low.sample(labels, p.low_watermark);
  }

  std::string group_labels;
  std::string topic_level;
  for (const auto& group : snapshot.groups) {
    group_labels.assign(cluster_label);
    group_labels += ",group=\"";
    append_escaped_label_value(group_labels, group.name);
    group_labels += '"';
    if (group.members) w.members.sample(group_labels, *group.members);
    if (snapshot.member_info) write_members(w.member_info, group_labels, group.member_details);
    labels.assign(group_labels);
    labels += ",state=\"";
    labels += lag::group_state_label(group.state);
    labels += '"';
    w.state.sample(labels, 1);
    if (group.rebalances)
      w.rebalances.sample(group_labels, static_cast<int64_t>(*group.rebalances));
    if (group.generation) w.generation.sample(group_labels, *group.generation);
    if (group.offset_commits) {
      w.commits.sample(group_labels, static_cast<int64_t>(*group.offset_commits));
    }

    Totals group_totals;
    // Partitions are sorted by topic, so per-topic totals close when the topic changes.
    size_t i = 0;
    while (i < group.partitions.size()) {
      const lag::TopicIndex topic = group.partitions[i].topic;
      Totals topic_totals;
      for (; i < group.partitions.size() && group.partitions[i].topic == topic; ++i) {
        const auto& gp = group.partitions[i];
        topic_totals.add(gp);
        group_totals.add(gp);
        if (!per_partition) continue;
        partition_labels(labels, group_labels, topic_labels[gp.topic], gp.partition);
        write_partition(w, labels, gp, snapshot.exact_lag_seconds, details);
      }
      if (per_topic) {
        topic_level.assign(group_labels);
        topic_level += ',';
        topic_level += topic_labels[topic];
        write_totals(w.topic_lag, nullptr, w.topic_max_lag_seconds, topic_level, topic_totals);
      }
    }
    if (group.uncommitted) {
      w.group_uncommitted.sample(group_labels, static_cast<int64_t>(group.uncommitted->size()));
      for (const auto& ref : *group.uncommitted) {
        if (!details) break;
        partition_labels(labels, group_labels, topic_labels[ref.topic], ref.partition);
        w.uncommitted.sample(labels, 1);
      }
    }
    if (!group.unauthorized_topics.empty()) {
      w.group_unauthorized_topics.sample(group_labels,
                                         static_cast<int64_t>(group.unauthorized_topics.size()));
    }
    write_totals(w.group_lag, &w.group_lost, w.group_max_lag_seconds, group_labels, group_totals);
    if (group_totals.lag) w.group_health.sample(group_labels, lag::to_code(group.health));
  }
  if (snapshot.kafka_exporter_names)
    render_kafka_exporter_families(snapshot, cluster_label, result);
  return result;
}

}  // namespace lagwatch::metrics
