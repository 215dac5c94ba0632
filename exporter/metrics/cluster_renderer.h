#pragma once
// Snapshot -> exposition text, once per poll. The output is split by family so that the
// exposition of several clusters can be merged without re-rendering (the text format needs all
// series of a family together).

#include <array>
#include <string>
#include <utility>
#include <vector>

#include "lag/snapshot.h"
#include "metrics/families.h"

namespace lagwatch::metrics {

struct ClusterExposition {
  std::array<std::string, kFamilyCount> series;  // series lines of each family, no HELP/TYPE
  size_t series_count = 0;
};

// A cluster's [clusters.labels]: name, value, in the order they are written.
using StaticLabels = std::vector<std::pair<std::string, std::string>>;

// `static_labels` go on every series, after kafka_cluster.
ClusterExposition render_cluster(const lag::ClusterSnapshot& snapshot,
                                 const StaticLabels& static_labels = {});

// Escapes a label value for the text format (backslash, double quote, newline).
void append_escaped_label_value(std::string& out, std::string_view value);

}  // namespace lagwatch::metrics
