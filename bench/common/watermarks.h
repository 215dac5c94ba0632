#pragma once

#include <librdkafka/rdkafka.h>

#include <cstdint>
#include <string>

#include "common/kafka_handles.h"

namespace lagwatch::bench {

// Kafka's ListOffsets reads these two timestamps as "end of log" and "start of log".
inline constexpr int64_t kLatestOffset = -1;
inline constexpr int64_t kEarliestOffset = -2;

struct OffsetsAt {
  PartitionListHandle offsets;  // one entry per asked partition, .offset filled in
  std::string error;            // whole request failed
  std::size_t partition_errors = 0;
};

// Batched calls of up to 500 partitions: librdkafka groups them per leader, which is what makes
// it viable at 10k partitions where a blocking call per partition is not.
OffsetsAt query_offsets_at(rd_kafka_t* handle, const rd_kafka_topic_partition_list_t& partitions,
                           int64_t timestamp, int timeout_ms);

}  // namespace lagwatch::bench
