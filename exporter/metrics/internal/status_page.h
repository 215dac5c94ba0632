#pragma once
// The operator status page at "/": per cluster its state, data age and poll timings; the groups
// of every cluster ranked by lag in seconds, each with its partitions on click (<details>); the
// effective configuration, redacted; readiness. Server-rendered HTML with inline CSS and one
// small inline script that turns the data's timestamps into "N s ago" (the page is prepared
// once per poll, so an age written into it would be stale; without the script the absolute UTC
// time shows). Bounded: kPageGroups groups, kPagePartitionsPerGroup partitions each, names cut
// at kPageNameBytes; the page says how many more there are and where to get them.

#include <string>
#include <string_view>
#include <vector>

#include "lag/snapshot.h"
#include "metrics/status_model.h"

namespace lagwatch::metrics {

struct ClusterStatus;

// Text as HTML character data or a quoted attribute value: & < > " ' escaped; control
// characters other than tab and newline, and bytes that are not UTF-8, become U+FFFD.
std::string html_escape(std::string_view text);

// One group's entry of the page: a <details> whose summary is the group's row and whose body is
// its partitions.
std::string render_group_row(const lag::ClusterSnapshot& snapshot, const lag::GroupSnapshot& group,
                             const GroupStatus& status);

struct StatusPageInput {
  std::vector<std::string> cluster_names;
  std::vector<ClusterStatus> statuses;       // by cluster
  std::vector<const ClusterGroups*> groups;  // by cluster; null before a first success
  std::string readiness;                     // the /readyz body
  std::string configuration;                 // redacted; empty: not shown
};

std::string render_status_page(const StatusPageInput& input);

}  // namespace lagwatch::metrics
