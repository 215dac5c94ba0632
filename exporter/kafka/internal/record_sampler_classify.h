#pragma once
// What one message from the sampler's consumer queue says about the offset being read.

#include <librdkafka/rdkafka.h>

#include <cstdint>
#include <string>

#include "kafka/internal/record_sampler_plan.h"
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

// How far ahead a partition keeps reading its stream of records towards its next offset rather
// than restarting there: a restart costs a fetch round trip of its own.
constexpr size_t kReadThroughBytes = 1 << 20;

// `message` has just answered the offset `plan` was reading (apply_fetched returned true).
// Read from a position at or below every offset still to come, the same stream answers each of
// them up to the message's own offset: a record at m is the first one at or after each, and an
// end of log at m leaves no record below it. Moves plan.next past every offset answered, and
// returns whether the partition should go on reading where it is (its next offset lies within
// kReadThroughBytes, estimated from this record's size) instead of restarting at the next offset.
// False as well when the plan is finished.
bool advance_in_stream(const FetchedMessage& message, size_t record_bytes, PartitionPlan& plan);

}  // namespace lagwatch::kafka::detail
