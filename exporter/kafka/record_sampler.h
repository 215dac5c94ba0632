#pragma once
// Reads the timestamp of the record at given offsets (a group's committed offsets: the next
// record it will consume), for lag in seconds measured from the data instead of estimated.
//
// It has its own librdkafka consumer handle, never joins or commits for any group (group.id is
// never set: librdkafka then refuses rd_kafka_assign() with "Local: Unknown group", and
// rd_kafka_incremental_assign() too, measured with 2.8.0 as with 2.0.2, so the legacy
// per-partition consume API is used), and fetches little data per partition: only the first
// record at or after each offset is wanted.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "error/result.h"
#include "kafka/client.h"

namespace lagwatch::kafka {

struct SampleRequest {
  std::string topic;
  int32_t partition = 0;
  int64_t offset = 0;
};

struct Sample {
  enum class Outcome : uint8_t {
    kTimestamp,         // the record at requested_offset was read: timestamp_ms is exact
    kOffsetOutOfRange,  // below the log start (deleted by retention) or above the log end
    kNotExact,          // the first record found is at offset_read > requested_offset
                        // (compacted away, or a transaction marker); timestamp_ms is its time
    kNoRecord,          // no record at or after the offset: the consumer is at the log end
    kTimedOut,          // no answer for this partition before the overall timeout
    kError,             // see error
  };
  enum class TimestampType : uint8_t { kNotAvailable, kCreateTime, kLogAppendTime };

  std::string topic;
  int32_t partition = 0;
  int64_t requested_offset = 0;
  Outcome outcome = Outcome::kTimedOut;
  int64_t timestamp_ms = -1;  // milliseconds since the epoch; set for kTimestamp and kNotExact
  TimestampType timestamp_type = TimestampType::kNotAvailable;
  // kTimestamp, kNotExact: the record's offset. kNoRecord: the log end offset the fetch reached.
  // Otherwise -1.
  int64_t offset_read = -1;
  std::optional<Error> error;  // set for kError only
};

const char* sample_outcome_name(Sample::Outcome outcome);
const char* timestamp_type_name(Sample::TimestampType type);

class RecordSampler {
 public:
  // Uses bootstrap_servers and properties (security settings) of `settings`; group.id and
  // group.instance.id among the properties are ignored so the sampler can never commit.
  static Result<std::unique_ptr<RecordSampler>> create(const ClientSettings& settings);
  ~RecordSampler();
  RecordSampler(const RecordSampler&) = delete;
  RecordSampler& operator=(const RecordSampler&) = delete;

  // One Sample per request, in request order; identical requests get identical samples.
  // Every partition is fetched at the same time and the whole call returns within about
  // `timeout`. Several offsets of one partition are read one after another (one fetch position
  // per partition), so they share the partition's part of the timeout; offsets close together
  // are answered by one pass over the records between them.
  //
  // Request only partitions that exist (e.g. from Client::metadata()): librdkafka's legacy
  // consumer reports a missing partition to nobody, so it ends as kTimedOut after the timeout.
  // Not thread safe: one call at a time per sampler.
  std::vector<Sample> sample(const std::vector<SampleRequest>& requests,
                             std::chrono::milliseconds timeout);

 private:
  struct Handles;
  explicit RecordSampler(std::unique_ptr<Handles> handles);
  std::unique_ptr<Handles> handles_;
};

}  // namespace lagwatch::kafka
