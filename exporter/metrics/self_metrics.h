#pragma once
// lagwatch's own handful of metrics, kept in a prometheus-cpp registry. Thread-safe: pollers
// update it while the exposition renders it.

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "metrics/cluster_renderer.h"
#include "metrics/request_counts.h"
#include "offsets/group_state_tracker.h"

namespace lagwatch::metrics {

class SelfMetrics {
 public:
  // librdkafka_version goes into lagwatch_build_info (the daemon passes kafka::library_version()).
  explicit SelfMetrics(const std::string& librdkafka_version = "");
  // Counts `attempts` requests of a poll stage, `failures` of which failed.
  void record_stage(const std::string& cluster, const std::string& stage, double attempts,
                    double failures);
  void set_poll_result(const std::string& cluster, bool up, double duration_seconds);
  // Wall time of one stage of the cluster's last poll (stages may overlap).
  void set_stage_duration(const std::string& cluster, const std::string& stage, double seconds);
  void set_last_success(const std::string& cluster, double unix_seconds, double groups);
  void set_exposition_size(double series, double identity_bytes, double gzip_bytes);
  // Which source the rebalance counts of the cluster come from right now.
  void set_rebalance_source(const std::string& cluster, bool consumer_offsets);
  // The __consumer_offsets reader's progress; counters advance by now - before.
  void set_offsets_reader(const std::string& cluster, bool caught_up,
                          const offsets::RecordCounts& before, const offsets::RecordCounts& now);
  // Where the committed offsets of the cluster's groups came from in its last poll: how many
  // groups from the __consumer_offsets stream, how many from one OffsetFetch each.
  void set_offsets_source(const std::string& cluster, double stream_groups, double fetched_groups);
  // Resources the principal's ACLs refused in the cluster's last poll, by kind.
  void set_unauthorized(const std::string& cluster, double topics, double groups,
                        bool consumer_offsets);
  // The reader measured against the end of __consumer_offsets: records behind it after the
  // poll's wait (-1: unknown, not exported) and seconds since the reader last held everything.
  void set_offsets_reader_lag(const std::string& cluster, double records, double seconds);
  // Replay progress: partitions still replaying and records left to read in them.
  void set_offsets_reader_replay(const std::string& cluster, double partitions, double records);
  // Groups whose OffsetFetch answer was compared with the stream, and partitions that disagreed.
  void record_offsets_verification(const std::string& cluster, double groups, double mismatches);
  // The cumulative request totals of one librdkafka handle (`handle` tells the cluster's handles
  // apart); lagwatch_kafka_requests_total advances by what is new since the handle's last call.
  void record_requests(const std::string& cluster, const std::string& handle,
                       const RequestTotals& totals);
  // A new librdkafka handle under that name counts from zero: its totals are all new requests.
  void restart_request_count(const std::string& cluster, const std::string& handle);
  // The [clusters.labels] of a cluster, added to each of its series from now on.
  void set_cluster_labels(const std::string& cluster, StaticLabels labels);

  // Removes every series of a cluster a reload removed, so that they vanish from the next
  // scrape. Its poller must have stopped.
  void forget_cluster(const std::string& cluster);

  // The registry's families, then the process_* families read from /proc right now.
  std::string render() const;

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Gauge>& up_;
  prometheus::Family<prometheus::Gauge>& last_success_;
  prometheus::Family<prometheus::Gauge>& poll_duration_;
  prometheus::Family<prometheus::Gauge>& stage_duration_;
  prometheus::Family<prometheus::Gauge>& groups_;
  prometheus::Family<prometheus::Counter>& stage_attempts_;
  prometheus::Family<prometheus::Counter>& stage_failures_;
  prometheus::Family<prometheus::Gauge>& exposition_series_;
  prometheus::Family<prometheus::Gauge>& exposition_bytes_;
  prometheus::Family<prometheus::Gauge>& rebalance_source_;
  prometheus::Family<prometheus::Gauge>& reader_caught_up_;
  prometheus::Family<prometheus::Counter>& reader_records_;
  prometheus::Family<prometheus::Gauge>& offsets_source_;
  prometheus::Family<prometheus::Gauge>& unauthorized_;
  prometheus::Family<prometheus::Gauge>& reader_lag_records_;
  prometheus::Family<prometheus::Gauge>& reader_lag_seconds_;
  prometheus::Family<prometheus::Gauge>& replay_partitions_;
  prometheus::Family<prometheus::Gauge>& replay_records_;
  prometheus::Family<prometheus::Counter>& verify_checks_;
  prometheus::Family<prometheus::Counter>& verify_mismatches_;
  prometheus::Family<prometheus::Counter>& kafka_requests_;
  // The labels of one of a cluster's series: kafka_cluster, its static labels, and `name`.
  prometheus::Labels labels_of(const std::string& cluster);
  prometheus::Labels labels_of(const std::string& cluster, const std::string& name,
                               const std::string& value);
  std::mutex labels_mutex_;
  std::map<std::string, StaticLabels> static_labels_;  // by cluster
  std::mutex requests_mutex_;
  std::map<std::pair<std::string, std::string>, RequestTotals> last_requests_;  // cluster, handle
};

}  // namespace lagwatch::metrics
