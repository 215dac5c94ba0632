#include "metrics/cluster_renderer.h"

#include <charconv>
#include <vector>

namespace lagwatch::metrics {

void append_escaped_label_value(std::string& out, std::string_view value) {
  for (const char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
}

namespace {

void append_int(std::string& out, int64_t value) {
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, end);
}

// Writes `name{<labels>} value\n` where <labels> is a pre-rendered label list.
class FamilyWriter {
 public:
  FamilyWriter(std::string& out, Family family, size_t& count)
      : out_(out), name_(info(family).name), count_(count) {}

  void sample(std::string_view labels, int64_t value) {
    out_ += name_;
    out_ += '{';
    out_ += labels;
    out_ += "} ";
    append_int(out_, value);
    out_ += '\n';
    ++count_;
  }

 private:
  std::string& out_;
  std::string_view name_;
  size_t& count_;
};

std::string label(std::string_view name, std::string_view value) {
  std::string out(name);
  out += "=\"";
  append_escaped_label_value(out, value);
  out += '"';
  return out;
}

}  // namespace

ClusterExposition render_cluster(const lag::ClusterSnapshot& snapshot) {
  ClusterExposition result;
  auto writer = [&](Family family) {
    return FamilyWriter(result.series[static_cast<size_t>(family)], family, result.series_count);
  };
  auto committed = writer(Family::kGroupPartitionCommittedOffset);
  auto lag = writer(Family::kGroupPartitionLag);
  auto topic_lag = writer(Family::kGroupTopicLag);
  auto members = writer(Family::kGroupMembers);
  auto state = writer(Family::kGroupState);
  auto high = writer(Family::kPartitionHighWatermark);
  auto low = writer(Family::kPartitionLowWatermark);

  const std::string cluster_label = label("kafka_cluster", snapshot.cluster);
  std::vector<std::string> topic_labels;
  topic_labels.reserve(snapshot.topics.size());
  for (const auto& topic : snapshot.topics) topic_labels.push_back(label("topic", topic));

  // Reserve roughly: one partition line is ~130 bytes.
  size_t group_partitions = 0;
  for (const auto& group : snapshot.groups) group_partitions += group.partitions.size();
  for (auto family : {Family::kGroupPartitionCommittedOffset, Family::kGroupPartitionLag}) {
    result.series[static_cast<size_t>(family)].reserve(group_partitions * 140);
  }

  std::string labels;
  for (const auto& p : snapshot.partitions) {
    labels.assign(cluster_label);
    labels += ',';
    labels += topic_labels[p.topic];
    labels += ",partition=\"";
    append_int(labels, p.partition);
    labels += '"';
    high.sample(labels, p.high_watermark);
    low.sample(labels, p.low_watermark);
  }

  std::string group_labels;
  for (const auto& group : snapshot.groups) {
    group_labels.assign(cluster_label);
    group_labels += ",group=\"";
    append_escaped_label_value(group_labels, group.name);
    group_labels += '"';
    members.sample(group_labels, group.members);
    labels.assign(group_labels);
    labels += ",state=\"";
    labels += lag::group_state_label(group.state);
    labels += '"';
    state.sample(labels, 1);

    // Partitions are sorted by topic, so per-topic sums close when the topic changes.
    size_t i = 0;
    while (i < group.partitions.size()) {
      const lag::TopicIndex topic = group.partitions[i].topic;
      int64_t topic_sum = 0;
      bool topic_has_lag = false;
      for (; i < group.partitions.size() && group.partitions[i].topic == topic; ++i) {
        const auto& gp = group.partitions[i];
        labels.assign(group_labels);
        labels += ',';
        labels += topic_labels[gp.topic];
        labels += ",partition=\"";
        append_int(labels, gp.partition);
        labels += '"';
        committed.sample(labels, gp.committed_offset);
        if (gp.lag) {
          lag.sample(labels, *gp.lag);
          topic_sum += *gp.lag;
          topic_has_lag = true;
        }
      }
      if (topic_has_lag) {
        labels.assign(group_labels);
        labels += ',';
        labels += topic_labels[topic];
        topic_lag.sample(labels, topic_sum);
      }
    }
  }
  return result;
}

}  // namespace lagwatch::metrics
