#include "config/sections.h"

namespace lagwatch::config::detail {

std::optional<Error> parse_consumer_offsets(const TableReader& cluster, bool& out) {
  std::optional<TableReader> section;
  if (auto error = cluster.read_table("consumer_offsets", section)) {
    return error;
  }
  if (!section) {
    return std::nullopt;
  }
  if (auto error = section->reject_unknown_keys({"enabled"})) {
    return error;
  }
  return section->read_bool("enabled", out);
}

}  // namespace lagwatch::config::detail
