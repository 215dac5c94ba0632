#include <cstddef>
#include <map>
#include <string_view>

#include "config/internal/enum_names.h"
#include "config/internal/sections.h"

namespace lagwatch::config::detail {
namespace {

constexpr std::string_view kRequiredClustersMessage = "at least one [[clusters]] table is required";

bool is_valid_cluster_name(const std::string& name) {
  // The name becomes a Prometheus label value and a log field: keep it plain.
  return name.find_first_not_of(
             "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") ==
         std::string::npos;
}

Status read_name(const TableReader& cluster, std::string& out) {
  const toml::node* node = cluster.find("name");
  if (node == nullptr) {
    return cluster.error(cluster.line(), cluster.key_path("name"), "missing required key");
  }
  if (auto status = cluster.read_string("name", out); !status) {
    return status;
  }
  if (out.empty()) {
    return cluster.error_at(*node, cluster.key_path("name"), "must not be empty");
  }
  if (!is_valid_cluster_name(out)) {
    return cluster.error_at(*node, cluster.key_path("name"),
                            "must match [A-Za-z0-9_.-]+, found \"" + out + "\"");
  }
  return {};
}

// A string ("a:9092,b:9092") or an array of strings, joined with commas for librdkafka.
Status read_bootstrap_servers(const TableReader& cluster, std::string& out) {
  const std::string path = cluster.key_path("bootstrap_servers");
  const toml::node* node = cluster.find("bootstrap_servers");
  if (node == nullptr) {
    return cluster.error(cluster.line(), path, "missing required key");
  }
  if (const auto* text = node->as_string()) {
    out = text->get();
  } else if (const auto* array = node->as_array()) {
    out.clear();
    for (std::size_t i = 0; i < array->size(); ++i) {
      const toml::node& element = *array->get(i);
      const std::string element_path = path + "[" + std::to_string(i) + "]";
      const auto* server = element.as_string();
      if (server == nullptr) {
        return cluster.type_error(element, element_path, "a string");
      }
      if (server->get().empty()) {
        return cluster.error_at(element, element_path, "must not be empty");
      }
      out += (i == 0 ? "" : ",") + server->get();
    }
  } else {
    return cluster.type_error(*node, path, "a string or an array of strings");
  }
  if (out.empty()) {
    return cluster.error_at(*node, path, "must not be empty");
  }
  return {};
}

Status read_shard(const TableReader& cluster, Shard& out) {
  std::string text;
  if (auto status = cluster.read_string("shard", text); !status) {
    return status;
  }
  const toml::node* node = cluster.find("shard");
  if (node == nullptr) {
    return {};
  }
  const auto shard = parse_shard(text);
  if (!shard) {
    return cluster.error_at(*node, cluster.key_path("shard"),
                            "invalid shard \"" + text + "\": expected \"I/N\" with 0 <= I < N");
  }
  out = *shard;
  return {};
}

Status read_granularity(const TableReader& cluster, Granularity& out) {
  std::size_t index = static_cast<std::size_t>(out);
  if (auto status = cluster.read_choice("granularity", kGranularityNames, index); !status) {
    return status;
  }
  out = static_cast<Granularity>(index);
  return {};
}

Status parse_cluster(const TableReader& cluster, ClusterConfig& out) {
  if (auto status = cluster.reject_unknown_keys(
          {"name", "bootstrap_servers", "shard", "granularity", "lag_seconds", "exact_groups",
           "exact_max_samples", "history_points", "groups", "topics", "health", "consumer_offsets",
           "series", "labels", "librdkafka"});
      !status) {
    return status;
  }
  if (auto status = read_name(cluster, out.name); !status) {
    return status;
  }
  if (auto status = read_bootstrap_servers(cluster, out.bootstrap_servers); !status) {
    return status;
  }
  if (auto status = read_shard(cluster, out.shard); !status) {
    return status;
  }
  if (auto status = read_granularity(cluster, out.granularity); !status) {
    return status;
  }
  if (auto status = parse_lag_seconds(cluster, out); !status) {
    return status;
  }
  if (auto status = parse_filter(cluster, "groups", out.groups); !status) {
    return status;
  }
  if (auto status = parse_filter(cluster, "topics", out.topics); !status) {
    return status;
  }
  if (auto status = parse_health(cluster, out.health); !status) {
    return status;
  }
  if (auto status = parse_consumer_offsets(cluster, out); !status) {
    return status;
  }
  if (auto status = parse_series(cluster, out); !status) {
    return status;
  }
  if (auto status = parse_labels(cluster, out); !status) {
    return status;
  }
  return parse_librdkafka(cluster, out.librdkafka);
}

}  // namespace

Status parse_clusters(const TableReader& root, Config& config) {
  const toml::node* node = root.find("clusters");
  if (node == nullptr) {
    return root.error(0, "clusters", std::string(kRequiredClustersMessage));
  }
  const auto* array = node->as_array();
  if (array == nullptr) {
    return root.type_error(*node, "clusters", "an array of tables ([[clusters]])");
  }
  if (array->empty()) {
    return root.error_at(*node, "clusters", std::string(kRequiredClustersMessage));
  }
  std::map<std::string, int> line_of_name;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::node& element = *array->get(i);
    const std::string path = "clusters[" + std::to_string(i) + "]";
    const auto* table = element.as_table();
    if (table == nullptr) {
      return root.type_error(element, path, "a table");
    }
    const TableReader cluster = root.child(*table, path);
    ClusterConfig parsed;
    parsed.series.kafka_exporter_names = config.kafka_exporter_names;  // [clusters.series] wins
    if (auto status = parse_cluster(cluster, parsed); !status) {
      return status;
    }
    const int name_line = line_of(cluster.find("name")->source());
    const auto [previous, inserted] = line_of_name.emplace(parsed.name, name_line);
    if (!inserted) {
      return cluster.error(name_line, cluster.key_path("name"),
                           "duplicate cluster name \"" + parsed.name + "\" (first used on line " +
                               std::to_string(previous->second) + ")");
    }
    config.clusters.push_back(std::move(parsed));
  }
  return {};
}

}  // namespace lagwatch::config::detail
