#pragma once
// The JSON documents of /api/v1: the same data as the status page. Every string is written with
// log::quote, so any bytes in a name give valid JSON (control characters escaped, bytes that are
// not UTF-8 as U+FFFD); a group whose name is not UTF-8 is looked up by its raw bytes,
// percent-encoded in the URL.

#include <string>
#include <string_view>
#include <vector>

#include "lag/snapshot.h"
#include "metrics/status_model.h"

namespace lagwatch::metrics {

struct ClusterStatus;

// One group of /api/v1/groups: cluster, name, lag, lag_seconds, health, state, members,
// rebalances, partitions (a count). Unknown values are null.
void append_group_json(std::string& out, std::string_view cluster, const GroupStatus& group);

// /api/v1/groups/{cluster}/{group}: the group's fields and its partitions.
std::string render_group_document(const lag::ClusterSnapshot& snapshot,
                                  const lag::GroupSnapshot& group, const GroupStatus& status);

// /api/v1/groups: every group of every cluster, each cluster's groups ranked, clusters in order.
std::string render_groups_document(const std::vector<const ClusterGroups*>& clusters);

// /api/v1/clusters.
std::string render_clusters_document(const std::vector<std::string>& names,
                                     const std::vector<ClusterStatus>& statuses,
                                     double generated_unix_seconds);

// A JSON number; null when not finite (JSON has no NaN or infinity).
void append_json_number(std::string& out, double value);

}  // namespace lagwatch::metrics
