#include "lag/watermark_history.h"

#include <algorithm>

namespace lagwatch::lag {

std::string_view to_string(RecordResult result) {
  switch (result) {
    case RecordResult::kAppended:
      return "appended";
    case RecordResult::kExtendedFlat:
      return "extended_flat";
    case RecordResult::kRestarted:
      return "restarted";
    case RecordResult::kRejectedStaleTime:
      return "rejected_stale_time";
    case RecordResult::kRejectedOffsetWentBack:
      return "rejected_offset_went_back";
    case RecordResult::kRejectedInvalidOffset:
      return "rejected_invalid_offset";
  }
  return "unknown";
}

WatermarkHistory::WatermarkHistory(std::size_t capacity)
    : capacity_(std::max(capacity, kMinCapacity)) {}

RecordResult WatermarkHistory::record(std::int64_t high_watermark, TimePoint at) {
  if (high_watermark < 0) return RecordResult::kRejectedInvalidOffset;
  if (!points_.empty()) {
    const WatermarkPoint& newest = points_.back();
    if (at <= newest.time) return RecordResult::kRejectedStaleTime;
    if (high_watermark < newest.offset) return RecordResult::kRejectedOffsetWentBack;
  }
  const std::size_t n = points_.size();
  if (n >= 2 && points_[n - 1].offset == high_watermark &&
      points_[n - 2].offset == high_watermark) {
    // The stretch's start stays (first time at this offset); only its end moves. The end is what
    // dates the next message, see lag_seconds.h.
    points_.back().time = at;
    return RecordResult::kExtendedFlat;
  }
  // Drop before appending so the vector never grows past the bound, not even for a moment.
  if (n == capacity_) points_.erase(points_.begin());
  points_.push_back({high_watermark, at});
  return RecordResult::kAppended;
}

RecordResult WatermarkHistory::record_or_restart(std::int64_t high_watermark, TimePoint at) {
  const RecordResult result = record(high_watermark, at);
  if (result != RecordResult::kRejectedOffsetWentBack) return result;
  reset();
  points_.push_back({high_watermark, at});
  return RecordResult::kRestarted;
}

}  // namespace lagwatch::lag
