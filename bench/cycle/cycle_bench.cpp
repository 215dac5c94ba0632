// The CPU a poll spends in lagwatch itself, without a broker: one cluster's replies of realistic
// shape (groups described with three members, offsets from the __consumer_offsets tracker as
// the stream serves them, watermarks growing every poll) folded into the carried state, then
// the snapshot, its exposition, the status model and the published body, poll after poll.
// Prints each stage's median and the process's CPU seconds per poll and peak RSS, so a change to
// one stage can be measured apart from the broker and the noise of a shared machine.
//
// usage: lagwatch_bench_cycle [groups] [partitions_per_group] [polls]
//   defaults 5000 15 8: about the 5,000-group / 74k group-partition workload of bench/run.sh

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "common/percentiles.h"
#include "common/process_cpu.h"
#include "config/config.h"
#include "memory/allocator.h"
#include "metrics/cluster_renderer.h"
#include "metrics/exposition.h"
#include "metrics/self_metrics.h"
#include "metrics/status_model.h"
#include "offsets/group_state_tracker.h"
#include "poll/cycle_state.h"
#include "poll/stream_offsets.h"

namespace {

using namespace lagwatch;
using Clock = std::chrono::steady_clock;

constexpr int kTopics = 1000;
constexpr int kPartitionsPerTopic = 10;

std::string topic_name(int t) {
  return "payments.transactions.v" + std::to_string(t % 7) + ".shard-" + std::to_string(t);
}
std::string group_name(int g) {
  return "service-" + std::to_string(g) + "-consumer-group.production";
}

long peak_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

struct Partition {
  int topic;
  int partition;
};

// Group g reads `per_group` consecutive partitions of the topic ring, as the workload does.
std::vector<Partition> partitions_of(int g, int per_group) {
  std::vector<Partition> out;
  for (int i = 0; i < per_group; ++i) {
    const int flat = (g * per_group + i) % (kTopics * kPartitionsPerTopic);
    out.push_back({flat / kPartitionsPerTopic, flat % kPartitionsPerTopic});
  }
  return out;
}

int64_t high_watermark(int poll, const Partition& p) { return 1'000'000 + 50 * poll + p.partition; }

// Commits of this poll into the tracker: every group moves its offsets a little behind the end.
void commit(offsets::GroupStateTracker& tracker, int groups, int per_group, int poll,
            int64_t now_ms) {
  for (int g = 0; g < groups; ++g) {
    for (const auto& p : partitions_of(g, per_group)) {
      offsets::OffsetCommit record;
      record.group = group_name(g);
      record.topic = topic_name(p.topic);
      record.partition = p.partition;
      record.offset = high_watermark(poll, p) - 10 - (g % 200);
      record.commit_timestamp_ms = now_ms;
      record.value_version = 3;
      tracker.apply(offsets::Record{std::move(record)});
    }
  }
}

poll::CycleReplies replies_of(int groups, int per_group,
                              const offsets::GroupStateTracker& tracker) {
  poll::CycleReplies replies;
  for (int t = 0; t < kTopics; ++t) {
    replies.metadata.topics.push_back(kafka::TopicMetadata{
        topic_name(t), kPartitionsPerTopic, std::nullopt, "id-" + std::to_string(t)});
  }
  replies.metadata.brokers.push_back({1, "127.0.0.1", 9092});
  for (int g = 0; g < groups; ++g) {
    const std::string name = group_name(g);
    replies.listings.push_back({name, false, kafka::GroupState::kStable});
    kafka::GroupDescription description;
    description.name = name;
    description.state = kafka::GroupState::kStable;
    description.members = 3;
    for (const auto& p : partitions_of(g, per_group)) {
      description.assigned.push_back({topic_name(p.topic), p.partition});
    }
    std::sort(description.assigned.begin(), description.assigned.end());
    for (int m = 0; m < 3; ++m) {
      description.member_details.push_back(
          {"consumer-" + name + "-" + std::to_string(m) + "-5b0f4a4e-8c1e-4c55-9d0e-1f2a3b4c5d6e",
           "consumer-" + std::to_string(m), "/10.0.0.7"});
    }
    replies.descriptions.push_back({name, std::move(description)});
    replies.offsets.push_back({name, poll::stream_offsets(name, tracker.find(name))});
  }
  return replies;
}

struct StageTimes {
  std::map<std::string, std::vector<double>> seconds;
  template <class Run>
  auto time(const std::string& stage, Run&& run) {
    const auto from = Clock::now();
    auto result = run();
    seconds[stage].push_back(std::chrono::duration<double>(Clock::now() - from).count());
    return result;
  }
};

}  // namespace

