#include <utility>
#include <vector>

#include "config/sections.h"

namespace lagwatch::config::detail {

std::optional<Error> parse_filter(const TableReader& cluster, std::string_view key,
                                  NameFilter& out) {
  std::optional<TableReader> section;
  if (auto error = cluster.read_table(key, section)) {
    return error;
  }
  if (!section) {
    return std::nullopt;
  }
  if (auto error = section->reject_unknown_keys({"allow", "deny"})) {
    return error;
  }
  std::vector<std::string> allow;
  std::vector<std::string> deny;
  if (auto error = section->read_string_array("allow", allow)) {
    return error;
  }
  if (auto error = section->read_string_array("deny", deny)) {
    return error;
  }
  auto compiled = NameFilter::compile(allow, deny);
  if (auto* bad = std::get_if<PatternError>(&compiled)) {
    const std::string_view list = bad->in_deny ? "deny" : "allow";
    const std::string& pattern = (bad->in_deny ? deny : allow)[bad->index];
    const toml::node& node = *section->find(list)->as_array()->get(bad->index);
    return section->error_at(node, section->key_path(list) + "[" + std::to_string(bad->index) + "]",
                             "invalid regular expression \"" + pattern + "\": " + bad->message);
  }
  out = std::move(std::get<NameFilter>(compiled));
  return std::nullopt;
}

}  // namespace lagwatch::config::detail
