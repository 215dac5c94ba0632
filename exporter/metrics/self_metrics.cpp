#include "metrics/self_metrics.h"

#include <prometheus/text_serializer.h>

#include "lagwatch/version.h"
#include "metrics/internal/process_metrics.h"

namespace lagwatch::metrics {

using prometheus::BuildCounter;
using prometheus::BuildGauge;

namespace {

// prometheus-cpp finds a series by its full label set only; the collected samples give them.
template <class Metric>
void remove_cluster_series(prometheus::Family<Metric>& family, const std::string& cluster) {
  for (const auto& collected : family.Collect()) {
    for (const auto& sample : collected.metric) {
      prometheus::Labels labels;
      for (const auto& label : sample.label) labels.emplace(label.name, label.value);
      if (auto found = labels.find("kafka_cluster");
          found != labels.end() && found->second == cluster) {
        family.Remove(&family.Add(labels));
      }
    }
  }
}

}  // namespace

SelfMetrics::SelfMetrics(const std::string& librdkafka_version)
    : registry_(std::make_shared<prometheus::Registry>()),
      up_(BuildGauge()
              .Name("lagwatch_up")
              .Help("1 when the last poll of the cluster succeeded, else 0 (the other series then "
                    "keep the values of the last successful poll).")
              .Register(*registry_)),
      last_success_(BuildGauge()
                        .Name("lagwatch_last_successful_poll_timestamp_seconds")
                        .Help("Unix time at which the last successful poll of the cluster ended.")
                        .Register(*registry_)),
      poll_duration_(BuildGauge()
                         .Name("lagwatch_poll_duration_seconds")
                         .Help("Wall time of the last poll cycle of the cluster.")
                         .Register(*registry_)),
      stage_duration_(BuildGauge()
                          .Name("lagwatch_poll_stage_duration_seconds")
                          .Help("Wall time of each stage of the last poll cycle of the cluster "
                                "(describe_groups and group_offsets run side by side; publish "
                                "is that of the cycle before).")
                          .Register(*registry_)),
      groups_(BuildGauge()
                  .Name("lagwatch_groups")
                  .Help("Consumer groups exported for the cluster by the last successful poll.")
                  .Register(*registry_)),
      stage_attempts_(BuildCounter()
                          .Name("lagwatch_poll_stage_attempts_total")
                          .Help("Requests attempted per poll stage (one per group for per-group "
                                "stages).")
                          .Register(*registry_)),
      stage_failures_(BuildCounter()
                          .Name("lagwatch_poll_stage_failures_total")
                          .Help("Requests of a poll stage that failed.")
                          .Register(*registry_)),
      exposition_series_(BuildGauge()
                             .Name("lagwatch_exposition_series")
                             .Help("Series in the last rendered /metrics body.")
                             .Register(*registry_)),
      exposition_bytes_(BuildGauge()
                            .Name("lagwatch_exposition_bytes")
                            .Help("Size in bytes of the last rendered /metrics body per encoding.")
                            .Register(*registry_)),
      rebalance_source_(
          BuildGauge()
              .Name("lagwatch_rebalance_source")
              .Help("1 for the source lagwatch_group_rebalances_total comes from now: "
                    "consumer_offsets (exact, from the coordinator's records) or describe (a "
                    "lower bound inferred from describe polls, used while __consumer_offsets "
                    "cannot be read or is switched off).")
              .Register(*registry_)),
      reader_caught_up_(BuildGauge()
                            .Name("lagwatch_offsets_reader_caught_up")
                            .Help("1 once the __consumer_offsets reader has replayed the topic "
                                  "to where it ended at start-up, else 0.")
                            .Register(*registry_)),
      reader_records_(BuildCounter()
                          .Name("lagwatch_offsets_reader_records_total")
                          .Help("__consumer_offsets records read, by decode outcome (applied, "
                                "ignored, unknown_type, unknown_version, malformed, unwatched).")
                          .Register(*registry_)),
      offsets_source_(BuildGauge()
                          .Name("lagwatch_offsets_source_groups")
                          .Help("Groups whose committed offsets came, in the cluster's last "
                                "poll, from consumer_offsets (the __consumer_offsets reader, "
                                "current with the topic's end) or offset_fetch (one OffsetFetch "
                                "each: reader off, unreadable, replaying, or behind on the "
                                "group's partition). The verifier's sample is not counted.")
                          .Register(*registry_)),
      unauthorized_(BuildGauge()
                        .Name("lagwatch_unauthorized")
                        .Help("Resources the principal's ACLs refused in the cluster's last "
                              "poll: topic (committed to or assigned by exported groups, not "
                              "describable; their partitions are missing), group (exported "
                              "groups that could not be described or fetched) and "
                              "consumer_offsets (1 when __consumer_offsets may not be read).")
                        .Register(*registry_)),
      reader_lag_records_(BuildGauge()
                              .Name("lagwatch_offsets_reader_lag_records")
                              .Help("Records of __consumer_offsets the reader had not read yet "
                                    "when the last poll stopped waiting for it, counted against "
                                    "the partitions' high watermarks read at the poll's start "
                                    "(an open transaction counts until it ends).")
                              .Register(*registry_)),
      reader_lag_seconds_(BuildGauge()
                              .Name("lagwatch_offsets_reader_lag_seconds")
                              .Help("Seconds since the last moment of which the reader is known to "
                                    "hold every commit: the end of __consumer_offsets read by the "
                                    "last poll that found the reader there.")
                              .Register(*registry_)),
      replay_partitions_(BuildGauge()
                             .Name("lagwatch_offsets_reader_replay_pending_partitions")
                             .Help("__consumer_offsets partitions not yet replayed to where they "
                                   "ended when the reader started.")
                             .Register(*registry_)),
      replay_records_(BuildGauge()
                          .Name("lagwatch_offsets_reader_replay_remaining_records")
                          .Help("Records left to read before the start-up replay of "
                                "__consumer_offsets ends.")
                          .Register(*registry_)),
      verify_checks_(BuildCounter()
                         .Name("lagwatch_offsets_verify_checks_total")
                         .Help("Groups whose OffsetFetch answer was compared with the offsets "
                               "read from __consumer_offsets.")
                         .Register(*registry_)),
      verify_mismatches_(BuildCounter()
                             .Name("lagwatch_offsets_verify_mismatches_total")
                             .Help("Group partitions whose OffsetFetch answer the "
                                   "__consumer_offsets stream could not explain (a bug: each is "
                                   "logged with the group).")
                             .Register(*registry_)),
      kafka_requests_(BuildCounter()
                          .Name("lagwatch_kafka_requests_total")
                          .Help("Requests sent to the cluster by all of lagwatch's librdkafka "
                                "handles, by Kafka API, from librdkafka's statistics (emitted "
                                "every few seconds, so the count trails by up to that much).")
                          .Register(*registry_)) {
  BuildGauge()
      .Name("lagwatch_build_info")
      .Help(
          "Version and git revision of this lagwatch build and the librdkafka version it runs "
          "with; always 1.")
      .Register(*registry_)
      .Add({{"version", kVersion},
            {"revision", kRevision},
            {"librdkafka_version", librdkafka_version}})
      .Set(1);
}

void SelfMetrics::record_stage(const std::string& cluster, const std::string& stage,
                               double attempts, double failures) {
  const prometheus::Labels labels = labels_of(cluster, "stage", stage);
  stage_attempts_.Add(labels).Increment(attempts);
  stage_failures_.Add(labels).Increment(failures);
}

void SelfMetrics::set_poll_result(const std::string& cluster, bool up, double duration_seconds) {
  up_.Add(labels_of(cluster)).Set(up ? 1 : 0);
  poll_duration_.Add(labels_of(cluster)).Set(duration_seconds);
}

void SelfMetrics::set_stage_duration(const std::string& cluster, const std::string& stage,
                                     double seconds) {
  stage_duration_.Add(labels_of(cluster, "stage", stage)).Set(seconds);
}

void SelfMetrics::set_last_success(const std::string& cluster, double unix_seconds, double groups) {
  last_success_.Add(labels_of(cluster)).Set(unix_seconds);
  groups_.Add(labels_of(cluster)).Set(groups);
}

void SelfMetrics::set_exposition_size(double series, double identity_bytes, double gzip_bytes) {
  exposition_series_.Add({}).Set(series);
  exposition_bytes_.Add({{"encoding", "identity"}}).Set(identity_bytes);
  exposition_bytes_.Add({{"encoding", "gzip"}}).Set(gzip_bytes);
}

void SelfMetrics::set_rebalance_source(const std::string& cluster, bool consumer_offsets) {
  rebalance_source_.Add(labels_of(cluster, "source", "consumer_offsets"))
      .Set(consumer_offsets ? 1 : 0);
  rebalance_source_.Add(labels_of(cluster, "source", "describe")).Set(consumer_offsets ? 0 : 1);
}

void SelfMetrics::set_offsets_reader(const std::string& cluster, bool caught_up,
                                     const offsets::RecordCounts& before,
                                     const offsets::RecordCounts& now) {
  reader_caught_up_.Add(labels_of(cluster)).Set(caught_up ? 1 : 0);
  auto count = [&](const char* outcome, uint64_t was, uint64_t is) {
    reader_records_.Add(labels_of(cluster, "outcome", outcome))
        .Increment(is >= was ? static_cast<double>(is - was) : 0.0);
  };
  count("applied", before.applied, now.applied);
  count("ignored", before.known_but_ignored, now.known_but_ignored);
  count("unknown_type", before.unknown_type, now.unknown_type);
  count("unknown_version", before.unknown_version, now.unknown_version);
  count("malformed", before.malformed, now.malformed);
  count("unwatched", before.unwatched, now.unwatched);
}

void SelfMetrics::set_offsets_source(const std::string& cluster, double stream_groups,
                                     double fetched_groups) {
  offsets_source_.Add(labels_of(cluster, "source", "consumer_offsets")).Set(stream_groups);
  offsets_source_.Add(labels_of(cluster, "source", "offset_fetch")).Set(fetched_groups);
}

void SelfMetrics::set_unauthorized(const std::string& cluster, double topics, double groups,
                                   bool consumer_offsets) {
  unauthorized_.Add(labels_of(cluster, "resource", "topic")).Set(topics);
  unauthorized_.Add(labels_of(cluster, "resource", "group")).Set(groups);
  unauthorized_.Add(labels_of(cluster, "resource", "consumer_offsets"))
      .Set(consumer_offsets ? 1 : 0);
}

void SelfMetrics::set_offsets_reader_lag(const std::string& cluster, double records,
                                         double seconds) {
  if (records >= 0) reader_lag_records_.Add(labels_of(cluster)).Set(records);
  if (seconds >= 0) reader_lag_seconds_.Add(labels_of(cluster)).Set(seconds);
}

void SelfMetrics::set_offsets_reader_replay(const std::string& cluster, double partitions,
                                            double records) {
  replay_partitions_.Add(labels_of(cluster)).Set(partitions);
  replay_records_.Add(labels_of(cluster)).Set(records);
}

void SelfMetrics::record_offsets_verification(const std::string& cluster, double groups,
                                              double mismatches) {
  verify_checks_.Add(labels_of(cluster)).Increment(groups);
  verify_mismatches_.Add(labels_of(cluster)).Increment(mismatches);
}

void SelfMetrics::record_requests(const std::string& cluster, const std::string& handle,
                                  const RequestTotals& totals) {
  std::lock_guard lock(requests_mutex_);
  RequestTotals& last = last_requests_[{cluster, handle}];
  for (const auto& [api, total] : totals) {
    if (total == 0) continue;  // the statistics list every API; only those used get a series
    auto it = last.find(api);
    const std::uint64_t before = it == last.end() ? 0 : it->second;
    auto& counter = kafka_requests_.Add(labels_of(cluster, "api", api));
    // A broker leaving the statistics lowers the sum: count only growth beyond the last total.
    if (total > before) counter.Increment(static_cast<double>(total - before));
  }
  last = totals;
}

std::string SelfMetrics::render() const {
  return prometheus::TextSerializer().Serialize(registry_->Collect()) +
         render_process_metrics(read_process_sample());
}

void SelfMetrics::forget_cluster(const std::string& cluster) {
  for (auto* family :
       {&up_, &last_success_, &poll_duration_, &stage_duration_, &groups_, &rebalance_source_,
        &reader_caught_up_, &offsets_source_, &unauthorized_, &reader_lag_records_,
        &reader_lag_seconds_, &replay_partitions_, &replay_records_}) {
    remove_cluster_series(*family, cluster);
  }
  for (auto* family : {&stage_attempts_, &stage_failures_, &reader_records_, &verify_checks_,
                       &verify_mismatches_, &kafka_requests_}) {
    remove_cluster_series(*family, cluster);
  }
  std::lock_guard lock(requests_mutex_);
  std::erase_if(last_requests_, [&](const auto& entry) { return entry.first.first == cluster; });
}

void SelfMetrics::restart_request_count(const std::string& cluster, const std::string& handle) {
  std::lock_guard lock(requests_mutex_);
  last_requests_.erase({cluster, handle});
}

void SelfMetrics::set_cluster_labels(const std::string& cluster, StaticLabels labels) {
  std::lock_guard lock(labels_mutex_);
  if (labels.empty()) {
    static_labels_.erase(cluster);
  } else {
    static_labels_[cluster] = std::move(labels);
  }
}

prometheus::Labels SelfMetrics::labels_of(const std::string& cluster, const std::string& name,
                                          const std::string& value) {
  prometheus::Labels labels = labels_of(cluster);
  labels.emplace(name, value);
  return labels;
}

prometheus::Labels SelfMetrics::labels_of(const std::string& cluster) {
  prometheus::Labels labels{{"kafka_cluster", cluster}};
  std::lock_guard lock(labels_mutex_);
  if (auto found = static_labels_.find(cluster); found != static_labels_.end()) {
    labels.insert(found->second.begin(), found->second.end());
  }
  return labels;
}

}  // namespace lagwatch::metrics
