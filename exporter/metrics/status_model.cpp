#include "metrics/status_model.h"

#include <algorithm>
#include <tuple>

#include "metrics/internal/status_api.h"
#include "metrics/internal/status_page.h"

namespace lagwatch::metrics {
namespace {

GroupStatus summarize(const lag::GroupSnapshot& group) {
  GroupStatus status;
  status.name = group.name;
  status.state = group.state;
  status.members = group.members;
  status.health = group.health;
  status.rebalances = group.rebalances;
  status.partitions = group.partitions.size();
  for (const auto& partition : group.partitions) {
    if (partition.lag) status.lag = status.lag.value_or(0) + *partition.lag;
    if (partition.lag_seconds &&
        (!status.lag_seconds || *partition.lag_seconds > *status.lag_seconds)) {
      status.lag_seconds = partition.lag_seconds;
      status.lag_seconds_lower_bound = partition.lag_seconds_lower_bound;
    }
  }
  return status;
}

}  // namespace

bool ranks_before(const GroupStatus& a, const GroupStatus& b) {
  // A group behind by some seconds first; one whose lag in seconds is not known yet may be
  // behind, so it comes before those known to be caught up.
  const auto tier = [](const GroupStatus& g) {
    if (!g.lag_seconds) return 1;
    return *g.lag_seconds > 0 ? 2 : 0;
  };
  const auto key = [&](const GroupStatus& g) {
    return std::make_tuple(tier(g), g.lag_seconds.value_or(0), g.lag.has_value(),
                           g.lag.value_or(0));
  };
  const auto ka = key(a), kb = key(b);
  if (ka != kb) return ka > kb;
  return a.name < b.name;
}

std::shared_ptr<const std::string> ClusterGroups::document(std::string_view group) const {
  const auto it = by_name.find(group);
  if (it == by_name.end()) return nullptr;
  const auto [in_snapshot, rank] = it->second;
  return std::make_shared<const std::string>(
      render_group_document(*snapshot, snapshot->groups[in_snapshot], ranked[rank]));
}

std::optional<int64_t> log_end_offset(const lag::ClusterSnapshot& snapshot, lag::TopicIndex topic,
                                      int32_t partition) {
  const auto it = std::lower_bound(
      snapshot.partitions.begin(), snapshot.partitions.end(), std::make_pair(topic, partition),
      [](const lag::PartitionOffsets& p, const std::pair<lag::TopicIndex, int32_t>& wanted) {
        return std::make_pair(p.topic, p.partition) < wanted;
      });
  if (it == snapshot.partitions.end() || it->topic != topic || it->partition != partition) {
    return std::nullopt;
  }
  return it->high_watermark;
}

ClusterGroups build_cluster_groups(lag::ClusterSnapshot kept) {
  ClusterGroups out;
  out.snapshot = std::make_shared<const lag::ClusterSnapshot>(std::move(kept));
  const lag::ClusterSnapshot& snapshot = *out.snapshot;
  out.cluster = snapshot.cluster;
  std::vector<size_t> order(snapshot.groups.size());
  out.ranked.reserve(snapshot.groups.size());
  for (size_t i = 0; i < snapshot.groups.size(); ++i) {
    out.ranked.push_back(summarize(snapshot.groups[i]));
    order[i] = i;
  }
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return ranks_before(out.ranked[a], out.ranked[b]); });
  std::vector<GroupStatus> ranked;
  ranked.reserve(order.size());
  out.by_name.reserve(order.size());
  for (size_t rank = 0; rank < order.size(); ++rank) {
    const lag::GroupSnapshot& group = snapshot.groups[order[rank]];
    GroupStatus& status = out.ranked[order[rank]];
    if (rank < kPageGroups) out.page_rows.push_back(render_group_row(snapshot, group, status));
    if (rank > 0) out.api_items += ',';
    append_group_json(out.api_items, snapshot.cluster, status);
    out.by_name.emplace(group.name, std::make_pair(order[rank], rank));
    ranked.push_back(std::move(status));
  }
  out.ranked = std::move(ranked);
  return out;
}

}  // namespace lagwatch::metrics
