// The physical floor of one lagwatch poll cycle: only the Kafka requests a poll cannot avoid,
// issued as efficiently as librdkafka 2.0.2 allows, timed per stage over several cycles.
#include <cstdio>
#include <future>
#include <string>
#include <vector>

#include "common/cli_args.h"
#include "common/kafka_handles.h"
#include "common/percentiles.h"
#include "common/process_cpu.h"
#include "common/stopwatch.h"
#include "floor/floor_stages.h"
#include "floor/request_counts.h"

namespace lagwatch::bench {
namespace {

constexpr const char* kUsage = R"(usage: lagwatch_bench_floor [options]
  --bootstrap HOST:PORT (127.0.0.1:9092)
  --cycles N (5)            measured cycles
  --warmup N (1)            cycles run first and not counted (connections, metadata)
  --max-in-flight N (32)    outstanding ListConsumerGroupOffsets requests
  --describe-batch N (500)  groups per DescribeConsumerGroups call
  --describe-api broker|admin (broker)  broker: the legacy listing, one DescribeGroups per
                            broker; admin: DescribeConsumerGroups, which librdkafka 2.0.2 sends
                            as one FindCoordinator + one DescribeGroups per group
  --overlap                 run describe concurrently with the offsets stage
  --serial-watermarks       ask earliest and latest one after the other, not concurrently
  --timeout-ms N (60000)
  --count-requests          after each cycle, print the requests it sent per API (from
                            librdkafka statistics, read outside the timed part)
)";

struct Options {
  std::string bootstrap;
  int cycles = 5;
  int warmup = 1;
  int max_in_flight = 32;
  std::size_t describe_batch = 500;
  bool describe_by_broker = true;
  bool overlap = false;
  bool serial_watermarks = false;
  int timeout_ms = 60000;
  bool count_requests = false;
};

struct CycleTimes {
  double list_ms = 0;
  double describe_ms = 0;
  double offsets_ms = 0;
  double watermarks_ms = 0;
  double total_ms = 0;
};

struct CycleCounts {
  std::size_t groups = 0;
  std::size_t described = 0;
  std::size_t members = 0;
  std::size_t describe_requests = 0;
  std::size_t group_partitions = 0;
  std::size_t partitions = 0;
  std::size_t errors = 0;
  std::string first_error;

