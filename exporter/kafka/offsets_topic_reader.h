#pragma once
// Follows `__consumer_offsets` of one cluster in a background thread and folds every record into
// a GroupStateTracker: every offset commit, classic generation and KIP-848 epoch, not just what a
// poll happens to see.
//
// At start it notes each partition's high watermark and replays the topic from the beginning;
// `caught_up` turns true once every partition has been read that far, and from then on records
// arrive in real time. Counters (rebalances, offset commits) count only what happened after
// start-up: when a partition's replay ends, the counters of the groups it holds are zeroed, so
// the generation known at that moment is the baseline.
//
// When the topic cannot be read (ACLs, unreachable cluster) the status is `available == false`
// with the error text, the state read so far is dropped and the reader retries later from the
// beginning; the poller falls back to describing groups meanwhile. Kafka errors never escape.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "error/result.h"
#include "kafka/client.h"
#include "offsets/group_state_tracker.h"

namespace lagwatch::kafka {

struct ReaderStatus {
  bool caught_up = false;
  bool available = false;
  std::string error;               // why the topic is unavailable; empty otherwise
  bool unauthorized = false;       // unavailable because the principal may not read it
  std::uint64_t records_read = 0;  // records consumed since the reader started, all attempts
  offsets::RecordCounts counts;    // decode outcomes since the reader started, all attempts
  std::int32_t partitions = 0;     // partitions of the topic being read
  // Next offset to read of each partition (indexed by partition): past the last record applied,
  // or the end the client reported.
  std::vector<std::int64_t> positions;
  // While replaying: partitions not yet read to their start-up end, and the records left there.
  std::int32_t replay_partitions_pending = 0;
  std::int64_t replay_records_remaining = 0;
};

// The reader measured against given ends of the topic (see OffsetsTopicReader::sync).
struct SyncResult {
  bool available = false;  // reading (the state is usable once `caught_up`)
  bool caught_up = false;  // the start-up replay is over
  // Per partition, records between the reader and the end it was given; 0: its state holds
  // every record written to that partition before the end was read.
  std::vector<std::int64_t> behind;
  std::string error;
};

struct ReaderOptions {
  std::chrono::milliseconds retry_interval{std::chrono::seconds(30)};
  // How often the partition count is checked for growth (and the topic for existence).
  std::chrono::milliseconds metadata_refresh{std::chrono::seconds(60)};
  // Groups whose state is kept (see offsets::GroupStateTracker); empty keeps all. Called on the
  // reader's thread only.
  offsets::GroupFilter watched_groups;
};

class OffsetsTopicReader {
 public:
  // Fails only on a configuration librdkafka rejects; a cluster that cannot be reached or read
  // is reported through the status and retried.
  static Result<std::unique_ptr<OffsetsTopicReader>> start(const ClientSettings& settings,
                                                           const ReaderOptions& options = {});
  ~OffsetsTopicReader();
  OffsetsTopicReader(const OffsetsTopicReader&) = delete;
  OffsetsTopicReader& operator=(const OffsetsTopicReader&) = delete;

  // Calls f(const offsets::GroupStateTracker&, const ReaderStatus&) under the reader's lock:
  // keep f short (it blocks the reader thread) and copy out only what is needed.
  template <class F>
  void read(F&& f) const {
    std::lock_guard lock(shared_.mutex);
    f(std::as_const(shared_.tracker), std::as_const(shared_.status));
  }

  // Waits up to `wait` for the reader to reach `ends` (per partition, the high watermarks read
  // just before: with read_committed a partition holding an open transaction stays behind until
  // it ends) and says how far it got. Called from the poller's thread.
  SyncResult sync(const std::vector<std::int64_t>& ends, std::chrono::milliseconds wait);

  // Stops and joins the thread; also done by the destructor. Idempotent.
  void stop();

  // What the reader thread writes and read() shows, guarded by `mutex`.
  struct Shared {
    mutable std::mutex mutex;
    offsets::GroupStateTracker tracker;
    ReaderStatus status;
    std::condition_variable advanced;  // notified after every applied batch and state change
  };

 private:
  class Worker;
  OffsetsTopicReader() = default;

  Shared shared_;
  std::unique_ptr<Worker> worker_;
};

}  // namespace lagwatch::kafka
