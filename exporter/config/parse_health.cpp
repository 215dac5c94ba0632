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
  if (auto status = cluster.read_section("health", {"window", "min_span", "stop_after"}, health);
      !status || !health) {
    return status;
  }
  auto window = static_cast<std::int64_t>(out.window);
  if (auto status = health->read_integer("window", kMinWindow, kMaxWindow, window); !status) {
    return status;
  }
  out.window = static_cast<std::size_t>(window);
  if (auto status = health->read_duration("min_span", kMinMinSpan, out.min_span); !status) {
    return status;
  }
  return health->read_duration("stop_after", kMinStopAfter, out.stop_after);
}

}  // namespace lagwatch::config::detail
