#include "config/sections.h"

namespace lagwatch::config::detail {

std::optional<Error> parse_metrics(const TableReader& root, Config& config) {
  std::optional<TableReader> metrics;
  if (auto error = root.read_table("metrics", metrics)) {
    return error;
  }
  if (!metrics) {
    return std::nullopt;
  }
  if (auto error = metrics->reject_unknown_keys({"kafka_exporter_names"})) {
    return error;
  }
  return metrics->read_bool("kafka_exporter_names", config.kafka_exporter_names);
}

}  // namespace lagwatch::config::detail
