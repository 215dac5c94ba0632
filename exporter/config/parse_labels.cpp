#include <algorithm>
#include <array>

#include "config/internal/sections.h"

namespace lagwatch::config::detail {
namespace {

// The labels lagwatch sets itself, and `job` and `instance`, which Prometheus sets on scrape
// (and would rename an exporter's to exported_job): a static label of one of these names would
// make two labels of one name, or change what a query of lagwatch's own labels means.
constexpr std::array<std::string_view, 19> kReservedNames = {"kafka_cluster", "group",
                                                             "topic",         "partition",
                                                             "state",         "stage",
                                                             "api",           "source",
                                                             "resource",      "outcome",
                                                             "encoding",      "version",
                                                             "revision",      "librdkafka_version",
                                                             "member_id",     "client_id",
                                                             "host",          "job",
                                                             "instance"};
// The labels of kafka_exporter's families beyond those above ([clusters.series]
// kafka_exporter_names): taken only where those families are exported.
constexpr std::array<std::string_view, 3> kKafkaExporterNames = {"consumergroup", "id", "address"};
// Every label is on every series of the cluster: a few are context, dozens are a mistake.
constexpr std::size_t kMaxLabels = 16;
constexpr std::size_t kMaxValueBytes = 1024;

bool is_label_name(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

}  // namespace

Status parse_labels(const TableReader& cluster, ClusterConfig& out) {
  std::optional<TableReader> labels;
  if (auto status = cluster.read_table("labels", labels); !status) {
    return status;
  }
  if (!labels) {
    return {};
  }
  for (const Entry& entry : entries_in_file_order(labels->table())) {
    const std::string name(entry.key->str());
    const std::string path = labels->key_path(name);
    if (!is_label_name(name)) {
      return labels->error_at(*entry.node, path,
                              "not a Prometheus label name: letters, digits and _, not starting "
                              "with a digit");
    }
    if (name.starts_with("__")) {
      return labels->error_at(*entry.node, path, "names starting with __ are Prometheus' own");
    }
    if (std::find(kReservedNames.begin(), kReservedNames.end(), name) != kReservedNames.end()) {
      return labels->error_at(*entry.node, path,
                              "\"" + name + "\" is a label lagwatch or Prometheus sets itself");
    }
    if (out.series.kafka_exporter_names &&
        std::find(kKafkaExporterNames.begin(), kKafkaExporterNames.end(), name) !=
            kKafkaExporterNames.end()) {
      return labels->error_at(*entry.node, path,
                              "\"" + name +
                                  "\" is a label of kafka_exporter's families, which "
                                  "kafka_exporter_names turns on");
    }
    const auto* value = entry.node->as_string();
    if (value == nullptr) {
      return labels->type_error(*entry.node, path, "a string");
    }
    if (value->get().size() > kMaxValueBytes) {
      return labels->error_at(*entry.node, path,
                              "longer than " + std::to_string(kMaxValueBytes) + " bytes");
    }
    if (out.labels.size() == kMaxLabels) {
      return labels->error_at(*entry.node, path,
                              "more than " + std::to_string(kMaxLabels) + " labels");
    }
    out.labels.emplace_back(name, value->get());
  }
  return {};
}

}  // namespace lagwatch::config::detail
