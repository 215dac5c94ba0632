#include "poll/cluster_poller.h"

#include <chrono>
#include <future>
#include <optional>
#include <thread>
#include <unordered_map>

#include "log/log.h"
#include "memory/allocator.h"
#include "metrics/cluster_renderer.h"
#include "poll/secret_files.h"
#include "poll/shard.h"

namespace lagwatch::poll {

namespace {

double unix_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

offsets::GroupFilter watched_groups(const config::ClusterConfig& cluster) {
  // The regexes run once per group name, not once per record: a replay reads every record of
  // every group. The memo is cleared when it grows large so that group churn cannot grow it.
  constexpr size_t kMemoLimit = 100'000;
  return [groups = cluster.groups, shard = cluster.shard,
          memo = std::unordered_map<std::string, bool>()](std::string_view group) mutable {
    if (auto it = memo.find(std::string(group)); it != memo.end()) return it->second;
    if (memo.size() >= kMemoLimit) memo.clear();
    const std::string name(group);
    const bool watched = in_shard(name, shard.index, shard.count) && groups.matches(name);
    memo.emplace(name, watched);
    return watched;
  };
}

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
      self_(self),
      state_(cluster_) {}

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
  const auto settings = client_settings(cluster_, settings_);
  if (cluster_.read_consumer_offsets) {
    kafka::ReaderOptions options;
    options.watched_groups = watched_groups(cluster_);
    auto reader = kafka::OffsetsTopicReader::start(settings, options);
    if (reader.ok()) {
      reader_ = std::move(reader).value();
    } else {
      log::warn("cluster " + cluster_.name + ": cannot read __consumer_offsets (" +
                reader.error().message + "); counting rebalances from describe polls");
    }
  }
  if (cluster_.lag_seconds_mode == config::LagSecondsMode::kExact) {
    auto sampler = kafka::RecordSampler::create(settings);
    if (sampler.ok()) {
      sampler_ = std::move(sampler).value();
    } else {
      log::warn("cluster " + cluster_.name + ": exact lag in seconds unavailable (" +
                sampler.error().message + "); using the estimate");
    }
  }
  return true;
}

void ClusterPoller::reconnect_if_secrets_changed() {
  const auto changed = reread_secret_files(cluster_);
  if (changed.empty()) return;
  std::string paths;
  for (const auto& path : changed) paths += (paths.empty() ? "" : ", ") + path;
  log::info("cluster " + cluster_.name + ": secret files changed (" + paths +
            "); reconnecting with the new values");
  sampler_.reset();
  reader_.reset();
  reported_counts_ = {};  // the new reader counts from zero
  client_.reset();
}

void ClusterPoller::sample_exact_timestamps() {
  if (!sampler_) return;
  StageCount stage;
  const auto requests = state_.exact_requests(static_cast<size_t>(cluster_.exact_max_samples));
  if (!requests.empty()) {
    state_.absorb_samples(sampler_->sample(requests, settings_.request_timeout), stage);
  }
  self_.record_stage(cluster_.name, "record_timestamps", stage.attempts, stage.failures);
}

lag::ClusterSnapshot ClusterPoller::build_snapshot(lag::TimePoint now) {
  if (!reader_) {
    self_.set_rebalance_source(cluster_.name, false);
    return state_.build(now, nullptr);
  }
  lag::ClusterSnapshot snapshot;
  reader_->read([&](const offsets::GroupStateTracker& tracker, const kafka::ReaderStatus& status) {
    const bool usable = status.available && status.caught_up;
    // Not yet known to be unreadable: readiness waits for the replay to finish.
    status_.catching_up = !status.caught_up && status.error.empty();
    self_.set_offsets_reader(cluster_.name, status.caught_up, reported_counts_, status.counts);
    reported_counts_ = status.counts;
    self_.set_rebalance_source(cluster_.name, usable);
    snapshot = state_.build(now, usable ? &tracker : nullptr);
  });
  return snapshot;
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
  using Clock = std::chrono::steady_clock;
  const auto started = Clock::now();
  auto seconds_since = [](Clock::time_point from) {
    return std::chrono::duration<double>(Clock::now() - from).count();
  };
  auto elapsed = [&] { return seconds_since(started); };
  const std::string& name = cluster_.name;
  // Times one stage and reports it; returns what the stage returned.
  auto timed = [&](const char* stage, auto&& run) {
    const auto from = Clock::now();
    auto result = run();
    self_.set_stage_duration(name, stage, seconds_since(from));
    return result;
  };

  std::string error;
  if (!ensure_client(error)) {
    fail_cycle(error, elapsed());
    return false;
  }

  CycleReplies replies;
  auto metadata = timed("metadata", [&] { return client_->metadata(); });
  self_.record_stage(name, "metadata", 1, metadata.ok() ? 0 : 1);
  if (!metadata.ok()) {
    fail_cycle("metadata: " + metadata.error().to_string(), elapsed());
    reconnect_if_secrets_changed();
    return false;
  }
  replies.metadata = std::move(metadata).value();

  auto listing = timed("list_groups", [&] { return client_->list_groups(); });
  self_.record_stage(name, "list_groups", 1, listing.ok() ? 0 : 1);
  if (!listing.ok()) {
    fail_cycle("list groups: " + listing.error().to_string(), elapsed());
    return false;
  }
  replies.listings = CycleState::select_groups(listing.value(), cluster_);

  std::vector<std::string> names;
  names.reserve(replies.listings.size());
  for (const auto& group : replies.listings) names.push_back(group.name);
  // Describe and offset fetches are independent and each waits mostly on the broker, so they
  // run side by side; deferred (same thread) only if no thread can be started.
  auto descriptions = std::async(std::launch::async | std::launch::deferred, [&] {
    return timed("describe_groups", [&] { return client_->describe_groups(names); });
  });
  replies.offsets = timed("group_offsets", [&] { return client_->list_group_offsets(names); });
  replies.descriptions = descriptions.get();

  StageCount describe, offsets, watermarks;
  const auto needed = state_.absorb_groups(replies, describe, offsets);
  auto watermark_replies = timed("watermarks", [&] { return client_->watermarks(needed); });
  state_.absorb_watermarks(needed, watermark_replies, watermarks);
  self_.record_stage(name, "describe_groups", describe.attempts, describe.failures);
  self_.record_stage(name, "group_offsets", offsets.attempts, offsets.failures);
  self_.record_stage(name, "watermarks", watermarks.attempts, watermarks.failures);
  if (sampler_) {
    timed("record_timestamps", [&] {
      sample_exact_timestamps();
      return 0;
    });
  }

  const double now = unix_now();
  std::optional<metrics::ClusterExposition> rendered;
  {  // the snapshot is not needed once rendered: freed before publishing
    auto snapshot = timed("snapshot", [&] { return build_snapshot(lag::from_unix_seconds(now)); });
    rendered = timed("render", [&] { return metrics::render_cluster(snapshot); });
  }
  const double duration = elapsed();
  if (!status_.up) log::info("cluster " + name + ": poll succeeded");
  status_.up = true;
  status_.last_error.clear();
  status_.last_success_unix_seconds = now;
  status_.groups = state_.group_count();
  self_.set_poll_result(name, true, duration);
  self_.set_last_success(name, now, static_cast<double>(state_.group_count()));
  timed("publish", [&] {
    exposition_.publish(index_, std::move(*rendered), status_);
    memory::release_free_memory();
    return 0;
  });
  return true;
}

}  // namespace lagwatch::poll
