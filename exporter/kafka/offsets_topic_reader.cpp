#include "kafka/offsets_topic_reader.h"

#include <condition_variable>
#include <map>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "kafka/internal/offsets_topic_consumer.h"
#include "kafka/internal/offsets_topic_progress.h"
#include "log/log.h"

namespace lagwatch::kafka {
namespace {

using Clock = std::chrono::steady_clock;

// A batch is applied under the lock that read() takes: small enough to keep polls waiting only
// briefly, large enough to make the lock cheap per record.
constexpr std::size_t kBatchSize = 512;
constexpr std::chrono::milliseconds kPollWait{100};
constexpr std::chrono::milliseconds kRequestTimeout{10000};

offsets::RecordCounts sum(const offsets::RecordCounts& a, const offsets::RecordCounts& b) {
  return {a.applied + b.applied,           a.known_but_ignored + b.known_but_ignored,
          a.unknown_type + b.unknown_type, a.unknown_version + b.unknown_version,
          a.malformed + b.malformed,       a.unwatched + b.unwatched};
}

}  // namespace

class OffsetsTopicReader::Worker {
 public:
  Worker(std::unique_ptr<OffsetsTopicConsumer> consumer, Shared& shared, ReaderOptions options)
      : consumer_(std::move(consumer)), shared_(shared), options_(options) {
    thread_ = std::thread([this] { run_guarded(); });
  }

  ~Worker() {
    stop();
    consumer_.reset();
  }

  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  SyncResult sync(const std::vector<std::int64_t>& ends, std::chrono::milliseconds wait) {
    std::vector<PartitionEnd> targets;
    targets.reserve(ends.size());
    for (std::size_t p = 0; p < ends.size(); ++p) {
      targets.push_back(PartitionEnd{static_cast<std::int32_t>(p), 0, ends[p]});
    }
    std::unique_lock lock(shared_.mutex);
    const auto& positions = shared_.status.positions;
    shared_.advanced.wait_for(lock, wait, [&] {
      return !shared_.status.available || records_behind(targets, positions) == 0;
    });
    SyncResult result;
    result.available = shared_.status.available;
    result.caught_up = shared_.status.caught_up;
    result.error = shared_.status.error;
    if (!result.available) return result;
    result.behind.reserve(targets.size());
    for (const PartitionEnd& target : targets)
      result.behind.push_back(records_behind({target}, positions));
    return result;
  }

