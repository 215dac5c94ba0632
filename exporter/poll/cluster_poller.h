#pragma once
// One background loop per cluster: poll Kafka, build the next snapshot, render it, publish it.
// Scrapes never wait on this loop; they read whatever was published last.

#include <condition_variable>
#include <memory>
#include <mutex>
#include <stop_token>

#include "config/config.h"
#include "kafka/client.h"
#include "kafka/offsets_topic_reader.h"
#include "kafka/record_sampler.h"
#include "metrics/exposition.h"
#include "metrics/self_metrics.h"
#include "poll/cycle_state.h"

namespace lagwatch::poll {

struct PollSettings {
  config::Duration interval;
  config::Duration request_timeout;
  int max_in_flight = 32;
};

class ClusterPoller {
 public:
  ClusterPoller(config::ClusterConfig cluster, PollSettings settings, size_t index,
                metrics::Exposition& exposition, metrics::SelfMetrics& self);

  // Polls until `stop` is requested, one cycle per interval.
  void run(std::stop_token stop);
  // One cycle; returns whether it succeeded.
  bool poll_once();

 private:
  bool ensure_client(std::string& error);
  void fail_cycle(const std::string& error, double duration_seconds);
  // After a failed connection: re-reads secret files; new values mean new librdkafka handles.
  void reconnect_if_secrets_changed();
  void sample_exact_timestamps();
  // Builds the snapshot, from __consumer_offsets when its reader has caught up.
  lag::ClusterSnapshot build_snapshot(lag::TimePoint now);

  config::ClusterConfig cluster_;
  PollSettings settings_;
  size_t index_;
  metrics::Exposition& exposition_;
  metrics::SelfMetrics& self_;
  std::unique_ptr<kafka::Client> client_;
  std::unique_ptr<kafka::OffsetsTopicReader> reader_;
  std::unique_ptr<kafka::RecordSampler> sampler_;
  offsets::RecordCounts reported_counts_;
  CycleState state_;
  metrics::ClusterStatus status_;
};

kafka::ClientSettings client_settings(const config::ClusterConfig& cluster,
                                      const PollSettings& settings);

// The groups of `cluster` this instance watches (its filter and shard), for the offsets reader.
offsets::GroupFilter watched_groups(const config::ClusterConfig& cluster);

}  // namespace lagwatch::poll
