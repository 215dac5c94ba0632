#pragma once
// lagwatch's own handful of metrics, kept in a prometheus-cpp registry. Thread-safe: pollers
// update it while the exposition renders it.

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <memory>
#include <string>

#include "offsets/group_state_tracker.h"

namespace lagwatch::metrics {

class SelfMetrics {
 public:
  SelfMetrics();
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
};

}  // namespace lagwatch::metrics
