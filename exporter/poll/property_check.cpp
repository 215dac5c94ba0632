#include "poll/property_check.h"

#include <algorithm>
#include <string>
#include <vector>

#include "kafka/property_check.h"

namespace lagwatch::poll {

Status check_librdkafka_properties(const config::Config& config) {
  for (std::size_t c = 0; c < config.clusters.size(); ++c) {
    using Entry = std::pair<const std::string, config::PropertyValue>;
    std::vector<const Entry*> in_file_order;
    for (const Entry& entry : config.clusters[c].librdkafka) in_file_order.push_back(&entry);
    std::stable_sort(
        in_file_order.begin(), in_file_order.end(),
        [](const Entry* a, const Entry* b) { return a->second.line < b->second.line; });
    std::vector<kafka::Property> properties;
    for (const Entry* entry : in_file_order) {
      properties.push_back({entry->first, entry->second.value, entry->second.secret});
    }
    if (auto problem = kafka::check_properties(properties)) {
      const Entry& bad = *in_file_order[problem->index];
      return Error::config(config.source_path, bad.second.line,
                           "clusters[" + std::to_string(c) + "].librdkafka." + bad.first,
                           std::move(problem->error.message));
    }
  }
  return {};
}

}  // namespace lagwatch::poll
