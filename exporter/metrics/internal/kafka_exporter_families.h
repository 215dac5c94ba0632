#pragma once
// The families of kafka_exporter (danielqsj/kafka_exporter) under its names and labels, for
// dashboards and alerts written for it ([clusters.series] kafka_exporter_names). lagwatch's
// semantics where kafka_exporter's differ: no series where there is no value (kafka_exporter
// writes -1), never a negative lag.

#include <string>

#include "lag/snapshot.h"
#include "metrics/cluster_renderer.h"

namespace lagwatch::metrics {

// Appends the families to `out`; `cluster_labels` (kafka_cluster and the static labels, rendered)
// come first on every series. Group families from the snapshot's groups; topic and broker
// families only where it has a layout.
void render_kafka_exporter_families(const lag::ClusterSnapshot& snapshot,
                                    const std::string& cluster_labels, ClusterExposition& out);

}  // namespace lagwatch::metrics
