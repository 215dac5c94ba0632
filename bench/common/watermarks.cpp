#include "common/watermarks.h"

#include <algorithm>

namespace lagwatch::bench {

OffsetsAt query_offsets_at(rd_kafka_t* handle, const rd_kafka_topic_partition_list_t& partitions,
                           int64_t timestamp, int timeout_ms) {
  OffsetsAt result;
  result.offsets.reset(rd_kafka_topic_partition_list_copy(&partitions));
  for (int i = 0; i < result.offsets->cnt; ++i) {
    result.offsets->elems[i].offset = timestamp;
  }
  // Calls of at most 500 partitions: librdkafka 2.0.2 matches each reply partition to its
  // request by a linear search, so one call over n partitions costs O(n^2) CPU.
  constexpr int kPartitionsPerCall = 500;
  for (int begin = 0; begin < result.offsets->cnt; begin += kPartitionsPerCall) {
    const int end = std::min(result.offsets->cnt, begin + kPartitionsPerCall);
    PartitionListHandle chunk(rd_kafka_topic_partition_list_new(end - begin));
    for (int i = begin; i < end; ++i) {
      const rd_kafka_topic_partition_t& asked = result.offsets->elems[i];
      rd_kafka_topic_partition_list_add(chunk.get(), asked.topic, asked.partition)->offset =
          timestamp;
    }
    rd_kafka_resp_err_t err = rd_kafka_offsets_for_times(handle, chunk.get(), timeout_ms);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      result.error = rd_kafka_err2str(err);
      return result;
    }
    // librdkafka answers in place, in the order asked.
    for (int i = begin; i < end; ++i) {
      result.offsets->elems[i].offset = chunk->elems[i - begin].offset;
      result.offsets->elems[i].err = chunk->elems[i - begin].err;
    }
  }
  for (int i = 0; i < result.offsets->cnt; ++i) {
    if (result.offsets->elems[i].err != RD_KAFKA_RESP_ERR_NO_ERROR) ++result.partition_errors;
  }
  return result;
}

}  // namespace lagwatch::bench
