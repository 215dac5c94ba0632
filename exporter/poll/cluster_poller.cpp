#include "poll/cluster_poller.h"

#include <chrono>
#include <thread>

#include "log/log.h"
#include "metrics/cluster_renderer.h"

namespace lagwatch::poll {

namespace {

double unix_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

kafka::ClientSettings client_settings(const config::ClusterConfig& cluster,
                                      const PollSettings& settings) {
  kafka::ClientSettings out;
  out.bootstrap_servers = cluster.bootstrap_servers;
  for (const auto& [name, property] : cluster.librdkafka) {
    out.properties.push_back(kafka::Property{name, property.value, property.secret});
  }
  out.request_timeout = settings.request_timeout;
  out.max_in_flight = settings.max_in_flight;
  return out;
}

ClusterPoller::ClusterPoller(config::ClusterConfig cluster, PollSettings settings, size_t index,
                             metrics::Exposition& exposition, metrics::SelfMetrics& self)
    : cluster_(std::move(cluster)),
      settings_(settings),
      index_(index),
      exposition_(exposition),
      self_(self) {}

void ClusterPoller::run(std::stop_token stop) {
  std::mutex mutex;
  std::condition_variable_any wake;
  while (!stop.stop_requested()) {
    const auto started = std::chrono::steady_clock::now();
    poll_once();
    std::unique_lock lock(mutex);
    wake.wait_until(lock, stop, started + settings_.interval, [] { return false; });
  }
}

bool ClusterPoller::ensure_client(std::string& error) {
  if (client_) return true;
  auto created = kafka::Client::create(client_settings(cluster_, settings_));
  if (!created.ok()) {
    error = created.error().message;
    return false;
  }
  client_ = std::move(created).value();
  return true;
}

void ClusterPoller::fail_cycle(const std::string& error, double duration_seconds) {
  if (status_.up || status_.last_error != error) {
    log::warn("cluster " + cluster_.name + ": poll failed: " + error);
  }
  status_.up = false;
  status_.last_error = error;
  self_.set_poll_result(cluster_.name, false, duration_seconds);
  exposition_.publish(index_, std::nullopt, status_);
}

bool ClusterPoller::poll_once() {
  const auto started = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  };
  const std::string& name = cluster_.name;

  std::string error;
  if (!ensure_client(error)) {
    fail_cycle(error, elapsed());
    return false;
  }

  CycleReplies replies;
  auto metadata = client_->metadata();
  self_.record_stage(name, "metadata", 1, metadata.ok() ? 0 : 1);
  if (!metadata.ok()) {
    fail_cycle("metadata: " + metadata.error().to_string(), elapsed());
    return false;
  }
  replies.metadata = std::move(metadata).value();

  auto listing = client_->list_groups();
  self_.record_stage(name, "list_groups", 1, listing.ok() ? 0 : 1);
  if (!listing.ok()) {
    fail_cycle("list groups: " + listing.error().to_string(), elapsed());
    return false;
  }
  replies.listings = CycleState::select_groups(listing.value(), cluster_);

  std::vector<std::string> names;
  names.reserve(replies.listings.size());
  for (const auto& group : replies.listings) names.push_back(group.name);
  replies.descriptions = client_->describe_groups(names);
  replies.offsets = client_->list_group_offsets(names);

  StageCount describe, offsets, watermarks;
  const auto needed = state_.absorb_groups(replies, cluster_.topics, describe, offsets);
  state_.absorb_watermarks(needed, client_->watermarks(needed), watermarks);
  self_.record_stage(name, "describe_groups", describe.attempts, describe.failures);
  self_.record_stage(name, "group_offsets", offsets.attempts, offsets.failures);
  self_.record_stage(name, "watermarks", watermarks.attempts, watermarks.failures);

  const double now = unix_now();
  auto rendered = metrics::render_cluster(
      state_.build(name, lag::Granularity::kPartition, lag::from_unix_seconds(now)));
  const double duration = elapsed();
  if (!status_.up) log::info("cluster " + name + ": poll succeeded");
  status_.up = true;
  status_.last_error.clear();
  status_.last_success_unix_seconds = now;
  status_.groups = state_.group_count();
  self_.set_poll_result(name, true, duration);
  self_.set_last_success(name, now, static_cast<double>(state_.group_count()));
  exposition_.publish(index_, std::move(rendered), status_);
  return true;
}

}  // namespace lagwatch::poll
