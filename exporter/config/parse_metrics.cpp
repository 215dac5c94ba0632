#include "config/sections.h"

namespace lagwatch::config::detail {

Status parse_metrics(const TableReader& root, Config& config) {
  std::optional<TableReader> metrics;
  if (auto error = root.read_table("metrics", metrics); !error) {
    return error;
  }
  if (!metrics) {
    return {};
  }
  if (auto error = metrics->reject_unknown_keys({"kafka_exporter_names"}); !error) {
    return error;
  }
  return metrics->read_bool("kafka_exporter_names", config.kafka_exporter_names);
}

}  // namespace lagwatch::config::detail