  void take(const StageOutcome& outcome) {
    if (errors == 0 && outcome.errors > 0) first_error = outcome.first_error;
    errors += outcome.errors;
  }
};

std::pair<CycleTimes, CycleCounts> run_cycle(rd_kafka_t* handle, const Options& options) {
  CycleTimes times;
  CycleCounts counts;
  Stopwatch total;

  Stopwatch stage;
  GroupListing listing = list_groups(handle, options.timeout_ms);
  times.list_ms = stage.elapsed_ms();
  counts.groups = listing.group_ids.size();
  counts.take(listing.outcome);

  auto describe = [&] {
    Stopwatch own;
    GroupDescriptions result =
        options.describe_by_broker
            ? describe_groups_by_broker(handle, listing.group_ids, options.timeout_ms)
            : describe_groups(handle, listing.group_ids, options.describe_batch,
                              options.timeout_ms);
    return std::make_pair(result, own.elapsed_ms());
  };
  auto described =
      std::async(options.overlap ? std::launch::async : std::launch::deferred, describe);
  // Deferred runs on wait(): describe then finishes before the offsets stage starts.
  if (!options.overlap) described.wait();

  stage = Stopwatch();
  CommittedPartitions committed = list_committed_partitions(
      handle, listing.group_ids, options.max_in_flight, options.timeout_ms);
  times.offsets_ms = stage.elapsed_ms();
  counts.group_partitions = committed.group_partitions;
  counts.take(committed.outcome);

  auto [descriptions, describe_ms] = described.get();
  times.describe_ms = describe_ms;
  counts.described = descriptions.groups;
  counts.members = descriptions.members;
  counts.describe_requests = descriptions.requests;
  counts.take(descriptions.outcome);

  stage = Stopwatch();
  WatermarkCounts watermarks = fetch_watermarks(handle, *committed.partitions,
                                                options.serial_watermarks, options.timeout_ms);
  times.watermarks_ms = stage.elapsed_ms();
  counts.partitions = watermarks.partitions;
  counts.take(watermarks.outcome);

  times.total_ms = total.elapsed_ms();
  return {times, counts};
}

void print_row(const char* stage, const std::vector<double>& samples) {
  Summary summary = summarize(samples);
  std::printf("floor\t%-10s\tmedian %9.1f ms\tp99 %9.1f ms\tmin %9.1f ms\tmax %9.1f ms\n", stage,
              summary.median, summary.p99, summary.min, summary.max);
}

int run(const Options& options) {
  RequestCounter counter;
  HandleOrError made = make_kafka_handle(RD_KAFKA_CONSUMER,
                                         {{"bootstrap.servers", options.bootstrap},
                                          {"client.id", "lagwatch-bench-floor"},
                                          {"isolation.level", "read_uncommitted"}},
                                         [&](rd_kafka_conf_t* conf) {
                                           if (options.count_requests) counter.install(conf, 1000);
                                         });
  if (!made.handle) {
    std::fprintf(stderr, "kafka client: %s\n", made.error.c_str());
    return 1;
  }
  std::vector<double> list, describe, offsets, watermarks, total;
  std::size_t errors = 0;
  for (int cycle = -options.warmup; cycle < options.cycles; ++cycle) {
    auto [times, counts] = run_cycle(made.handle.get(), options);
    std::printf(
        "cycle %3d%s: list %.1f ms (%zu groups), describe %.1f ms (%zu groups, %zu members, "
        "%zu calls), offsets %.1f ms (%zu group-partitions), watermarks %.1f ms (%zu "
        "partitions x 2), total %.1f ms, %zu errors%s%s\n",
        cycle, cycle < 0 ? " (warm-up)" : "", times.list_ms, counts.groups, times.describe_ms,
        counts.described, counts.members, counts.describe_requests, times.offsets_ms,
        counts.group_partitions, times.watermarks_ms, counts.partitions, times.total_ms,
        counts.errors, counts.errors > 0 ? ", first: " : "", counts.first_error.c_str());
    if (options.count_requests) {
      // Two statistics intervals: the newest one then surely postdates the cycle.
      std::printf("cycle %3d requests: %s\n", cycle,
                  describe_counts(counter.take_delta(made.handle.get(), 2100)).c_str());
    }
    std::fflush(stdout);
    if (cycle < 0) continue;
    errors += counts.errors;
    list.push_back(times.list_ms);
    describe.push_back(times.describe_ms);
    offsets.push_back(times.offsets_ms);
    watermarks.push_back(times.watermarks_ms);
    total.push_back(times.total_ms);
  }
  std::printf(
      "floor\tcycles %d, max-in-flight %d, describe %s (batch %zu), overlap %s, watermarks %s\n",
      options.cycles, options.max_in_flight, options.describe_by_broker ? "by broker" : "admin",
      options.describe_batch, options.overlap ? "yes" : "no",
      options.serial_watermarks ? "serial" : "concurrent");
  print_row("list", list);
  print_row("describe", describe);
  print_row("offsets", offsets);
  print_row("watermarks", watermarks);
  print_row("total", total);
  // Warm-up included: the handle's start-up is spread over every cycle it served.
  const double cpu_s = process_cpu_seconds();
  std::printf("floor\tcpu\t%.3f s per cycle (%.2f s over %d cycles)\n",
              cpu_s / (options.cycles + options.warmup), cpu_s, options.cycles + options.warmup);
  return errors == 0 ? 0 : 1;
}

}  // namespace
}  // namespace lagwatch::bench

int main(int argc, char** argv) {
  using namespace lagwatch::bench;
  CliArgs args(argc, argv, 1);
  if (args.flag("help")) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  Options options;
  options.bootstrap = args.text("bootstrap", "127.0.0.1:9092");
  options.cycles = static_cast<int>(args.integer("cycles", 5, 1, 100000));
  options.warmup = static_cast<int>(args.integer("warmup", 1, 0, 1000));
  options.max_in_flight = static_cast<int>(args.integer("max-in-flight", 32, 1, 100000));
  options.describe_batch =
      static_cast<std::size_t>(args.integer("describe-batch", 500, 1, 1'000'000));
  const std::string describe_api = args.text("describe-api", "broker");
  if (describe_api != "broker" && describe_api != "admin") {
    std::fprintf(stderr, "--describe-api must be broker or admin\n");
    return 2;
  }
  options.describe_by_broker = describe_api == "broker";
  options.overlap = args.flag("overlap");
  options.serial_watermarks = args.flag("serial-watermarks");
  options.timeout_ms = static_cast<int>(args.integer("timeout-ms", 60000, 1000, 3'600'000));
  options.count_requests = args.flag("count-requests");
  auto problems = args.problems();
  for (const auto& problem : problems) std::fprintf(stderr, "%s\n", problem.c_str());
  if (!problems.empty()) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  return run(options);
}
