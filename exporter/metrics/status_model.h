#pragma once
// What the status page and the JSON API show of one cluster's groups, built once per poll from
// the snapshot that feeds /metrics and immutable afterwards: the HTTP thread only reads it.
// The page rows of the top groups and the /api/v1/groups list are prepared here; a group's own
// document is rendered when asked for, from the snapshot this model keeps, so a poll does not
// write (and hold) the JSON of every partition of every group that nobody may ask for.

#include <cstddef>
#include <cstdint>
#include <memory>
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
  // The poll's snapshot, immutable: the groups' documents are rendered from it.
  std::shared_ptr<const lag::ClusterSnapshot> snapshot;
  // Every group by its exact bytes (views into `snapshot`): its index there and in `ranked`.
  std::unordered_map<std::string_view, std::pair<size_t, size_t>> by_name;

  // The /api/v1/groups/{cluster}/{group} document; null for a group not in the snapshot.
  std::shared_ptr<const std::string> document(std::string_view group) const;
};

ClusterGroups build_cluster_groups(lag::ClusterSnapshot snapshot);

// The high watermark of a partition in the snapshot, if it was fetched.
std::optional<int64_t> log_end_offset(const lag::ClusterSnapshot& snapshot, lag::TopicIndex topic,
                                      int32_t partition);

}  // namespace lagwatch::metrics
