#pragma once
// Per-partition history of the high watermark, recorded once per poll and shared by every group
// that reads the partition. Lag in seconds is looked up in it (see lag_seconds.h).
//
// Memory stays bounded: at most `capacity` points, and a flat stretch (idle producer) keeps only
// its first and last point, so an idle partition costs two points however long it stays idle.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "lag/time_point.h"

namespace lagwatch::lag {

// At `time` the partition's high watermark was `offset`: offsets below it existed, `offset` itself
// had not been written yet.
struct WatermarkPoint {
  std::int64_t offset = 0;
  TimePoint time;
  friend bool operator==(const WatermarkPoint&, const WatermarkPoint&) = default;
};

enum class RecordResult {
  kAppended,                // a new point was added (the oldest may have been dropped)
  kExtendedFlat,            // same offset as the two newest points: the newest point's time moved
  kRestarted,               // record_or_restart only: offset went back, history cleared first
  kRejectedStaleTime,       // time not after the newest point's time
  kRejectedOffsetWentBack,  // offset below the newest point's offset (topic re-created?)
  kRejectedInvalidOffset,   // negative offset (librdkafka's sentinels for "unknown")
};

std::string_view to_string(RecordResult result);

class WatermarkHistory {
 public:
  static constexpr std::size_t kDefaultCapacity = 64;
  // Interpolation needs two points; smaller capacities are raised to this.
  static constexpr std::size_t kMinCapacity = 2;

  explicit WatermarkHistory(std::size_t capacity = kDefaultCapacity);

  // Strict insert: rejects non-increasing time and a decreasing offset, leaving the history as is.
  RecordResult record(std::int64_t high_watermark, TimePoint at);

  // What the poller calls every poll. A high watermark below the newest recorded one means the
  // partition's log was replaced (topic deleted and re-created, or an unclean leader election
  // truncated it): the old points describe another log, so they are dropped and the history
  // starts again from this point.
  RecordResult record_or_restart(std::int64_t high_watermark, TimePoint at);

  void reset() { points_.clear(); }

  // Oldest first; offsets non-decreasing, times strictly increasing.
  std::span<const WatermarkPoint> points() const { return points_; }
  std::size_t size() const { return points_.size(); }
  bool empty() const { return points_.empty(); }
  std::size_t capacity() const { return capacity_; }

 private:
  std::size_t capacity_;
  std::vector<WatermarkPoint> points_;
};

}  // namespace lagwatch::lag
