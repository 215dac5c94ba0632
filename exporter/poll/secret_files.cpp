#include "poll/internal/secret_files.h"

#include "config/secret_source.h"

namespace lagwatch::poll {

std::vector<std::string> reread_secret_files(config::ClusterConfig& cluster) {
  std::vector<std::string> changed;
  for (auto& [name, property] : cluster.librdkafka) {
    if (property.source != config::PropertyValue::Source::kFile) continue;
    std::string problem;
    auto current = config::detail::read_secret_from_file(property.reference, problem);
    if (!current || *current == property.value) continue;
    property.value = std::move(*current);
    changed.push_back(property.reference);
  }
  return changed;
}

}  // namespace lagwatch::poll