int main(int argc, char** argv) {
  const int groups = argc > 1 ? std::atoi(argv[1]) : 5000;
  const int per_group = argc > 2 ? std::atoi(argv[2]) : 15;
  const int polls = argc > 3 ? std::atoi(argv[3]) : 8;
  if (groups <= 0 || per_group <= 0 || polls <= 0) {
    std::fprintf(stderr, "usage: %s [groups] [partitions_per_group] [polls]\n", argv[0]);
    return 2;
  }
  auto parsed = config::parse(
      "[[clusters]]\nname = \"bench\"\nbootstrap_servers = \"127.0.0.1:9092\"\n", "bench.toml");
  if (!parsed) {
    std::fprintf(stderr, "config: %s\n", parsed.error().to_string().c_str());
    return 1;
  }
  memory::tune_allocator();
  const config::ClusterConfig cluster = parsed.value().clusters.at(0);
  poll::CycleState state(cluster);
  offsets::GroupStateTracker tracker;
  metrics::SelfMetrics self;
  metrics::Exposition exposition({cluster.name}, self);

  StageTimes times;
  double cpu_total = 0;
  size_t series = 0;
  auto started = std::chrono::system_clock::now();
  for (int poll = 0; poll < polls; ++poll) {
    const auto now = started + std::chrono::seconds(15 * poll);
    const int64_t now_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    commit(tracker, groups, per_group, poll, now_ms - 2000);
    // Replies are what Kafka (or the stream) hands the poll: built outside the timed part,
    // except the stream's offsets, which lagwatch builds itself each poll.
    poll::CycleReplies replies = replies_of(groups, per_group, tracker);
    const double cpu_before = bench::process_cpu_seconds();
    times.time("stream_offsets", [&] {
      for (auto& entry : replies.offsets) {
        entry.result = poll::stream_offsets(entry.group, tracker.find(entry.group));
      }
      return 0;
    });
    poll::StageCount describe, fetched, read;
    const auto needed = times.time("absorb_groups",
                                   [&] { return state.absorb_groups(replies, describe, fetched); });
    std::vector<kafka::Watermark> marks;
    marks.reserve(needed.size());
    for (const auto& tp : needed) {
      const int t = std::stoi(tp.topic.substr(tp.topic.rfind('-') + 1));
      marks.push_back({tp.topic, tp.partition, std::nullopt, 0,
                       high_watermark(poll, Partition{t, tp.partition})});
    }
    const Result<std::vector<kafka::Watermark>> reply{std::move(marks)};
    times.time("absorb_watermarks", [&] {
      state.absorb_watermarks(needed, reply, read);
      return 0;
    });
    {
      auto snapshot = times.time("snapshot", [&] {
        return state.build(lag::TimePoint{std::chrono::duration_cast<lag::TimePoint::duration>(
                               now.time_since_epoch())},
                           &tracker);
      });
      auto rendered =
          times.time("render", [&] { return metrics::render_cluster(snapshot, cluster.labels); });
      auto model = times.time("status", [&] {
        return std::make_shared<const metrics::ClusterGroups>(
            metrics::build_cluster_groups(std::move(snapshot)));
      });
      series = rendered.series_count;
      times.time("publish", [&] {
        exposition.publish(0, std::move(rendered), metrics::ClusterStatus{true, 1.0, 0, ""},
                           std::move(model));
        memory::release_free_memory();  // as the poller does after publishing
        return 0;
      });
    }
    const double cpu = bench::process_cpu_seconds() - cpu_before;
    // The first poll fills the state from nothing; the steady state is what the later ones cost.
    if (poll > 0) cpu_total += cpu;
    std::printf("poll %d: %.3f s CPU\n", poll, cpu);
  }
  std::printf("groups %d, group-partitions %d, series %zu\n", groups, groups * per_group, series);
  double sum = 0;
  for (const auto& [stage, seconds] : times.seconds) {
    std::vector<double> steady(seconds.begin() + (seconds.size() > 1 ? 1 : 0), seconds.end());
    const double median = bench::summarize(std::move(steady)).median;
    sum += median;
    std::printf("  %-18s median %.3f s\n", stage.c_str(), median);
  }
  std::printf("  %-18s        %.3f s\n", "sum of medians", sum);
  std::printf("CPU per poll (steady): %.3f s; peak RSS %ld MB\n",
              polls > 1 ? cpu_total / (polls - 1) : 0.0, peak_rss_kib() / 1024);
  return 0;
}
