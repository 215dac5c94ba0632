#pragma once
// What the status page and the JSON API show of one cluster's groups, built once per poll from
// the snapshot that feeds /metrics and immutable afterwards: the HTTP thread only reads it.
// Everything a request can ask for is prepared here (the page rows of the top groups, the JSON
// of every group), so a request costs one lookup and a copy of prepared bytes.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "lag/snapshot.h"

namespace lagwatch::metrics {

// Bounds of the page, so that a cluster of 5,000 groups with 32 KiB names still gives a page of
// bounded size: the API has everything.
inline constexpr size_t kPageGroups = 100;
inline constexpr size_t kPagePartitionsPerGroup = 50;
inline constexpr size_t kPageNameBytes = 256;

struct GroupStatus {
  std::string name;
  lag::GroupState state = lag::GroupState::kUnknown;
  std::optional<int32_t> members;  // unknown until the group was described
  lag::HealthStatus health = lag::HealthStatus::kOk;
  std::optional<uint64_t> rebalances;
  std::optional<int64_t> lag;            // sum over the partitions whose lag is known
  std::optional<double> lag_seconds;     // the highest of its partitions
  bool lag_seconds_lower_bound = false;  // that highest one is a lower bound
  size_t partitions = 0;
};

// The ranking of page and API: highest lag in seconds first; then the groups whose lag in
// seconds is not known yet (they may be behind), then those at 0 s; within each, by lag in
// messages, highest first; then by name.
bool ranks_before(const GroupStatus& a, const GroupStatus& b);

struct ClusterGroups {
  std::string cluster;
  std::vector<GroupStatus> ranked;  // every group of the snapshot, ranked
  // The page's HTML of ranked[i] with its partitions, for the first kPageGroups only.
  std::vector<std::string> page_rows;
  // The JSON objects of `ranked`, comma-separated: this cluster's part of /api/v1/groups.
  std::string api_items;
  // The /api/v1/groups/{cluster}/{group} document of each group, by the group's exact bytes.
  std::unordered_map<std::string, std::string> documents;

  const std::string* document(std::string_view group) const;
};

ClusterGroups build_cluster_groups(const lag::ClusterSnapshot& snapshot);

// The high watermark of a partition in the snapshot, if it was fetched.
std::optional<int64_t> log_end_offset(const lag::ClusterSnapshot& snapshot, lag::TopicIndex topic,
                                      int32_t partition);

}  // namespace lagwatch::metrics
