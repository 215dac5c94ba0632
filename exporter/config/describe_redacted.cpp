#include <sstream>

#include "config/config.h"

namespace lagwatch::config {
namespace {

// A TOML basic string, so regexes with backslashes read back the way they were written.
std::string quoted(const std::string& text) { return log::quote(text); }

std::string string_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    out += (i == 0 ? "" : ", ") + quoted(items[i]);
  }
  return out + "]";
}

// Never the value of a secret: only where it came from.
std::string shown_value(const PropertyValue& property) {
  switch (property.source) {
    case PropertyValue::Source::kEnv:
      return "<from env " + property.reference + ">";
    case PropertyValue::Source::kFile:
      return "<from file " + property.reference + ">";
    case PropertyValue::Source::kInline:
      break;
  }
  return property.secret ? "<redacted>" : quoted(property.value);
}

void describe_cluster(const ClusterConfig& cluster, std::ostringstream& out) {
  out << "\n[[clusters]]\n"
      << "name = " << quoted(cluster.name) << "\n"
      << "bootstrap_servers = " << quoted(cluster.bootstrap_servers) << "\n"
      << "shard = \"" << cluster.shard.index << "/" << cluster.shard.count << "\"\n"
      << "granularity = \"" << to_string(cluster.granularity) << "\"\n"
      << "lag_seconds = \"" << to_string(cluster.lag_seconds_mode) << "\"\n"
      << "exact_groups = " << string_list(cluster.exact_groups.allow_patterns()) << "\n"
      << "exact_max_samples = " << cluster.exact_max_samples << "\n"
      << "history_points = " << cluster.history_points << "\n"
      << "\n[clusters.health]\n"
      << "window = " << cluster.health.window << "\n"
      << "min_span = \"" << format_duration(cluster.health.min_span) << "\"\n"
      << "stop_after = \"" << format_duration(cluster.health.stop_after) << "\"\n"
      << "\n[clusters.consumer_offsets]\n"
      << "enabled = " << (cluster.read_consumer_offsets ? "true" : "false") << "\n"
      << "\n[clusters.series]\n"
      << "partition_details = " << (cluster.series.partition_details ? "true" : "false") << "\n"
      << "member_info = " << (cluster.series.member_info ? "true" : "false") << "\n"
      << "kafka_exporter_names = " << (cluster.series.kafka_exporter_names ? "true" : "false")
      << "\n"
      << "\n[clusters.groups]\n"
      << "allow = " << string_list(cluster.groups.allow_patterns()) << "\n"
      << "deny = " << string_list(cluster.groups.deny_patterns()) << "\n"
      << "\n[clusters.topics]\n"
      << "allow = " << string_list(cluster.topics.allow_patterns()) << "\n"
      << "deny = " << string_list(cluster.topics.deny_patterns()) << "\n"
      << "\n[clusters.labels]\n";
  for (const auto& [name, value] : cluster.labels) {
    out << name << " = " << quoted(value) << "\n";
  }
  out << "\n[clusters.librdkafka]\n";
  for (const auto& [name, property] : cluster.librdkafka) {
    out << quoted(name) << " = " << shown_value(property) << "\n";
  }
}

}  // namespace

std::string describe_redacted(const Config& config) {
  std::ostringstream out;
  out << "# effective configuration from " << config.source_path << "\n"
      << "\n[server]\n"
      << "listen_address = " << quoted(config.listen_address) << "\n"
      << "readiness_grace = \"" << format_duration(config.readiness_grace) << "\"\n"
      << "\n[poll]\n"
      << "interval = \"" << format_duration(config.poll_interval) << "\"\n"
      << "request_timeout = \"" << format_duration(config.request_timeout) << "\"\n"
      << "max_in_flight = " << config.max_in_flight << "\n"
      << "broker_wide_describe_min_groups = " << config.broker_wide_describe_min_groups << "\n"
      << "earliest_offsets_refresh = \"" << format_duration(config.earliest_offsets_refresh)
      << "\"\n"
      << "\n[log]\n"
      << "format = \"" << log::to_string(config.log.format) << "\"\n"
      << "level = \"" << log::to_string(config.log.level) << "\"\n"
      << "\n[metrics]\n"
      << "kafka_exporter_names = " << (config.kafka_exporter_names ? "true" : "false") << "\n";
  for (const auto& cluster : config.clusters) {
    describe_cluster(cluster, out);
  }
  return out.str();
}

}  // namespace lagwatch::config
