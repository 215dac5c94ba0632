#include "common/watermarks.h"

namespace lagwatch::bench {

OffsetsAt query_offsets_at(rd_kafka_t* handle, const rd_kafka_topic_partition_list_t& partitions,
                           int64_t timestamp, int timeout_ms) {
  OffsetsAt result;
  result.offsets.reset(rd_kafka_topic_partition_list_copy(&partitions));
  for (int i = 0; i < result.offsets->cnt; ++i) {
    result.offsets->elems[i].offset = timestamp;
  }
  rd_kafka_resp_err_t err = rd_kafka_offsets_for_times(handle, result.offsets.get(), timeout_ms);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    result.error = rd_kafka_err2str(err);
    return result;
  }
  for (int i = 0; i < result.offsets->cnt; ++i) {
    if (result.offsets->elems[i].err != RD_KAFKA_RESP_ERR_NO_ERROR) ++result.partition_errors;
  }
  return result;
}

}  // namespace lagwatch::bench
