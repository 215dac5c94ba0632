#include "poll/pollers.h"

#include <algorithm>
#include <utility>

namespace lagwatch::poll {
namespace {

bool same_settings(const PollSettings& a, const PollSettings& b) {
  return a.interval == b.interval && a.request_timeout == b.request_timeout &&
         a.max_in_flight == b.max_in_flight &&
         a.broker_wide_describe_min_groups == b.broker_wide_describe_min_groups &&
         a.earliest_offsets_refresh == b.earliest_offsets_refresh;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ",") + name;
  return out;
}

}  // namespace

std::string ReloadOutcome::to_string() const {
  std::string out;
  const auto add = [&](const char* what, const std::vector<std::string>& names) {
    if (!names.empty()) out += std::string(out.empty() ? "" : "; ") + what + " " + joined(names);
  };
  add("kept", kept);
  add("restarted", restarted);
  add("started", started);
  add("stopped", stopped);
  return out.empty() ? "no clusters" : out;
}

Pollers::Pollers(metrics::Exposition& exposition, metrics::SelfMetrics& self,
                 AdminFactory make_admin)
    : exposition_(exposition), self_(self), make_admin_(std::move(make_admin)) {}

Pollers::~Pollers() { stop(); }

void Pollers::start(Running& running) {
  self_.set_cluster_labels(running.cluster.name, running.cluster.labels);
  running.poller = std::make_unique<ClusterPoller>(running.cluster, *settings_, running.slot,
                                                   exposition_, self_, make_admin_);
  running.thread =
      std::jthread([poller = running.poller.get()](std::stop_token stop) { poller->run(stop); });
}

ReloadOutcome Pollers::apply(const PollSettings& settings,
                             const std::vector<config::ClusterConfig>& clusters) {
  const bool settings_changed = settings_ && !same_settings(*settings_, settings);
  settings_ = settings;
  ReloadOutcome outcome;
  std::vector<Running> before = std::move(running_);
  running_.clear();
  // Every poller that goes is asked first, so that they wind down side by side.
  const auto find_before = [&](const std::string& name) {
    return std::find_if(before.begin(), before.end(),
                        [&](const Running& r) { return r.poller && r.cluster.name == name; });
  };
  for (auto& old : before) {
    const auto wanted = std::find_if(clusters.begin(), clusters.end(), [&](const auto& cluster) {
      return cluster.name == old.cluster.name;
    });
    if (wanted == clusters.end() || settings_changed ||
        !config::same_cluster_settings(old.cluster, *wanted)) {
      old.thread.request_stop();
    }
  }
  for (const auto& cluster : clusters) {
    Running next;
    next.cluster = cluster;
    if (auto old = find_before(cluster.name); old != before.end()) {
      if (!old->thread.get_stop_token().stop_requested()) {
        old->poller->recheck_secret_files();
        running_.push_back(std::move(*old));
        outcome.kept.push_back(cluster.name);
        continue;
      }
      old->thread.join();
      next.slot = old->slot;
      old->poller.reset();
      // Its own series start afresh: their labels may have changed, and stages it no longer
      // runs must not linger.
      self_.forget_cluster(cluster.name);
      outcome.restarted.push_back(cluster.name);
    } else {
      next.slot = exposition_.add_cluster(cluster.name);
      outcome.started.push_back(cluster.name);
    }
    start(next);
    running_.push_back(std::move(next));
  }
  for (auto& old : before) {
    if (!old.poller) continue;  // moved, or restarted above
    old.thread.join();
    old.poller.reset();
    exposition_.remove_cluster(old.slot);
    self_.forget_cluster(old.cluster.name);
    self_.set_cluster_labels(old.cluster.name, {});
    outcome.stopped.push_back(old.cluster.name);
  }
  return outcome;
}

void Pollers::stop() {
  for (auto& running : running_) running.thread.request_stop();
  for (auto& running : running_) {
    if (running.thread.joinable()) running.thread.join();
  }
  running_.clear();
}

}  // namespace lagwatch::poll
