#pragma once
// One background loop per cluster: poll Kafka, build the next snapshot, render it, publish it.
// Scrapes never wait on this loop; they read whatever was published last.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <unordered_set>
#include <vector>

#include "config/config.h"
#include "kafka/admin.h"
#include "kafka/client.h"
#include "kafka/offsets_topic_reader.h"
#include "kafka/record_sampler.h"
#include "metrics/exposition.h"
#include "metrics/self_metrics.h"
#include "poll/cluster_layout.h"
#include "poll/cycle_state.h"
#include "poll/earliest_offsets.h"
#include "poll/hidden_resources.h"
#include "poll/stream_offsets.h"

namespace lagwatch::poll {

struct PollSettings {
  config::Duration interval;
  config::Duration request_timeout;
  int max_in_flight = 32;
  std::int64_t broker_wide_describe_min_groups = 32;
  // How often every partition's log start is read again (poll/earliest_offsets.h); 0: each poll.
  config::Duration earliest_offsets_refresh = std::chrono::seconds(60);
};

// Makes the admin handle a poller sends its requests through; called on the poller's thread at
// its first poll and again after the poller dropped a handle (new secrets, a stuck handle).
using AdminFactory =
    std::function<Result<std::unique_ptr<kafka::Admin>>(const kafka::ClientSettings&)>;

// The production factory: a kafka::Client connected to the cluster.
AdminFactory kafka_clients();

class ClusterPoller {
 public:
  ClusterPoller(config::ClusterConfig cluster, PollSettings settings, size_t index,
                metrics::Exposition& exposition, metrics::SelfMetrics& self,
                AdminFactory make_admin = kafka_clients());

  // Polls until `stop` is requested, one cycle per interval.
  void run(std::stop_token stop);
  // One cycle; returns whether it succeeded.
  bool poll_once();
  // Asks the next cycle to re-read the cluster's secret files first (a SIGHUP). Any thread.
  void recheck_secret_files() { recheck_secret_files_ = true; }

 private:
  Status ensure_client();
  // Fills the topic IDs of the exported topics (one request); leaves them empty on failure.
  void attach_topic_ids(kafka::ClusterMetadata& metadata);
  void fail_cycle(const std::string& error, double duration_seconds);
  // After a failed connection: re-reads secret files; new values mean new librdkafka handles.
  void reconnect_if_secrets_changed();
  void sample_exact_timestamps();
  // Log ends of `partitions` (sorted), and log starts where due, remembered ones filled in.
  Result<std::vector<kafka::Watermark>> read_watermarks_of(
      const std::vector<kafka::TopicPartition>& partitions);
  // Names and counts what the principal's ACLs hid this poll; one DescribeTopics request, sent
  // only when exported groups reference topics missing from the metadata.
  void find_hidden(const CycleReplies& replies);
  // Builds the snapshot, from __consumer_offsets when its reader has caught up.
  lag::ClusterSnapshot build_snapshot(lag::TimePoint now);
  // Which groups the stream can serve this poll: the reader has replayed the topic and, after a
  // bounded wait, reached the end each partition had at the poll's start.
  struct StreamView {
    int32_t partitions = 0;     // of __consumer_offsets; 0: the stream serves nothing
    std::vector<bool> current;  // per partition: the reader got to its end
    bool serves(const std::string& group) const;
  };
  StreamView stream_view();
  // Committed offsets of every listed group, in order: from the stream where it is current,
  // else OffsetFetch (run beside `while_fetching`); also fetches the verifier's sample.
  std::vector<kafka::PerGroup<kafka::GroupOffsets>> committed_offsets(
      const std::vector<std::string>& names, const std::function<void()>& while_fetching,
      StageCount& fetches);
  // Offsets of `groups` from the stream (S1 of the verifier); settles the verifier's held
  // checks first, for the groups the stream is current for.
  std::vector<kafka::PerGroup<kafka::GroupOffsets>> offsets_from_stream(
      const std::vector<std::string>& groups, const StreamView& view);
  void hold_for_verification(const std::vector<kafka::PerGroup<kafka::GroupOffsets>>& fetched,
                             const std::vector<kafka::PerGroup<kafka::GroupOffsets>>& served);
  // Runs `run`, reports its wall time as the stage's duration, returns its result.
  template <class Run>
  auto timed_stage(const char* stage, Run&& run) {
    const auto from = std::chrono::steady_clock::now();
    auto result = run();
    stage_took(stage,
               std::chrono::duration<double>(std::chrono::steady_clock::now() - from).count());
    return result;
  }
  // Reports a stage's duration and keeps it for the status page. Any thread: the describe stage
  // runs beside the committed offsets.
  void stage_took(const char* stage, double seconds);

  config::ClusterConfig cluster_;
  PollSettings settings_;
  size_t index_;
  metrics::Exposition& exposition_;
  metrics::SelfMetrics& self_;
  AdminFactory make_admin_;
  std::unique_ptr<kafka::Admin> client_;
  std::unique_ptr<kafka::OffsetsTopicReader> reader_;
  std::unique_ptr<kafka::RecordSampler> sampler_;
  offsets::RecordCounts reported_counts_;
  OffsetsVerifier verifier_;
  std::chrono::steady_clock::time_point reader_started_{};
  std::optional<std::chrono::steady_clock::time_point> last_synced_;  // ends read then reached
  CycleState state_;
  HiddenResources hidden_;
  ClusterLayoutState layout_;
  EarliestOffsets earliest_;
  std::unordered_set<std::string> listed_topics_;  // by the last metadata reply
  metrics::ClusterStatus status_;
  std::mutex stages_mutex_;
  std::vector<std::pair<std::string, double>> cycle_stages_;  // this poll's, guarded by it
  std::atomic<bool> recheck_secret_files_{false};
};

kafka::ClientSettings client_settings(const config::ClusterConfig& cluster,
                                      const PollSettings& settings);

// The groups of `cluster` this instance watches (its filter and shard), for the offsets reader.
offsets::GroupFilter watched_groups(const config::ClusterConfig& cluster);

}  // namespace lagwatch::poll
