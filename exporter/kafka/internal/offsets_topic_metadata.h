#pragma once
// What the reader must know about `__consumer_offsets` before and while consuming it: how many
// partitions it has and where each partition's log starts and ends.

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <cstdint>
#include <vector>

#include "error/result.h"

namespace lagwatch::kafka {

inline constexpr const char* kOffsetsTopic = "__consumer_offsets";

// The topic's partition count; 0 while the topic does not exist (the broker creates it on the
// first group coordinator lookup). An authorization failure or an unreachable cluster is an error.
Result<std::int32_t> offsets_topic_partition_count(rd_kafka_t* rk, rd_kafka_topic_t* topic,
                                                   std::chrono::milliseconds timeout);

struct PartitionBounds {
  std::int32_t partition = 0;
  std::int64_t low = 0;
  std::int64_t high = 0;
};

// Low and high watermarks of partitions [first, end) in one batched request each.
Result<std::vector<PartitionBounds>> offsets_topic_bounds(rd_kafka_t* rk, std::int32_t first,
                                                          std::int32_t end,
                                                          std::chrono::milliseconds timeout);

}  // namespace lagwatch::kafka