  void stop() {
    {
      std::lock_guard lock(wake_mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  bool stopping() {
    std::lock_guard lock(wake_mutex_);
    return stopping_;
  }

  // Sleeps until `until` or until stop() is called.
  void sleep_until(Clock::time_point until) {
    std::unique_lock lock(wake_mutex_);
    wake_.wait_until(lock, until, [this] { return stopping_; });
  }

  void run_guarded() {
    try {
      run();
    } catch (const std::exception& error) {
      // Only allocation failures can get here; the poller keeps working from describe calls.
      log::error(std::string("offsets reader stopped: ") + error.what());
      std::lock_guard lock(shared_.mutex);
      shared_.status.available = false;
      shared_.status.error = std::string("reader stopped: ") + error.what();
    }
  }

  void run() {
    std::vector<OffsetsTopicEvent> events;
    events.reserve(kBatchSize);
    while (!stopping()) {
      consumer_->serve_callbacks();
      if (!attached_) {
        if (Clock::now() < next_attempt_) {
          sleep_until(next_attempt_);
          continue;
        }
        attach();
        continue;
      }
      if (Clock::now() >= next_refresh_) refresh();
      if (!attached_) continue;
      events.clear();
      consumer_->poll(events, kBatchSize, kPollWait);
      if (!events.empty()) apply(events);
    }
  }

  void attach() {
    auto count = consumer_->partition_count(kRequestTimeout);
    if (!count.has_value()) return fail(count.error());
    progress_ = OffsetsTopicProgress{};
    replay_groups_.clear();
    first_positions_.clear();
    if (auto status = expect_partitions(0, count.value()); !status) return fail(status.error());
    if (auto status = consumer_->start_up_to(count.value()); !status) return fail(status.error());
    attached_ = true;
    started_at_ = Clock::now();
    next_refresh_ = started_at_ + refresh_interval();
    std::lock_guard lock(shared_.mutex);
    shared_.status.available = true;
    shared_.status.error.clear();
    shared_.status.unauthorized = false;
    shared_.status.partitions = count.value();
    shared_.status.positions = std::move(first_positions_);
    shared_.status.positions.resize(static_cast<std::size_t>(count.value()), 0);
    first_positions_.clear();
    update_replay_status();
    if (progress_.done()) mark_caught_up();
    shared_.advanced.notify_all();
    log::info("offsets reader: reading " + std::to_string(count.value()) +
              " partitions of __consumer_offsets, " + std::to_string(progress_.pending()) +
              " to replay");
  }

  // While replaying, new partitions are replayed up to their current end too; afterwards their
  // records are all news.
  Status expect_partitions(std::int32_t first, std::int32_t end) {
    if (caught_up_ || end <= first) return {};
    auto bounds = consumer_->bounds(first, end, kRequestTimeout);
    if (!bounds.has_value()) return bounds.error();
    for (const PartitionBounds& partition : bounds.value()) {
      if (!progress_.expect(partition.partition, partition.low, partition.high)) {
        replay_groups_[partition.partition];
      }
      // Reading starts at the low watermark: nothing below it is missing.
      const auto index = static_cast<std::size_t>(partition.partition);
      if (first_positions_.size() <= index) first_positions_.resize(index + 1, 0);
      first_positions_[index] = partition.low;
    }
    return {};
  }

  // Called under the shared lock.
  void update_replay_status() {
    shared_.status.replay_partitions_pending = static_cast<std::int32_t>(progress_.pending());
    shared_.status.replay_records_remaining = progress_.remaining(shared_.status.positions);
  }

  // Called under the shared lock: the reader has everything before `next` in `partition`.
  void advance(std::int32_t partition, std::int64_t next) {
    if (partition < 0) return;
    auto& positions = shared_.status.positions;
    const auto index = static_cast<std::size_t>(partition);
    if (positions.size() <= index) positions.resize(index + 1, 0);
    if (next > positions[index]) positions[index] = next;
  }

  // Kafka creates __consumer_offsets on the first commit of a new cluster: until then look for it
  // often, since everything written to it then is news that must be counted.
  std::chrono::milliseconds refresh_interval() const {
    return consumer_->started() == 0
               ? std::min(options_.metadata_refresh, std::chrono::milliseconds(2000))
               : options_.metadata_refresh;
  }

  void refresh() {
    next_refresh_ = Clock::now() + refresh_interval();
    auto count = consumer_->partition_count(kRequestTimeout);
    if (!count.has_value()) {
      // The fetchers keep reading through transient errors; only a denial stops the reader.
      if (count.error().code == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED) fail(count.error());
      return;
    }
    if (count.value() <= consumer_->started()) return;
    const std::int32_t first = consumer_->started();
    if (auto status = expect_partitions(first, count.value()); !status)
      return;  // retried next refresh
    if (auto status = consumer_->start_up_to(count.value()); !status) return fail(status.error());
    next_refresh_ = Clock::now() + refresh_interval();
    log::info("offsets reader: __consumer_offsets grew from " + std::to_string(first) + " to " +
              std::to_string(count.value()) + " partitions");
    std::lock_guard lock(shared_.mutex);
    shared_.status.partitions = count.value();
    for (std::size_t p = 0; p < first_positions_.size(); ++p) {
      advance(static_cast<std::int32_t>(p), first_positions_[p]);
    }
    first_positions_.clear();
    shared_.status.positions.resize(static_cast<std::size_t>(count.value()), 0);
  }

  void apply(const std::vector<OffsetsTopicEvent>& events) {
    std::optional<Error> unreadable;
    {
      std::lock_guard lock(shared_.mutex);
      for (const OffsetsTopicEvent& event : events) {
        if (event.kind == OffsetsTopicEvent::Kind::kRecord) {
          apply_record(event);
        } else if (event.kind == OffsetsTopicEvent::Kind::kEnd) {
          advance(event.partition, event.offset);
          if (progress_.reached_end(event.partition)) finish_replay(event.partition);
        } else if (event.topic_unreadable) {
          unreadable = event.error;
          break;
        }
      }
      shared_.status.counts = sum(retired_counts_, shared_.tracker.record_counts());
      update_replay_status();
    }
    shared_.advanced.notify_all();
    for (const OffsetsTopicEvent& event : events) {
      if (event.kind == OffsetsTopicEvent::Kind::kError && !event.topic_unreadable)
        note_transient(event);
    }
    if (unreadable) fail(*unreadable);
  }

  // Called under the shared lock.
  void apply_record(const OffsetsTopicEvent& event) {
    shared_.tracker.apply(event.record);
    ++shared_.status.records_read;
    advance(event.partition, event.offset + 1);
    if (!progress_.is_pending(event.partition)) return;
    if (auto group = offsets::record_group(event.record);
        group && shared_.tracker.watches(*group)) {
      auto& groups = replay_groups_[event.partition];
      if (!groups.contains(*group)) groups.emplace(*group);
    }
    if (progress_.consumed(event.partition, event.offset)) finish_replay(event.partition);
  }

  // Called under the shared lock. A group lives in one partition, so once that partition is
  // replayed, everything later about the group happened after start-up.
  void finish_replay(std::int32_t partition) {
    auto it = replay_groups_.find(partition);
    if (it != replay_groups_.end()) {
      for (const std::string& group : it->second) shared_.tracker.reset_counters(group);
      replay_groups_.erase(it);
    }
    if (progress_.done()) mark_caught_up();
  }

  // Called under the shared lock.
  void mark_caught_up() {
    if (caught_up_) return;
    caught_up_ = true;
    shared_.status.caught_up = true;
    const auto seconds =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started_at_).count();
    log::info("offsets reader: caught up after " + std::to_string(shared_.status.records_read) +
              " records in " + std::to_string(seconds) + " ms");
  }

  // Fetch errors the client retries by itself: logged once per kind, not acted on.
  void note_transient(const OffsetsTopicEvent& event) {
    if (event.error.code == last_transient_code_) return;
    last_transient_code_ = event.error.code;
    log::warn("offsets reader: partition " + std::to_string(event.partition) + ": " +
              event.error.to_string());
  }

  // The topic cannot be read: report it, drop the state read so far (a later attempt replays
  // the topic from the beginning) and retry after the retry interval.
  void fail(const Error& error) {
    consumer_->stop_all();
    attached_ = false;
    caught_up_ = false;
    progress_ = OffsetsTopicProgress{};
    replay_groups_.clear();
    next_attempt_ = Clock::now() + options_.retry_interval;
    bool changed = false;
    {
      std::lock_guard lock(shared_.mutex);
      retired_counts_ = sum(retired_counts_, shared_.tracker.record_counts());
      shared_.tracker.clear();
      shared_.status.counts = retired_counts_;
      shared_.status.available = false;
      shared_.status.caught_up = false;
      shared_.status.partitions = 0;
      shared_.status.positions.clear();
      shared_.status.replay_partitions_pending = 0;
      shared_.status.replay_records_remaining = 0;
      changed = shared_.status.error != error.to_string();
      shared_.status.error = error.to_string();
      shared_.status.unauthorized = error.unauthorized();
    }
    shared_.advanced.notify_all();
    if (changed) log::warn("offsets reader: __consumer_offsets unavailable: " + error.to_string());
  }

  std::unique_ptr<OffsetsTopicConsumer> consumer_;
  Shared& shared_;
  const ReaderOptions options_;

  std::mutex wake_mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;

  // Owned by the reader thread.
  bool attached_ = false;
  bool caught_up_ = false;
  OffsetsTopicProgress progress_;
  // Groups seen in each partition still being replayed: their counters restart when it ends.
  std::map<std::int32_t, std::set<std::string, std::less<>>> replay_groups_;
  // Low watermarks of partitions about to be started, moved into the status once they are.
  std::vector<std::int64_t> first_positions_;
  offsets::RecordCounts retired_counts_;  // decode outcomes of trackers dropped by fail()
  Clock::time_point started_at_{};
  Clock::time_point next_attempt_{};
  Clock::time_point next_refresh_{};
  int last_transient_code_ = 0;

  std::thread thread_;  // last: starts after everything it uses is constructed
};

Result<std::unique_ptr<OffsetsTopicReader>> OffsetsTopicReader::start(
    const ClientSettings& settings, const ReaderOptions& options) {
  auto consumer = OffsetsTopicConsumer::create(settings);
  if (!consumer.has_value()) return consumer.error();
  std::unique_ptr<OffsetsTopicReader> reader(new OffsetsTopicReader());
  reader->shared_.tracker = offsets::GroupStateTracker(options.watched_groups);
  reader->worker_ = std::make_unique<Worker>(std::move(consumer).value(), reader->shared_, options);
  return reader;
}

OffsetsTopicReader::~OffsetsTopicReader() { stop(); }

SyncResult OffsetsTopicReader::sync(const std::vector<std::int64_t>& ends,
                                    std::chrono::milliseconds wait) {
  return worker_ ? worker_->sync(ends, wait) : SyncResult{};
}

void OffsetsTopicReader::stop() {
  if (worker_) worker_->stop();
}

}  // namespace lagwatch::kafka
