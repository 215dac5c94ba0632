#include "metrics/internal/status_api.h"

#include <charconv>
#include <cmath>

#include "lag/health_status.h"
#include "log/format.h"
#include "metrics/exposition.h"

namespace lagwatch::metrics {
namespace {

void append_string(std::string& out, std::string_view text) { out += log::quote(text); }

template <class Integer>
void append_integer(std::string& out, Integer value) {
  char buffer[24];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
  out.append(buffer, end);
}

template <class Integer>
void append_optional(std::string& out, const std::optional<Integer>& value) {
  if (value) {
    append_integer(out, *value);
  } else {
    out += "null";
  }
}

void append_optional(std::string& out, const std::optional<double>& value) {
  if (value) {
    append_json_number(out, *value);
  } else {
    out += "null";
  }
}

void append_key(std::string& out, std::string_view key) {
  out += '"';
  out += key;
  out += "\":";
}

void append_group_fields(std::string& out, std::string_view cluster, const GroupStatus& group) {
  append_key(out, "cluster");
  append_string(out, cluster);
  out += ',';
  append_key(out, "name");
  append_string(out, group.name);
  out += ',';
  append_key(out, "lag");
  append_optional(out, group.lag);
  out += ',';
  append_key(out, "lag_seconds");
  append_optional(out, group.lag_seconds);
  out += ',';
  append_key(out, "lag_seconds_lower_bound");
  out += group.lag_seconds_lower_bound ? "true" : "false";
  out += ',';
  append_key(out, "health");
  append_string(out, lag::to_label(group.health));
  out += ',';
  append_key(out, "state");
  append_string(out, lag::group_state_label(group.state));
  out += ',';
  append_key(out, "members");
  append_optional(out, group.members);
  out += ',';
  append_key(out, "rebalances");
  append_optional(out, group.rebalances);
  out += ',';
  append_key(out, "partitions");
  append_integer(out, group.partitions);
}

}  // namespace

void append_json_number(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out += "null";
    return;
  }
  char buffer[32];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
  out.append(buffer, end);
}

void append_group_json(std::string& out, std::string_view cluster, const GroupStatus& group) {
  out += '{';
  append_group_fields(out, cluster, group);
  out += '}';
}

std::string render_group_document(const lag::ClusterSnapshot& snapshot,
                                  const lag::GroupSnapshot& group, const GroupStatus& status) {
  std::string out = "{";
  append_group_fields(out, snapshot.cluster, status);
  out += ",\"topic_partitions\":[";
  bool first = true;
  for (const auto& partition : group.partitions) {
    if (!first) out += ',';
    first = false;
    out += '{';
    append_key(out, "topic");
    append_string(out, snapshot.topics[partition.topic]);
    out += ',';
    append_key(out, "partition");
    append_integer(out, partition.partition);
    out += ',';
    append_key(out, "committed_offset");
    append_integer(out, partition.committed_offset);
    out += ',';
    append_key(out, "log_end_offset");
    append_optional(out, log_end_offset(snapshot, partition.topic, partition.partition));
    out += ',';
    append_key(out, "lag");
    append_optional(out, partition.lag);
    out += ',';
    append_key(out, "lag_seconds");
    append_optional(out, partition.lag_seconds);
    out += ',';
    append_key(out, "lag_seconds_lower_bound");
    out += partition.lag_seconds_lower_bound ? "true" : "false";
    out += ',';
    append_key(out, "health");
    append_string(out, lag::to_label(partition.health));
    out += '}';
  }
  out += "]}\n";
  return out;
}

std::string render_groups_document(const std::vector<const ClusterGroups*>& clusters) {
  std::string out = "{\"groups\":[";
  bool first = true;
  for (const ClusterGroups* cluster : clusters) {
    if (cluster == nullptr || cluster->api_items.empty()) continue;
    if (!first) out += ',';
    first = false;
    out += cluster->api_items;
  }
  out += "]}\n";
  return out;
}

std::string render_clusters_document(const std::vector<std::string>& names,
                                     const std::vector<ClusterStatus>& statuses,
                                     double generated_unix_seconds) {
  std::string out = "{\"generated_unix_seconds\":";
  append_json_number(out, generated_unix_seconds);
  out += ",\"clusters\":[";
  for (size_t i = 0; i < names.size(); ++i) {
    const ClusterStatus& s = statuses[i];
    if (i > 0) out += ',';
    out += '{';
    append_key(out, "name");
    append_string(out, names[i]);
    out += ',';
    append_key(out, "up");
    out += s.up ? "true" : "false";
    out += ',';
    append_key(out, "last_success_unix_seconds");
    append_optional(out, s.last_success_unix_seconds);
    out += ',';
    append_key(out, "poll_duration_seconds");
    append_optional(out, s.poll_duration_seconds);
    out += ',';
    append_key(out, "stage_duration_seconds");
    out += '{';
    for (size_t k = 0; k < s.stage_seconds.size(); ++k) {
      if (k > 0) out += ',';
      append_string(out, s.stage_seconds[k].first);
      out += ':';
      append_json_number(out, s.stage_seconds[k].second);
    }
    out += "},";
    append_key(out, "groups");
    append_integer(out, s.groups);
    out += ',';
    append_key(out, "series");
    append_integer(out, s.series);
    out += ',';
    append_key(out, "shard");
    append_string(out, s.shard);
    out += ',';
    append_key(out, "offsets_source");
    append_string(out, s.offsets_source);
    out += ',';
    append_key(out, "rebalance_source");
    append_string(out, s.rebalance_source);
    out += ',';
    append_key(out, "last_error");
    append_string(out, s.last_error);
    out += ',';
    append_key(out, "unauthorized");
    out += '[';
    for (size_t k = 0; k < s.unauthorized.size(); ++k) {
      if (k > 0) out += ',';
      append_string(out, s.unauthorized[k]);
    }
    out += "]}";
  }
  out += "]}\n";
  return out;
}

}  // namespace lagwatch::metrics
