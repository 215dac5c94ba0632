#include <utility>
#include <vector>

#include "config/internal/sections.h"

namespace lagwatch::config::detail {

Status parse_filter(const TableReader& cluster, std::string_view key, NameFilter& out) {
  std::optional<TableReader> section;
  if (auto status = cluster.read_section(key, {"allow", "deny"}, section); !status || !section) {
    return status;
  }
  std::vector<std::string> allow;
  std::vector<std::string> deny;
  if (auto status = section->read_string_array("allow", allow); !status) {
    return status;
  }
  if (auto status = section->read_string_array("deny", deny); !status) {
    return status;
  }
  if (auto status = check_patterns(*section, "allow", allow); !status) {
    return status;
  }
  if (auto status = check_patterns(*section, "deny", deny); !status) {
    return status;
  }
  out = NameFilter(std::move(allow), std::move(deny));
  return {};
}

Status check_patterns(const TableReader& table, std::string_view list_key,
                      const std::vector<std::string>& patterns) {
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    if (auto compiled = NameFilter::compile({patterns[i]}, {}); !compiled) {
      const toml::node& node = *table.find(list_key)->as_array()->get(i);
      return table.error_at(node, table.key_path(list_key) + "[" + std::to_string(i) + "]",
                            compiled.error().message);
    }
  }
  return {};
}

}  // namespace lagwatch::config::detail
