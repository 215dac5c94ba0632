#include <utility>
#include <vector>

#include "config/internal/sections.h"

namespace lagwatch::config::detail {

Status parse_filter(const TableReader& cluster, std::string_view key, NameFilter& out) {
  std::optional<TableReader> section;
  if (auto error = cluster.read_table(key, section); !error) {
    return error;
  }
  if (!section) {
    return {};
  }
  if (auto error = section->reject_unknown_keys({"allow", "deny"}); !error) {
    return error;
  }
  std::vector<std::string> allow;
  std::vector<std::string> deny;
  if (auto error = section->read_string_array("allow", allow); !error) {
    return error;
  }
  if (auto error = section->read_string_array("deny", deny); !error) {
    return error;
  }
  auto compiled = NameFilter::compile(allow, deny);
  if (const auto* bad = std::get_if<PatternError>(&compiled)) {
    return bad->in_deny ? invalid_pattern_error(*section, "deny", deny, *bad)
                        : invalid_pattern_error(*section, "allow", allow, *bad);
  }
  out = std::move(std::get<NameFilter>(compiled));
  return {};
}

Error invalid_pattern_error(const TableReader& table, std::string_view list_key,
                            const std::vector<std::string>& patterns, const PatternError& bad) {
  const toml::node& node = *table.find(list_key)->as_array()->get(bad.index);
  return table.error_at(
      node, table.key_path(list_key) + "[" + std::to_string(bad.index) + "]",
      "invalid regular expression \"" + patterns[bad.index] + "\": " + bad.message);
}

}  // namespace lagwatch::config::detail
