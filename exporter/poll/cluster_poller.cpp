#include "poll/cluster_poller.h"

#include <algorithm>
#include <chrono>
#include <future>
#include <iterator>
#include <map>
#include <optional>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "log/log.h"
#include "memory/allocator.h"
#include "metrics/cluster_renderer.h"
#include "metrics/request_counts.h"
#include "poll/internal/secret_files.h"
#include "poll/internal/shard.h"

namespace lagwatch::poll {

namespace {

double unix_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// OffsetFetch leaves out, without an error, the partitions of topics the principal may not
// describe, while __consumer_offsets holds them: the verifier compares listed topics only.
kafka::GroupOffsets on_listed_topics(kafka::GroupOffsets offsets,
                                     const std::unordered_set<std::string>& listed) {
  std::erase_if(offsets.offsets,
                [&](const kafka::CommittedOffset& o) { return !listed.contains(o.topic); });
  return offsets;
}

}  // namespace

offsets::GroupFilter watched_groups(const config::ClusterConfig& cluster) {
  // The patterns run once per group name, not once per record: a replay reads every record of
  // every group. The memo is cleared when it grows large so that group churn cannot grow it, and
  // keeps short names only: group ids reach 32,767 bytes, which 100,000 entries of would be
  // gigabytes, and RE2 matches a long name in linear time anyway.
  constexpr size_t kMemoLimit = 100'000;
  constexpr size_t kMemoNameLimit = 256;
  return [groups = cluster.groups, shard = cluster.shard,
          memo = std::unordered_map<std::string, bool>()](std::string_view group) mutable {
    const std::string name(group);
    const bool memoised = name.size() <= kMemoNameLimit;
    if (memoised) {
      if (auto it = memo.find(name); it != memo.end()) return it->second;
      if (memo.size() >= kMemoLimit) memo.clear();
    }
    const bool watched = watches_group(groups, shard, name);
    if (memoised) memo.emplace(name, watched);
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
  out.broker_wide_describe_min_groups =
      static_cast<size_t>(settings.broker_wide_describe_min_groups);
  return out;
}

AdminFactory kafka_clients() {
  return [](const kafka::ClientSettings& settings) -> Result<std::unique_ptr<kafka::Admin>> {
    auto created = kafka::Client::create(settings);
    if (!created.has_value()) return created.error();
    return std::unique_ptr<kafka::Admin>(std::move(created).value());
  };
}

ClusterPoller::ClusterPoller(config::ClusterConfig cluster, PollSettings settings, size_t index,
                             metrics::Exposition& exposition, metrics::SelfMetrics& self,
                             AdminFactory make_admin)
    : cluster_(std::move(cluster)),
      settings_(settings),
      index_(index),
      exposition_(exposition),
      self_(self),
      make_admin_(std::move(make_admin)),
      verifier_(static_cast<size_t>(std::max(0, cluster_.consumer_offsets.verify_groups))),
      state_(cluster_),
      earliest_(settings_.earliest_offsets_refresh) {
  status_.shard = std::to_string(cluster_.shard.index) + "/" + std::to_string(cluster_.shard.count);
  status_.rebalance_source = cluster_.read_consumer_offsets
                                 ? "__consumer_offsets (every generation change)"
                                 : "describe polls (a lower bound)";
}

void ClusterPoller::stage_took(const char* stage, double seconds) {
  self_.set_stage_duration(cluster_.name, stage, seconds);
  std::lock_guard lock(stages_mutex_);
  cycle_stages_.emplace_back(stage, seconds);
}

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

Status ClusterPoller::ensure_client() {
  if (client_) return {};
  // Requests are counted per handle from librdkafka's statistics (called on the handle's own
  // serving thread: the poller's for the admin client, the reader's for the reader).
  auto counted = [this](const char* handle) {
    self_.restart_request_count(cluster_.name, handle);  // a renewed handle starts at zero
    auto settings = client_settings(cluster_, settings_);
    settings.on_statistics = [this, handle](std::string_view json) {
      self_.record_requests(cluster_.name, handle, metrics::request_totals(json));
    };
    return settings;
  };
  auto created = make_admin_(counted("admin"));
  if (!created) return created.error();
  client_ = std::move(created).value();
  const auto settings = client_settings(cluster_, settings_);
  // A renewed admin client leaves a working reader and sampler alone.
  if (cluster_.read_consumer_offsets && !reader_) {
    kafka::ReaderOptions options;
    options.watched_groups = watched_groups(cluster_);
    reader_started_ = std::chrono::steady_clock::now();
    auto reader = kafka::OffsetsTopicReader::start(counted("offsets_reader"), options);
    if (reader.has_value()) {
      reader_ = std::move(reader).value();
    } else {
      log::warn("cluster " + cluster_.name + ": cannot read __consumer_offsets (" +
                reader.error().message + "); counting rebalances from describe polls");
    }
  }
  // Both modes read record timestamps: exact mode for every committed offset, the estimate for
  // offsets older than its watermark history.
  if (cluster_.exact_max_samples > 0 && !sampler_) {
    auto sampler = kafka::RecordSampler::create(settings);
    if (sampler.has_value()) {
      sampler_ = std::move(sampler).value();
    } else {
      log::warn("cluster " + cluster_.name + ": record timestamps unavailable (" +
                sampler.error().message + "); using the estimate only");
    }
  }
  return {};
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

Result<std::vector<kafka::Watermark>> ClusterPoller::read_watermarks_of(
    const std::vector<kafka::TopicPartition>& partitions) {
  const auto due = earliest_.due(partitions, std::chrono::steady_clock::now());
  auto reply = client_->watermarks(partitions, due);
  if (!reply.has_value()) return reply;
  auto& marks = reply.value();
  const auto contradicted = earliest_.complete(marks, due);
  if (contradicted.empty()) return reply;
  // A log end below the remembered start: the topic was re-created; its log start is read now
  // rather than one refresh later.
  auto again = client_->watermarks(contradicted, contradicted);
  if (!again.has_value()) {
    for (auto& w : marks) {
      if (std::binary_search(contradicted.begin(), contradicted.end(),
                             kafka::TopicPartition{w.topic, w.partition})) {
        w.error = again.error();
      }
    }
    return reply;
  }
  earliest_.complete(again.value(), contradicted);
  std::map<kafka::TopicPartition, const kafka::Watermark*> reread;
  for (const auto& w : again.value())
    reread.emplace(kafka::TopicPartition{w.topic, w.partition}, &w);
  for (auto& w : marks) {
    if (auto it = reread.find({w.topic, w.partition}); it != reread.end()) w = *it->second;
  }
  return reply;
}

void ClusterPoller::find_hidden(const CycleReplies& replies) {
  const std::string& name = cluster_.name;
  const std::vector<std::string> unlisted = unlisted_topics(replies, cluster_.topics);
  std::vector<kafka::TopicMetadata> described;
  if (!unlisted.empty()) {
    auto reply = timed_stage("describe_topics", [&] { return client_->describe_topics(unlisted); });
    self_.record_stage(name, "describe_topics", 1, reply.has_value() ? 0 : 1);
    if (reply.has_value()) {
      described = std::move(reply).value();
    } else {
      // Like any failed request: the last answer stands for the topics still unlisted.
      for (const auto& topic : hidden_.topics) {
        if (std::binary_search(unlisted.begin(), unlisted.end(), topic)) {
          described.push_back({topic, 0, Error{29, "not authorized (last poll)"}, {}});
        }
      }
    }
  }
  bool consumer_offsets_refused = false;
  if (reader_) {
    reader_->read([&](const offsets::GroupStateTracker&, const kafka::ReaderStatus& status) {
      consumer_offsets_refused = !status.available && status.unauthorized;
    });
  }
  HiddenResources hidden =
      find_hidden_resources(replies, cluster_.topics, described, consumer_offsets_refused);
  status_.unauthorized = describe_hidden_resources(hidden);
  if (hidden != hidden_) {
    for (const auto& line : status_.unauthorized) log::warn("cluster " + name + ": " + line);
    if (status_.unauthorized.empty()) {
      log::info("cluster " + name + ": every referenced resource is authorized again");
    }
  }
  self_.set_unauthorized(name, static_cast<double>(hidden.topics.size()),
                         static_cast<double>(hidden.groups.size()), hidden.consumer_offsets);
  hidden_ = std::move(hidden);
}

lag::ClusterSnapshot ClusterPoller::build_snapshot(lag::TimePoint now) {
  if (!reader_) {
    self_.set_rebalance_source(cluster_.name, false);
    return state_.build(now, nullptr);
  }
  lag::ClusterSnapshot snapshot;
  reader_->read([&](const offsets::GroupStateTracker& tracker, const kafka::ReaderStatus& status) {
    const bool usable = status.available && status.caught_up;
    self_.set_offsets_reader_replay(cluster_.name, status.replay_partitions_pending,
                                    static_cast<double>(status.replay_records_remaining));
    if (status.available && !status.caught_up) {
      status_.offsets_source +=
          " (replaying __consumer_offsets: " + std::to_string(status.replay_partitions_pending) +
          " partitions, " + std::to_string(status.replay_records_remaining) + " records left)";
    } else if (!status.available && !status.error.empty()) {
      status_.offsets_source += " (__consumer_offsets unavailable: " + status.error + ")";
    }
    self_.set_offsets_reader(cluster_.name, status.caught_up, reported_counts_, status.counts);
    reported_counts_ = status.counts;
    self_.set_rebalance_source(cluster_.name, usable);
    snapshot = state_.build(now, usable ? &tracker : nullptr);
  });
  return snapshot;
}

ClusterPoller::StreamView ClusterPoller::stream_view() {
  StreamView view;
  if (!reader_ || !cluster_.consumer_offsets.serve_offsets) return view;
  int32_t partitions = 0;
  reader_->read([&](const offsets::GroupStateTracker&, const kafka::ReaderStatus& status) {
    if (status.available && status.caught_up) partitions = status.partitions;
  });
  if (partitions <= 0) return view;
  using Clock = std::chrono::steady_clock;
  const auto asked = Clock::now();
  // The high watermarks (this client reads uncommitted): an open transaction in a partition
  // keeps the read_committed reader short of it, and that partition's groups then use
  // OffsetFetch, which already sees commits written after the transaction began.
  std::vector<kafka::TopicPartition> topic;
  for (int32_t p = 0; p < partitions; ++p) topic.push_back({"__consumer_offsets", p});
  const auto ends = client_->watermarks(topic, {});
  if (!ends.has_value()) return view;
  std::vector<int64_t> highs;
  for (const auto& w : ends.value()) {
    if (w.error) return view;
    highs.push_back(w.high);
  }
  const kafka::SyncResult sync = reader_->sync(highs, cluster_.consumer_offsets.sync_wait);
  if (!sync.available || !sync.caught_up) return view;
  view.partitions = partitions;
  int64_t behind = 0;
  bool all_current = true;
  for (const int64_t b : sync.behind) {
    view.current.push_back(b == 0);
    behind += b;
    all_current = all_current && b == 0;
  }
  if (all_current) last_synced_ = asked;
  const auto since = last_synced_.value_or(reader_started_);
  self_.set_offsets_reader_lag(cluster_.name, static_cast<double>(behind),
                               std::chrono::duration<double>(Clock::now() - since).count());
  return view;
}

bool ClusterPoller::StreamView::serves(const std::string& group) const {
  if (partitions <= 0) return false;
  const auto p = static_cast<size_t>(coordinator_partition(group, partitions));
  return p < current.size() && current[p];
}

std::vector<kafka::PerGroup<kafka::GroupOffsets>> ClusterPoller::offsets_from_stream(
    const std::vector<std::string>& groups, const StreamView& view) {
  std::vector<kafka::PerGroup<kafka::GroupOffsets>> out;
  out.reserve(groups.size());
  reader_->read([&](const offsets::GroupStateTracker& tracker, const kafka::ReaderStatus&) {
    auto now = [&](const std::string& group) { return stream_offsets(group, tracker.find(group)); };
    if (verifier_.holding()) {
      const auto outcome =
          verifier_.settle([&](const std::string& group) -> std::optional<kafka::GroupOffsets> {
            if (!view.serves(group)) return std::nullopt;
            return on_listed_topics(now(group), listed_topics_);
          });
      for (const auto& [group, m] : outcome.mismatches) {
        auto text = [](const std::optional<int64_t>& v) {
          return v ? std::to_string(*v) : std::string("none");
        };
        log::warn("cluster " + cluster_.name + ": offsets verifier: group " + group + " " +
                  m.topic + "/" + std::to_string(m.partition) + ": OffsetFetch " + text(m.fetched) +
                  ", __consumer_offsets " + text(m.before) + " then " + text(m.after));
      }
      self_.record_offsets_verification(cluster_.name, static_cast<double>(outcome.groups_checked),
                                        static_cast<double>(outcome.mismatches.size()));
    }
    for (const auto& group : groups) out.push_back({group, now(group)});
  });
  return out;
}

void ClusterPoller::hold_for_verification(
    const std::vector<kafka::PerGroup<kafka::GroupOffsets>>& fetched,
    const std::vector<kafka::PerGroup<kafka::GroupOffsets>>& served) {
  std::unordered_map<std::string_view, const kafka::GroupOffsets*> before;
  for (const auto& s : served) before.emplace(s.group, &s.result.value());
  std::vector<kafka::GroupOffsets> answers, streamed;
  for (const auto& f : fetched) {
    auto it = before.find(f.group);
    if (!f.result.has_value() || it == before.end()) continue;  // a failed fetch proves nothing
    answers.push_back(on_listed_topics(f.result.value(), listed_topics_));
    answers.back().group = f.group;
    streamed.push_back(on_listed_topics(*it->second, listed_topics_));
  }
  verifier_.hold(std::move(answers), std::move(streamed));
}

std::vector<kafka::PerGroup<kafka::GroupOffsets>> ClusterPoller::committed_offsets(
    const std::vector<std::string>& names, const std::function<void()>& while_fetching,
    StageCount& fetches) {
  const std::string& name = cluster_.name;
  const StreamView view = timed_stage("offsets_sync", [&] { return stream_view(); });
  std::vector<std::string> from_stream, fetch;
  for (const auto& group : names) (view.serves(group) ? from_stream : fetch).push_back(group);
  std::vector<kafka::PerGroup<kafka::GroupOffsets>> served;
  if (view.partitions > 0) {
    served = timed_stage("stream_offsets", [&] { return offsets_from_stream(from_stream, view); });
  } else {
    verifier_.drop();
  }
  const auto sample = verifier_.sample(from_stream);
  fetch.insert(fetch.end(), sample.begin(), sample.end());
  self_.set_offsets_source(name, static_cast<double>(from_stream.size()),
                           static_cast<double>(names.size() - from_stream.size()));
  status_.offsets_source = from_stream.empty() ? "OffsetFetch"
                           : from_stream.size() == names.size()
                               ? "__consumer_offsets"
                               : "__consumer_offsets and OffsetFetch (" +
                                     std::to_string(names.size() - from_stream.size()) + " groups)";

  std::vector<kafka::PerGroup<kafka::GroupOffsets>> fetched;
  {
    auto alongside = std::async(std::launch::async | std::launch::deferred, while_fetching);
    fetched = timed_stage("group_offsets", [&] {
      return fetch.empty() ? std::vector<kafka::PerGroup<kafka::GroupOffsets>>{}
                           : client_->list_group_offsets(fetch);
    });
    alongside.get();
  }
  for (const auto& f : fetched) {
    fetches.attempts += 1;
    if (!f.result.has_value()) fetches.failures += 1;
  }
  if (!sample.empty()) {
    const std::vector<kafka::PerGroup<kafka::GroupOffsets>> answers(
        fetched.end() - static_cast<std::ptrdiff_t>(sample.size()), fetched.end());
    hold_for_verification(answers, served);
    fetched.erase(fetched.end() - static_cast<std::ptrdiff_t>(sample.size()), fetched.end());
  }
  // One entry per listed group, in listing order.
  std::unordered_map<std::string_view, kafka::PerGroup<kafka::GroupOffsets>*> by_group;
  for (auto& f : fetched) by_group.emplace(f.group, &f);
  for (auto& s : served) by_group.emplace(s.group, &s);
  std::vector<kafka::PerGroup<kafka::GroupOffsets>> out;
  out.reserve(names.size());
  for (const auto& group : names) {
    auto it = by_group.find(group);
    if (it != by_group.end()) out.push_back(std::move(*it->second));
  }
  return out;
}

void ClusterPoller::attach_topic_ids(kafka::ClusterMetadata& metadata) {
  std::vector<std::string> wanted;
  for (const auto& topic : metadata.topics) {
    if (!topic.error && cluster_.topics.matches(topic.name)) wanted.push_back(topic.name);
  }
  auto ids = timed_stage("topic_ids", [&] { return client_->describe_topics(wanted); });
  self_.record_stage(cluster_.name, "topic_ids", wanted.empty() ? 0 : 1, ids.has_value() ? 0 : 1);
  // Without IDs this poll, re-creation is still seen where a watermark or the partition count
  // went back; the poll goes on.
  if (!ids.has_value()) {
    log::debug("cluster " + cluster_.name + ": topic IDs: " + ids.error().to_string());
    return;
  }
  std::unordered_map<std::string_view, const std::string*> by_name;
  for (const auto& entry : ids.value()) by_name.emplace(entry.name, &entry.id);
  for (auto& topic : metadata.topics) {
    if (auto it = by_name.find(topic.name); it != by_name.end()) topic.id = *it->second;
  }
}

void ClusterPoller::fail_cycle(const std::string& error, double duration_seconds) {
  if (status_.up || status_.last_error != error) {
    log::warn("cluster " + cluster_.name + ": poll failed: " + error);
  }
  status_.up = false;
  status_.last_error = error;
  if (client_) client_->serve_callbacks();
  self_.set_poll_result(cluster_.name, false, duration_seconds);
  exposition_.publish(index_, std::nullopt, status_);
}

bool ClusterPoller::poll_once() {
  if (recheck_secret_files_.exchange(false)) reconnect_if_secrets_changed();
  {
    std::lock_guard lock(stages_mutex_);
    cycle_stages_.clear();
  }
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
    stage_took(stage, seconds_since(from));
    return result;
  };

  if (auto connected = ensure_client(); !connected) {
    fail_cycle(connected.error().message, elapsed());
    return false;
  }

  CycleReplies replies;
  auto metadata = timed("metadata", [&] { return client_->metadata(); });
  self_.record_stage(name, "metadata", 1, metadata.has_value() ? 0 : 1);
  if (!metadata.has_value()) {
    fail_cycle("metadata: " + metadata.error().to_string(), elapsed());
    reconnect_if_secrets_changed();
    return false;
  }
  replies.metadata = std::move(metadata).value();
  listed_topics_.clear();
  for (const auto& topic : replies.metadata.topics) listed_topics_.insert(topic.name);
  attach_topic_ids(replies.metadata);

  auto listing = timed("list_groups", [&] { return client_->list_groups(); });
  self_.record_stage(name, "list_groups", 1, listing.has_value() ? 0 : 1);
  if (!listing.has_value()) {
    fail_cycle("list groups: " + listing.error().to_string(), elapsed());
    return false;
  }
  replies.listings = CycleState::select_groups(listing.value(), cluster_);

  std::vector<std::string> names;
  names.reserve(replies.listings.size());
  for (const auto& group : replies.listings) names.push_back(group.name);

  // Committed offsets, with the describe calls beside the fetches (both wait mostly on the
  // broker; deferred to the same thread only if no thread can be started).
  StageCount fetches;  // OffsetFetch requests really sent, the verifier's included
  replies.offsets = committed_offsets(
      names,
      [&] {
        replies.descriptions =
            timed("describe_groups", [&] { return client_->describe_groups(names); });
      },
      fetches);

  StageCount describe, offsets, watermarks;
  bool renew_client = false;
  const auto needed = state_.absorb_groups(replies, describe, offsets);
  for (const auto& topic : state_.recreated_topics()) {
    log::info("cluster " + name + ": topic " + topic +
              " was deleted and re-created; its lag history and cached timestamps start over");
  }
  offsets = fetches;
  // kafka_exporter's topic families cover every partition of the exported topics, not only those
  // groups committed on; their watermarks ride in the same ListOffsets requests, batched per
  // leader, so the mode adds no request per group. One shard exports them for all.
  const bool export_layout = cluster_.series.kafka_exporter_names && cluster_.shard.index == 0;
  std::vector<kafka::TopicPartition> read_watermarks = needed;
  if (export_layout) {
    const auto all = exported_topic_partitions(replies.metadata, cluster_.topics);
    read_watermarks.clear();
    std::set_union(needed.begin(), needed.end(), all.begin(), all.end(),
                   std::back_inserter(read_watermarks));
  }
  for (const auto& topic : state_.recreated_topics()) earliest_.forget_topic(topic);
  auto watermark_replies = timed("watermarks", [&] { return read_watermarks_of(read_watermarks); });
  if (!watermark_replies.has_value()) {
    log::warn("cluster " + name + ": watermarks: " + watermark_replies.error().to_string());
    // librdkafka (2.8.0) keeps a partition's leader epoch across the deletion and re-creation of
    // its topic and then ignores the new topic's metadata: every ListOffsets for it times out,
    // and with it the whole batch, until the handle is made anew. Metadata answered this poll,
    // so the broker is there: the next poll starts with a fresh admin client. This poll still
    // needs the handle for its DescribeTopics.
    renew_client = watermark_replies.error().timed_out() || watermark_replies.error().fatal();
  }
  state_.absorb_watermarks(needed, watermark_replies, watermarks);
  std::optional<lag::ClusterLayout> layout;
  if (export_layout) layout = layout_.absorb(replies.metadata, cluster_.topics, watermark_replies);
  find_hidden(replies);
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
  std::shared_ptr<const metrics::ClusterGroups> groups;
  {
    auto snapshot = timed("snapshot", [&] { return build_snapshot(lag::from_unix_seconds(now)); });
    for (auto& group : snapshot.groups) {
      if (auto it = hidden_.group_topics.find(group.name); it != hidden_.group_topics.end()) {
        group.unauthorized_topics = it->second;
      }
    }
    snapshot.layout = std::move(layout);
    rendered = timed("render", [&] { return metrics::render_cluster(snapshot, cluster_.labels); });
    // The status model keeps the snapshot, to render a group's API document when asked.
    groups = timed("status", [&] {
      return std::make_shared<const metrics::ClusterGroups>(
          metrics::build_cluster_groups(std::move(snapshot)));
    });
  }
  const double duration = elapsed();
  if (!status_.up) log::info("cluster " + name + ": poll succeeded");
  status_.up = true;
  status_.last_error.clear();
  status_.last_success_unix_seconds = now;
  status_.groups = state_.group_count();
  status_.series = rendered->series_count;
  status_.poll_duration_seconds = duration;
  {
    std::lock_guard lock(stages_mutex_);
    status_.stage_seconds = cycle_stages_;
  }
  self_.set_poll_result(name, true, duration);
  self_.set_last_success(name, now, static_cast<double>(state_.group_count()));
  timed("publish", [&] {
    exposition_.publish(index_, std::move(*rendered), status_, std::move(groups));
    memory::release_free_memory();
    return 0;
  });
  client_->serve_callbacks();  // statistics: the request counts
  if (renew_client) {
    log::info("cluster " + name + ": renewing the admin client after a watermark timeout");
    client_.reset();
  }
  return true;
}

}  // namespace lagwatch::poll
