#pragma once
// Internal to the config module: one parser per part of the document. Each fills its part of the
// output and returns the first problem it finds.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "config/internal/toml_reader.h"

namespace lagwatch::config::detail {

Status parse_server(const TableReader& root, Config& config);
Status parse_poll(const TableReader& root, Config& config);
Status parse_clusters(const TableReader& root, Config& config);
// [log].
Status parse_log(const TableReader& root, LogSettings& out);
// [metrics]: defaults of every cluster's [clusters.series]; before the clusters.
Status parse_metrics(const TableReader& root, Config& config);

// [clusters.groups] / [clusters.topics]; `key` is "groups" or "topics".
Status parse_filter(const TableReader& cluster, std::string_view key, NameFilter& out);
// [clusters.librdkafka], with env/file references resolved.
Status parse_librdkafka(const TableReader& cluster, std::map<std::string, PropertyValue>& out);
// lag_seconds, exact_groups, exact_max_samples and history_points of a cluster.
Status parse_lag_seconds(const TableReader& cluster, ClusterConfig& out);
// [clusters.health].
Status parse_health(const TableReader& cluster, HealthSettings& out);
// [clusters.labels]: static labels on every series of the cluster, in file order.
Status parse_labels(const TableReader& cluster, ClusterConfig& out);
// [clusters.consumer_offsets]: enabled (ClusterConfig::read_consumer_offsets) and the rest.
Status parse_consumer_offsets(const TableReader& cluster, ClusterConfig& out);

// [clusters.series]; after granularity, which it is checked against.
Status parse_series(const TableReader& cluster, ClusterConfig& out);

// The first of `patterns`, the string array at `list_key` in `table`, that NameFilter::compile()
// rejects, named by its own line and index: compile() says what is wrong, not where it is written.
Status check_patterns(const TableReader& table, std::string_view list_key,
                      const std::vector<std::string>& patterns);

}  // namespace lagwatch::config::detail
