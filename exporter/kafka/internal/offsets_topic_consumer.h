#pragma once
// The librdkafka side of the `__consumer_offsets` reader: one group-less consumer handle that
// reads chosen partitions from their beginning into a single queue with the legacy
// per-partition API (the high-level consumer needs a group.id, which would make lagwatch a group
// member), and hands back decoded records and end-of-partition marks as plain values.

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "error/result.h"
#include "kafka/client.h"
#include "kafka/internal/offsets_topic_metadata.h"
#include "offsets/records.h"

namespace lagwatch::kafka {

struct OffsetsTopicEvent {
  enum class Kind {
    kRecord,  // `record` decoded from the message at `offset`
    kEnd,     // the partition has been read up to its current end
    kError,   // a consume error of `partition`; `topic_unreadable` when retrying cannot help
  };
  Kind kind = Kind::kRecord;
  std::int32_t partition = 0;
  std::int64_t offset = 0;
  offsets::Record record;
  Error error;
  bool topic_unreadable = false;
};

class OffsetsTopicConsumer {
 public:
  static Result<std::unique_ptr<OffsetsTopicConsumer>> create(const ClientSettings& settings);
  ~OffsetsTopicConsumer();
  OffsetsTopicConsumer(const OffsetsTopicConsumer&) = delete;
  OffsetsTopicConsumer& operator=(const OffsetsTopicConsumer&) = delete;

  Result<std::int32_t> partition_count(std::chrono::milliseconds timeout);
  Result<std::vector<PartitionBounds>> bounds(std::int32_t first, std::int32_t end,
                                              std::chrono::milliseconds timeout);

  // Starts reading partitions [started(), end) from their first offset.
  Status start_up_to(std::int32_t end);
  std::int32_t started() const { return started_; }
  // Stops every partition and drops what was prefetched; the next start reads from the beginning.
  void stop_all();

  // Serves the handle's pending callbacks (statistics) without waiting.
  void serve_callbacks();

  // Waits up to `timeout` for messages and appends at most `max` events, decoded, in queue order
  // (which is log order within each partition).
  void poll(std::vector<OffsetsTopicEvent>& out, std::size_t max,
            std::chrono::milliseconds timeout);

 private:
  struct Handles;
  explicit OffsetsTopicConsumer(std::unique_ptr<Handles> handles);
  void reset_queue();

  std::unique_ptr<Handles> handles_;
  std::int32_t started_ = 0;
};

}  // namespace lagwatch::kafka
