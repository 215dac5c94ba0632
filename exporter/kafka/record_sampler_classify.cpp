#include "kafka/internal/record_sampler_classify.h"

#include <algorithm>

#include "kafka/internal/errors.h"

namespace lagwatch::kafka::detail {

namespace {

Sample::TimestampType to_timestamp_type(rd_kafka_timestamp_type_t type) {
  switch (type) {
    case RD_KAFKA_TIMESTAMP_CREATE_TIME:
      return Sample::TimestampType::kCreateTime;
    case RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME:
      return Sample::TimestampType::kLogAppendTime;
    case RD_KAFKA_TIMESTAMP_NOT_AVAILABLE:
      break;
  }
  return Sample::TimestampType::kNotAvailable;
}

void set_error(Sample& sample, rd_kafka_resp_err_t code, std::string message) {
  sample.outcome = Sample::Outcome::kError;
  sample.error = error_from(code, std::move(message));
}

}  // namespace

FetchedMessage fetched_message(const rd_kafka_message_t& message) {
  FetchedMessage out;
  out.err = message.err;
  out.offset = message.offset;
  if (message.err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    out.timestamp_ms = rd_kafka_message_timestamp(&message, &out.timestamp_type);
  } else {
    out.error_text = rd_kafka_message_errstr(&message);
  }
  return out;
}

bool apply_fetched(const FetchedMessage& message, Sample& sample) {
  switch (message.err) {
    case RD_KAFKA_RESP_ERR_NO_ERROR:
      break;
    case RD_KAFKA_RESP_ERR__PARTITION_EOF:
      // Also reached from below the log end when only transaction markers remain.
      sample.outcome = Sample::Outcome::kNoRecord;
      sample.offset_read = message.offset;
      return true;
    // With auto.offset.reset=error librdkafka reports OFFSET_OUT_OF_RANGE as _AUTO_OFFSET_RESET.
    case RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET:
    case RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE:
      sample.outcome = Sample::Outcome::kOffsetOutOfRange;
      return true;
    default:
      set_error(sample, message.err, message.error_text);
      return true;
  }
  // librdkafka drops records below the fetch position of a batch; this guards against one
  // slipping through, which would otherwise pass for a younger record.
  if (message.offset < sample.requested_offset) return false;
  sample.offset_read = message.offset;
  if (message.timestamp_ms < 0 || message.timestamp_type == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE) {
    // Message format v0 (Kafka < 0.10) has no timestamps.
    set_error(sample, RD_KAFKA_RESP_ERR__BAD_MSG, "record has no timestamp");
    return true;
  }
  sample.timestamp_ms = message.timestamp_ms;
  sample.timestamp_type = to_timestamp_type(message.timestamp_type);
  sample.outcome = message.offset == sample.requested_offset ? Sample::Outcome::kTimestamp
                                                             : Sample::Outcome::kNotExact;
  return true;
}

bool advance_in_stream(const FetchedMessage& message, size_t record_bytes, PartitionPlan& plan) {
  ++plan.next;
  const bool in_stream =
      message.err == RD_KAFKA_RESP_ERR_NO_ERROR || message.err == RD_KAFKA_RESP_ERR__PARTITION_EOF;
  if (!in_stream) return false;  // an error says nothing about the offsets after this one
  while (!plan.finished() && plan.current_offset() <= message.offset) {
    apply_fetched(message, plan.current_sample());
    ++plan.next;
  }
  // Past the log end the next offset is out of range, which only a restart reports.
  if (plan.finished() || message.err != RD_KAFKA_RESP_ERR_NO_ERROR) return false;
  const auto gap = static_cast<uint64_t>(plan.current_offset() - message.offset);
  return gap * std::max<uint64_t>(record_bytes, 1) <= kReadThroughBytes;
}

}  // namespace lagwatch::kafka::detail
