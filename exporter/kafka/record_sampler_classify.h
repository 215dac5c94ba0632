#pragma once
// What one message from the sampler's consumer queue says about the offset being read.

#include <librdkafka/rdkafka.h>

#include <cstdint>
#include <string>

#include "kafka/record_sampler.h"

namespace lagwatch::kafka::detail {

// The fields of an rd_kafka_message_t that matter here, copied so the rules can be tested
// without a broker.
struct FetchedMessage {
  rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
  int64_t offset = -1;  // record offset; for PARTITION_EOF the log end offset reached
  int64_t timestamp_ms = -1;
  rd_kafka_timestamp_type_t timestamp_type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE;
  std::string error_text;  // for err != NO_ERROR
};

FetchedMessage fetched_message(const rd_kafka_message_t& message);

// Fills the outcome fields of `sample` (whose requested_offset is being read) and returns true
// when `message` answers it; false when the message says nothing about it (a record below the
// requested offset).
bool apply_fetched(const FetchedMessage& message, Sample& sample);

}  // namespace lagwatch::kafka::detail
