#include <tuple>

#include "config/config.h"

namespace lagwatch::config {
namespace {

bool same_filter(const NameFilter& a, const NameFilter& b) {
  return a.allow_patterns() == b.allow_patterns() && a.deny_patterns() == b.deny_patterns();
}

bool same_property(const PropertyValue& a, const PropertyValue& b) {
  if (a.source != b.source || a.reference != b.reference) return false;
  return a.source == PropertyValue::Source::kFile || a.value == b.value;
}

bool same_properties(const std::map<std::string, PropertyValue>& a,
                     const std::map<std::string, PropertyValue>& b) {
  if (a.size() != b.size()) return false;
  for (auto left = a.begin(), right = b.begin(); left != a.end(); ++left, ++right) {
    if (left->first != right->first || !same_property(left->second, right->second)) return false;
  }
  return true;
}

}  // namespace

bool same_cluster_settings(const ClusterConfig& running, const ClusterConfig& reloaded) {
  const auto scalars = [](const ClusterConfig& c) {
    return std::tie(c.name, c.bootstrap_servers, c.shard.index, c.shard.count, c.granularity,
                    c.lag_seconds_mode, c.exact_max_samples, c.history_points, c.health.window,
                    c.health.min_span, c.health.stop_after, c.read_consumer_offsets,
                    c.consumer_offsets.serve_offsets, c.consumer_offsets.verify_groups,
                    c.consumer_offsets.sync_wait, c.series.partition_details, c.series.member_info,
                    c.series.kafka_exporter_names);
  };
  return scalars(running) == scalars(reloaded) && same_filter(running.groups, reloaded.groups) &&
         same_filter(running.topics, reloaded.topics) &&
         same_filter(running.exact_groups, reloaded.exact_groups) &&
         running.labels == reloaded.labels &&
         same_properties(running.librdkafka, reloaded.librdkafka);
}

}  // namespace lagwatch::config
