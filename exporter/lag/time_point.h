#pragma once
// The lag model never reads a clock: every entry point takes `now` as a TimePoint so that tests
// and the poller decide what time it is. One poll uses one `now` for all its partitions.

#include <chrono>
#include <cmath>

namespace lagwatch::lag {

using TimePoint = std::chrono::system_clock::time_point;

// Differences are taken in integer clock ticks before converting, so that Unix-epoch magnitudes
// do not eat the precision of sub-second intervals.
inline double seconds_between(TimePoint earlier, TimePoint later) {
  return std::chrono::duration<double>(later - earlier).count();
}

// For callers that keep Unix seconds as doubles (the snapshot does). A non-finite input maps to
// the epoch rather than to an undefined conversion.
inline TimePoint from_unix_seconds(double seconds) {
  if (!std::isfinite(seconds)) return TimePoint{};
  return TimePoint{std::chrono::round<TimePoint::duration>(std::chrono::duration<double>(seconds))};
}

inline double to_unix_seconds(TimePoint time) {
  return std::chrono::duration<double>(time.time_since_epoch()).count();
}

}  // namespace lagwatch::lag
