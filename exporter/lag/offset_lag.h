#pragma once
// Lag in messages, as Kafka's own consumer-groups command computes it, but never negative: a
// committed offset can run ahead of a high watermark read a moment earlier.

#include <algorithm>
#include <cstdint>

namespace lagwatch::lag {

inline int64_t offset_lag(int64_t high_watermark, int64_t committed_offset) {
  return std::max<int64_t>(0, high_watermark - committed_offset);
}

// Messages deleted by retention before the group read them: the committed offset lies below
// the partition's first remaining offset.
inline int64_t messages_lost(int64_t low_watermark, int64_t committed_offset) {
  return std::max<int64_t>(0, low_watermark - committed_offset);
}

}  // namespace lagwatch::lag
