// Render + gzip cost of the per-cluster exposition, on synthetic snapshots of realistic shape
// (group and topic names of production-like length, lag seconds and health on every partition).
// Reports time per body and series per body; the target is <= 100 ms for 100k series.

#include <benchmark/benchmark.h>

#include <string>

#include "lag/snapshot.h"
#include "metrics/cluster_renderer.h"
#include "metrics/exposition.h"
#include "metrics/internal/gzip.h"

namespace {

using namespace lagwatch;

// `group_partitions` group-partition rows spread over 5,000 groups and 10,000 partitions.
lag::ClusterSnapshot make_snapshot(int group_partitions, lag::Granularity granularity) {
  lag::ClusterSnapshot s;
  s.cluster = "prod-eu-west-1";
  s.granularity = granularity;
  const int topics = 1000;
  for (int t = 0; t < topics; ++t) {
    s.topics.push_back("payments.transactions.v" + std::to_string(t % 7) + ".shard-" +
                       std::to_string(t));
  }
  for (int t = 0; t < topics; ++t) {
    for (int p = 0; p < 10; ++p) {
      s.partitions.push_back({static_cast<lag::TopicIndex>(t), p, 1000, 500000 + p});
    }
  }
  const int groups = 5000;
  const int per_group = std::max(1, group_partitions / groups);
  for (int g = 0; g < groups; ++g) {
    lag::GroupSnapshot group;
    group.name = "service-" + std::to_string(g) + "-consumer-group.production";
    group.state = lag::GroupState::kStable;
    group.members = 3;
    group.rebalances = 7;
    group.generation = 12;
    group.offset_commits = 123456;
    for (int i = 0; i < per_group; ++i) {
      const int flat = (g * per_group + i) % (topics * 10);
      lag::GroupPartition gp;
      gp.topic = static_cast<lag::TopicIndex>(flat / 10);
      gp.partition = flat % 10;
      gp.committed_offset = 499000 + i;
      gp.lag = 1000 - i;
      gp.messages_lost = 0;
      gp.lag_seconds = 12.5 + i;
      gp.last_commit_unix_seconds = 1795512246.931;
      group.partitions.push_back(gp);
    }
    s.groups.push_back(std::move(group));
  }
  return s;
}

void BM_Render(benchmark::State& state) {
  auto snapshot = make_snapshot(static_cast<int>(state.range(0)), lag::Granularity::kPartition);
  // Second argument: [clusters.series] partition_details, the series budget's opt-in.
  snapshot.partition_details = state.range(1) != 0;
  size_t series = 0;
  for (auto _ : state) {
    auto e = metrics::render_cluster(snapshot);
    series = e.series_count;
    benchmark::DoNotOptimize(e);
  }
  state.counters["series"] = static_cast<double>(series);
}

// The whole per-poll cost: render, merge into the body with the self metrics, gzip.
void BM_RenderComposeGzip(benchmark::State& state) {
  auto snapshot = make_snapshot(static_cast<int>(state.range(0)), lag::Granularity::kPartition);
  // The worst case, and the figures README's benchmark table records: every per-partition family.
  snapshot.partition_details = true;
  metrics::SelfMetrics self;
  metrics::Exposition exposition({"prod-eu-west-1"}, self);
  size_t series = 0;
  size_t bytes = 0;
  size_t gzip_bytes = 0;
  for (auto _ : state) {
    auto e = metrics::render_cluster(snapshot);
    series = e.series_count;
    exposition.publish(0, std::move(e), metrics::ClusterStatus{true, 1.0, 5000, ""});
    auto body = exposition.current();
    bytes = body->text_size();
    gzip_bytes = body->gzip.size();
  }
  state.counters["series"] = static_cast<double>(series);
  state.counters["text_MB"] = static_cast<double>(bytes) / 1e6;
  state.counters["gzip_MB"] = static_cast<double>(gzip_bytes) / 1e6;
}

// Only the merge + gzip of an already rendered exposition: the part that Exposition owns. The
// copy of the rendered input is excluded from the timing (publish consumes it).
void BM_ComposeGzip(benchmark::State& state) {
  auto snapshot = make_snapshot(static_cast<int>(state.range(0)), lag::Granularity::kPartition);
  snapshot.partition_details = true;  // as BM_RenderComposeGzip
  const auto rendered = metrics::render_cluster(snapshot);
  metrics::SelfMetrics self;
  metrics::Exposition exposition({"prod-eu-west-1"}, self);
  size_t bytes = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto e = rendered;
    state.ResumeTiming();
    exposition.publish(0, std::move(e), metrics::ClusterStatus{true, 1.0, 5000, ""});
    bytes = exposition.current()->text_size();
  }
  state.counters["text_MB"] = static_cast<double>(bytes) / 1e6;
}

}  // namespace

// 100k series is about 12.5k group-partitions at partition granularity with partition_details
// (8 families per row); by default a row has 3.
BENCHMARK(BM_Render)
    ->Args({12500, 0})
    ->Args({12500, 1})
    ->Args({100000, 0})
    ->Args({100000, 1})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RenderComposeGzip)->Arg(12500)->Arg(100000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ComposeGzip)->Arg(12500)->Arg(100000)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
