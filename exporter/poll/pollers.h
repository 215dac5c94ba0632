#pragma once
// The running cluster pollers, one thread each, and what a configuration reload does to them:
// a cluster whose settings did not change keeps its poller (and so its watermark history,
// health windows, counters and __consumer_offsets position); a changed one is stopped and
// started again in the same exposition slot, so it keeps serving its last data meanwhile; a
// removed one stops and its series vanish; a new one starts.

#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "config/config.h"
#include "metrics/exposition.h"
#include "metrics/self_metrics.h"
#include "poll/cluster_poller.h"

namespace lagwatch::poll {

// What apply() did, by cluster name, for the log.
struct ReloadOutcome {
  std::vector<std::string> kept, restarted, started, stopped;
  std::string to_string() const;
};

class Pollers {
 public:
  // Every poller makes its admin handles with `make_admin`.
  Pollers(metrics::Exposition& exposition, metrics::SelfMetrics& self,
          AdminFactory make_admin = kafka_clients());
  ~Pollers();  // stops every poller
  Pollers(const Pollers&) = delete;
  Pollers& operator=(const Pollers&) = delete;

  // Makes the running pollers match `settings` and `clusters`. A change of the poll settings
  // restarts every cluster. Kept pollers re-read their secret files on their next poll. Blocks
  // while a stopped poller finishes its cycle (bounded by its request timeouts).
  ReloadOutcome apply(const PollSettings& settings,
                      const std::vector<config::ClusterConfig>& clusters);
  // Requests every poller to stop, then waits for them.
  void stop();

 private:
  struct Running {
    config::ClusterConfig cluster;  // as configured, secrets by reference
    size_t slot = 0;
    std::unique_ptr<ClusterPoller> poller;
    std::jthread thread;
  };
  void start(Running& running);

  metrics::Exposition& exposition_;
  metrics::SelfMetrics& self_;
  AdminFactory make_admin_;
  std::optional<PollSettings> settings_;
  std::vector<Running> running_;  // in configuration order
};

}  // namespace lagwatch::poll
