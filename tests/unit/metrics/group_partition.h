#pragma once
// Snapshot pieces shared by the renderer tests.

#include <cstdint>
#include <optional>

#include "lag/snapshot.h"

namespace lagwatch::metrics {

// A group-partition with a committed offset and, where given, its lag.
inline lag::GroupPartition partition(lag::TopicIndex topic, int32_t p, int64_t committed,
                                     std::optional<int64_t> lag) {
  lag::GroupPartition gp;
  gp.topic = topic;
  gp.partition = p;
  gp.committed_offset = committed;
  gp.lag = lag;
  return gp;
}

}  // namespace lagwatch::metrics
