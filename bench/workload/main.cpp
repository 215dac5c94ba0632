// Builds a large, realistic consumer-group state on a Kafka cluster for the scale benchmarks.
// Modes: create (topics, records, committed offsets), members (a few live consumer groups),
// churn (groups created and deleted at a steady rate). Run with --help for the options.
#include <atomic>
#include <csignal>
#include <cstdio>
#include <string>

#include "common/cli_args.h"
#include "common/kafka_handles.h"
#include "common/stopwatch.h"
#include "common/watermarks.h"
#include "workload/active_members.h"
#include "workload/group_churn.h"
#include "workload/offset_committer.h"
#include "workload/record_producer.h"
#include "workload/topic_creator.h"
#include "workload/topic_readiness.h"
#include "workload/workload_plan.h"

namespace lagwatch::bench {
namespace {

constexpr const char* kUsage = R"(usage: lagwatch_bench_workload MODE [options]
modes:
  create   create topics, produce records, commit offsets for every group
  members  run live consumers in the first --active-groups groups for --seconds
  churn    create and delete short-lived groups at --rate per second for --seconds
plan options (must match between modes; the plan is derived from them):
  --bootstrap HOST:PORT (127.0.0.1:9092) --prefix NAME (bench) --seed N (42)
  --topics N (1000) --partitions N (10000, total) --groups N (5000)
  --max-partitions-per-group N (50) --max-records-per-partition N (400)
create: --topic-batch N (100) --max-in-flight N (64) --value-bytes N (200)
        --history-seconds N (7200) --timeout-ms N (120000)
members: --active-groups N (5) --members-per-group N (2) --consume-rate N (20/s per member)
         --produce-rate N (200/s) --seconds S (600)
churn: --rate R (10 groups/s) --seconds S (60; SIGTERM ends it early) --live-groups N (100)
       --churn-partitions N (5) --timeout-ms N (30000)
)";

struct Common {
  std::string bootstrap;
  PlanParams plan;
  int timeout_ms = 0;
};

Common read_common(CliArgs& args, int default_timeout_ms) {
  Common common;
  common.bootstrap = args.text("bootstrap", "127.0.0.1:9092");
  common.plan.prefix = args.text("prefix", "bench");
  common.plan.seed = static_cast<uint64_t>(args.integer("seed", 42, 0, 1LL << 62));
  common.plan.topics = static_cast<int>(args.integer("topics", 1000, 1, 1'000'000));
  common.plan.partitions = static_cast<int>(args.integer("partitions", 10000, 1, 10'000'000));
  common.plan.groups = static_cast<int>(args.integer("groups", 5000, 0, 10'000'000));
  common.plan.max_partitions_per_group =
      static_cast<int>(args.integer("max-partitions-per-group", 50, 1, 100'000));
  common.plan.max_records_per_partition =
      static_cast<int>(args.integer("max-records-per-partition", 400, 0, 10'000'000));
  common.timeout_ms =
      static_cast<int>(args.integer("timeout-ms", default_timeout_ms, 1000, 3'600'000));
  return common;
}

bool report_problems(const CliArgs& args, const Common& common) {
  auto problems = args.problems();
  if (common.plan.partitions < common.plan.topics) {
    problems.push_back("--partitions must be at least --topics");
  }
  for (const auto& problem : problems) std::fprintf(stderr, "%s\n", problem.c_str());
  if (!problems.empty()) std::fputs(kUsage, stderr);
  return !problems.empty();
}

HandleOrError admin_handle(const std::string& bootstrap) {
  return make_kafka_handle(RD_KAFKA_CONSUMER, {{"bootstrap.servers", bootstrap},
                                               {"client.id", "lagwatch-bench-workload"}});
}

void print_phase(const char* phase, double ms, const std::string& detail) {
  std::printf("workload\t%-10s\t%9.2f s\t%s\n", phase, ms / 1000.0, detail.c_str());
  std::fflush(stdout);
}

HighWatermarks to_high_watermarks(const WorkloadPlan& plan,
                                  const rd_kafka_topic_partition_list_t& offsets) {
  HighWatermarks highs(plan.topics.size());
  int next = 0;
  for (std::size_t t = 0; t < plan.topics.size(); ++t) {
    highs[t].resize(static_cast<std::size_t>(plan.topics[t].partitions), 0);
    for (auto& high : highs[t]) {
      const auto& entry = offsets.elems[next++];
      high = entry.err == RD_KAFKA_RESP_ERR_NO_ERROR ? entry.offset : 0;
    }
  }
  return highs;
}

int run_create(CliArgs& args) {
  Common common = read_common(args, 120000);
  int topic_batch = static_cast<int>(args.integer("topic-batch", 100, 1, 10000));
  int max_in_flight = static_cast<int>(args.integer("max-in-flight", 64, 1, 100000));
  ProduceParams produce;
  produce.value_bytes = static_cast<int>(args.integer("value-bytes", 200, 1, 1'000'000));
  produce.history_seconds = static_cast<int>(args.integer("history-seconds", 7200, 0, 86400 * 6));
  produce.timeout_ms = common.timeout_ms;
  if (report_problems(args, common)) return 2;

  Stopwatch total;
  Stopwatch phase;
  WorkloadPlan plan = make_plan(common.plan);
  print_phase("plan", phase.elapsed_ms(),
              std::to_string(plan.topics.size()) + " topics, " +
                  std::to_string(common.plan.partitions) + " partitions, " +
                  std::to_string(plan.groups.size()) + " groups, " +
                  std::to_string(plan.group_partition_pairs) + " group-partition pairs, " +
                  std::to_string(plan.total_records) + " records");

  HandleOrError admin = admin_handle(common.bootstrap);
  if (!admin.handle) {
    std::fprintf(stderr, "kafka client: %s\n", admin.error.c_str());
    return 1;
  }
  phase = Stopwatch();
  CreateTopicsReport created =
      create_topics(admin.handle.get(), plan.topics, topic_batch, common.timeout_ms);
  print_phase("topics", phase.elapsed_ms(),
              std::to_string(created.created) + " created, " +
                  std::to_string(created.already_existed) + " already existed, " +
                  std::to_string(created.errors.size()) + " errors" +
                  (created.errors.empty() ? "" : " (first: " + created.errors.front() + ")"));
  if (!created.errors.empty()) return 1;

  phase = Stopwatch();
  Readiness readiness = wait_for_leaders(admin.handle.get(), plan.topics, common.timeout_ms);
  print_phase("leaders", phase.elapsed_ms(),
              std::to_string(readiness.ready_topics) + " topics led, " +
                  std::to_string(readiness.waited_rounds) + " metadata rounds" +
                  (readiness.error.empty() ? "" : " (" + readiness.error + ")"));
  if (!readiness.error.empty()) return 1;

  phase = Stopwatch();
  ProduceReport produced = produce_records(common.bootstrap, plan.topics, produce);
  print_phase("produce", phase.elapsed_ms(),
              std::to_string(produced.delivered) + " delivered, " +
                  std::to_string(produced.failed) + " failed" +
                  (produced.first_error.empty() ? "" : " (first: " + produced.first_error + ")"));

  phase = Stopwatch();
  PartitionListHandle all(rd_kafka_topic_partition_list_new(common.plan.partitions));
  for (const TopicPlan& topic : plan.topics) {
    for (int p = 0; p < topic.partitions; ++p) {
      rd_kafka_topic_partition_list_add(all.get(), topic.name.c_str(), p);
    }
  }
  OffsetsAt latest = query_offsets_at(admin.handle.get(), *all, kLatestOffset, common.timeout_ms);
  if (!latest.error.empty()) {
    std::fprintf(stderr, "high watermarks: %s\n", latest.error.c_str());
    return 1;
  }
  HighWatermarks highs = to_high_watermarks(plan, *latest.offsets);
  print_phase("watermarks", phase.elapsed_ms(),
              std::to_string(latest.offsets->cnt) + " partitions, " +
                  std::to_string(latest.partition_errors) + " errors");

  phase = Stopwatch();
  CommitReport committed =
      commit_offsets(admin.handle.get(), plan, highs, max_in_flight, common.timeout_ms);
  print_phase("commit", phase.elapsed_ms(),
              std::to_string(committed.groups_ok) + " groups, " +
                  std::to_string(committed.partitions_committed) + " group-partitions, " +
                  std::to_string(committed.groups_failed) + " groups failed, " +
                  std::to_string(committed.partition_errors) + " partition errors" +
                  (committed.first_error.empty() ? "" : " (first: " + committed.first_error + ")"));
  print_phase("total", total.elapsed_ms(), "");
  bool ok = produced.failed == 0 && committed.groups_failed == 0 && committed.partition_errors == 0;
  return ok ? 0 : 1;
}

int run_members(CliArgs& args) {
  Common common = read_common(args, 30000);
  MembersParams params;
  params.groups = static_cast<int>(args.integer("active-groups", 5, 0, 1000));
  params.members_per_group = static_cast<int>(args.integer("members-per-group", 2, 1, 100));
  params.records_per_second = static_cast<int>(args.integer("consume-rate", 20, 1, 1'000'000));
  params.produce_per_second = static_cast<int>(args.integer("produce-rate", 200, 0, 1'000'000));
  params.seconds = args.number("seconds", 600, 0, 86400 * 7);
  if (report_problems(args, common)) return 2;
  WorkloadPlan plan = make_plan(common.plan);
  std::printf("members\tstarting %d groups x %d members for %.0f s\n", params.groups,
              params.members_per_group, params.seconds);
  std::fflush(stdout);
  Stopwatch total;
  MembersReport report = run_active_members(common.bootstrap, plan, params);
  std::printf("members\t%.1f s\t%lld consumed, %lld produced%s%s\n", total.elapsed_ms() / 1000,
              report.consumed, report.produced,
              report.first_error.empty() ? "" : ", error: ", report.first_error.c_str());
  return report.first_error.empty() ? 0 : 1;
}

std::atomic<bool> churn_stop_requested{false};
extern "C" void request_churn_stop(int /*signal*/) { churn_stop_requested = true; }

int run_churn(CliArgs& args) {
  Common common = read_common(args, 30000);
  ChurnParams params;
  params.groups_per_second = args.number("rate", 10, 0.001, 100000);
  params.seconds = args.number("seconds", 60, 0, 86400 * 7);
  params.live_groups = static_cast<int>(args.integer("live-groups", 100, 0, 10'000'000));
  params.partitions_per_group = static_cast<int>(args.integer("churn-partitions", 5, 1, 10000));
  params.timeout_ms = common.timeout_ms;
  params.seed = common.plan.seed;
  params.stop = &churn_stop_requested;
  // SIGTERM/SIGINT end the churn early but still delete the groups it left behind.
  std::signal(SIGTERM, request_churn_stop);
  std::signal(SIGINT, request_churn_stop);
  if (report_problems(args, common)) return 2;
  WorkloadPlan plan = make_plan(common.plan);
  HandleOrError admin = admin_handle(common.bootstrap);
  if (!admin.handle) {
    std::fprintf(stderr, "kafka client: %s\n", admin.error.c_str());
    return 1;
  }
  ChurnReport report = run_group_churn(admin.handle.get(), plan, common.plan.prefix, params);
  std::printf("churn\t%.1f s\t%lld created, %lld deleted, %lld failed (%.1f created/s)%s%s\n",
              report.elapsed_s, report.created, report.deleted, report.failed,
              report.elapsed_s > 0 ? static_cast<double>(report.created) / report.elapsed_s : 0.0,
              report.first_error.empty() ? "" : ", first error: ", report.first_error.c_str());
  return report.failed == 0 && report.first_error.empty() ? 0 : 1;
}

}  // namespace
}  // namespace lagwatch::bench

int main(int argc, char** argv) {
  using namespace lagwatch::bench;
  std::string mode = argc > 1 ? argv[1] : "";
  CliArgs args(argc, argv, 2);
  if (mode == "create") return run_create(args);
  if (mode == "members") return run_members(args);
  if (mode == "churn") return run_churn(args);
  std::fputs(kUsage, mode == "--help" || mode == "-h" ? stdout : stderr);
  return mode == "--help" || mode == "-h" ? 0 : 2;
}
