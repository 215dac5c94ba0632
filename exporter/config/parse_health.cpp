#include <cstdint>

#include "config/internal/sections.h"

namespace lagwatch::config::detail {
namespace {

// A verdict compares at least two observations; past 1000 a window outlives any incident.
constexpr std::int64_t kMinWindow = 2;
constexpr std::int64_t kMaxWindow = 1000;
constexpr Duration kMinMinSpan = Duration::zero();
// STOP after 0s would call every partition stopped at its first unchanged commit.
constexpr Duration kMinStopAfter = std::chrono::seconds(1);

}  // namespace

Status parse_health(const TableReader& cluster, HealthSettings& out) {
  std::optional<TableReader> health;
  if (auto error = cluster.read_table("health", health); !error) {
    return error;
  }
  if (!health) {
    return {};
  }
  if (auto error = health->reject_unknown_keys({"window", "min_span", "stop_after"}); !error) {
    return error;
  }
  auto window = static_cast<std::int64_t>(out.window);
  if (auto error = health->read_integer("window", kMinWindow, kMaxWindow, window); !error) {
    return error;
  }
  out.window = static_cast<std::size_t>(window);
  if (auto error = health->read_duration("min_span", kMinMinSpan, out.min_span); !error) {
    return error;
  }
  return health->read_duration("stop_after", kMinStopAfter, out.stop_after);
}

}  // namespace lagwatch::config::detail
