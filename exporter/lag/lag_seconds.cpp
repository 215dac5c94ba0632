#include "lag/lag_seconds.h"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace lagwatch::lag {
namespace {

LagSeconds make(double seconds, LagSeconds::Quality quality) {
  // The inputs are finite integers, so this only guards against future edits of the arithmetic.
  if (!std::isfinite(seconds)) return {0.0, LagSeconds::Quality::kUnknown};
  return {std::max(seconds, 0.0), quality};
}

}  // namespace

std::string_view to_string(LagSeconds::Quality quality) {
  switch (quality) {
    case LagSeconds::Quality::kExact:
      return "exact";
    case LagSeconds::Quality::kInterpolated:
      return "interpolated";
    case LagSeconds::Quality::kLowerBound:
      return "lower_bound";
    case LagSeconds::Quality::kUnknown:
      return "unknown";
  }
  return "unknown";
}

LagSeconds lag_seconds(const WatermarkHistory& history, std::int64_t committed_offset,
                       TimePoint now) {
  const auto points = history.points();
  if (committed_offset < 0 || points.empty()) return {};
  if (committed_offset >= points.back().offset) return {0.0, LagSeconds::Quality::kExact};
  if (points.size() < 2) return {};
  if (committed_offset < points.front().offset) {
    return make(seconds_between(points.front().time, now), LagSeconds::Quality::kLowerBound);
  }
  // First point whose offset exceeds x; it exists (x < newest offset) and is not the first point
  // (first offset <= x), so its predecessor brackets x on a strictly rising segment: no division
  // by zero, and a flat stretch at x resolves to its end.
  const auto right = std::upper_bound(
      points.begin(), points.end(), committed_offset,
      [](std::int64_t x, const WatermarkPoint& point) { return x < point.offset; });
  const auto left = std::prev(right);
  // Both differences are exact in int64; the fraction lies in [0, 1).
  const double fraction = static_cast<double>(committed_offset - left->offset) /
                          static_cast<double>(right->offset - left->offset);
  const double seconds =
      seconds_between(left->time, now) - fraction * seconds_between(left->time, right->time);
  return make(seconds, LagSeconds::Quality::kInterpolated);
}

}  // namespace lagwatch::lag
