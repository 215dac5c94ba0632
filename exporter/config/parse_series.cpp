#include <utility>

#include "config/internal/sections.h"

namespace lagwatch::config::detail {

Status parse_series(const TableReader& cluster, ClusterConfig& out) {
  std::optional<TableReader> section;
  if (auto status = cluster.read_table("series", section); !status) {
    return status;
  }
  if (!section || section->find("kafka_exporter_names") == nullptr) {
    // On from [metrics]: this cluster must say it wants none rather than get none silently.
    if (out.series.kafka_exporter_names && out.granularity != Granularity::kPartition) {
      return cluster.error_at(*cluster.find("name"),
                              cluster.key_path("series.kafka_exporter_names"),
                              "[metrics] kafka_exporter_names needs granularity = \"partition\", "
                              "found \"" +
                                  std::string(to_string(out.granularity)) +
                                  "\"; set kafka_exporter_names = false in [clusters.series] of "
                                  "this cluster");
    }
  }
  if (!section) {
    return {};
  }
  if (auto status = section->reject_unknown_keys(
          {"partition_details", "member_info", "kafka_exporter_names"});
      !status) {
    return status;
  }
  if (auto status = section->read_bool("partition_details", out.series.partition_details);
      !status) {
    return status;
  }
  if (auto status = section->read_bool("member_info", out.series.member_info); !status) {
    return status;
  }
  if (auto status = section->read_bool("kafka_exporter_names", out.series.kafka_exporter_names);
      !status) {
    return status;
  }
  // Coarser granularities export no group-partition series at all: a switch that silently does
  // nothing would mislead whoever turned it on. kafka_exporter's families are per partition too.
  for (const auto& [key, on] :
       {std::pair{"partition_details", out.series.partition_details},
        std::pair{"kafka_exporter_names", out.series.kafka_exporter_names}}) {
    if (on && out.granularity != Granularity::kPartition) {
      return section->error_at(*section->find(key), section->key_path(key),
                               std::string(key) + " needs granularity = \"partition\", found \"" +
                                   std::string(to_string(out.granularity)) + "\"");
    }
  }
  return {};
}

}  // namespace lagwatch::config::detail
