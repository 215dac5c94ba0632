#pragma once
// Lag in seconds of a committed offset, looked up in a partition's WatermarkHistory.
//
// Meaning. A group that committed offset x will next read message x. Its lag in seconds is how
// long message x has been waiting: now - t(x), where t(x) is the moment x became the newest
// offset, i.e. the first time the high watermark exceeded x. The history only samples the high
// watermark once per poll, so t(x) is interpolated linearly between the two points that bracket
// it: the newest point whose offset is <= x and the oldest point whose offset is > x.
//
// The flat stretch. With points (o, t1), (o, t2), (o2 > o, t3), the high watermark sat at o from
// t1 to t2: message o did not exist yet at t2. It was written somewhere in (t2, t3], so
// t(o) is taken from the rising segment (o, t2)-(o2, t3) and equals t2, not t1. Dating it at t1
// would add the idle time of the producer to the lag of a consumer that is in fact up to date
// with everything that existed then.
//
// Idle topics. A consumer caught up (x >= newest high watermark) has lag 0 however long the
// topic stays idle. A consumer behind on an idle topic has messages really waiting: their age,
// now - t(x), keeps growing in real time, which is what an alert on lag seconds should see.
//
// Where this deliberately differs from kafka-lag-exporter's published algorithm:
// - x above the newest high watermark (the watermark was read before the commit) is caught up,
//   lag 0, where it extrapolates to a negative lag;
// - x below the oldest point is not extrapolated (it gave "astronomical" values for consumers
//   reprocessing from far back, and -inf/+inf on a flat table): we report now - oldest time as a
//   lower bound;
// - the result is never negative (a `now` earlier than the points clamps to 0), never NaN/inf;
// - a negative committed offset (no commit) has no lag: kUnknown.
// Inside the table both give the same t(x), including at the end of a flat stretch.

#include <cstdint>
#include <string_view>

#include "lag/time_point.h"
#include "lag/watermark_history.h"

namespace lagwatch::lag {

struct LagSeconds {
  enum class Quality {
    kExact,         // caught up: lag is exactly 0
    kInterpolated,  // t(x) interpolated between two recorded points
    kLowerBound,    // x older than the history: the true lag is at least `seconds`
    kUnknown,       // no value: fewer than 2 points and not caught up, or no committed offset
  };
  double seconds = 0.0;  // >= 0 and finite; 0 when kUnknown
  Quality quality = Quality::kUnknown;
  friend bool operator==(const LagSeconds&, const LagSeconds&) = default;
};

std::string_view to_string(LagSeconds::Quality quality);

LagSeconds lag_seconds(const WatermarkHistory& history, std::int64_t committed_offset,
                       TimePoint now);

}  // namespace lagwatch::lag
