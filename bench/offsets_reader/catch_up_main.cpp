// Starts a fresh OffsetsTopicReader against a broker whose `__consumer_offsets` was filled by
// commit_load.py, waits until it has caught up and reports the rate, the memory it took and
// whether the state it built matches what commit_load.py committed.
//
//   lagwatch_bench_reader_catch_up BOOTSTRAP GROUP_PREFIX GROUPS PARTITIONS LAST_OFFSET [TIMEOUT_S]

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "kafka/offsets_topic_reader.h"
#include "process_memory.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Expectation {
  std::string group_prefix;
  std::size_t groups = 0;
  std::size_t partitions = 0;
  std::int64_t last_offset = 0;
};

struct Check {
  std::size_t groups_matching = 0;    // groups of the load holding exactly the expected offsets
  std::size_t groups_seen = 0;        // all groups in the tracker
  std::uint64_t counted_commits = 0;  // must be 0: commits before start-up are the baseline
};

Check check_state(const lagwatch::offsets::GroupStateTracker& tracker, const Expectation& want) {
  Check check;
  for (const auto& [name, state] : tracker.groups()) {
    ++check.groups_seen;
    check.counted_commits += state.offset_commits;
    if (name.rfind(want.group_prefix, 0) != 0) continue;
    bool all_at_last = state.commits.size() == want.partitions;
    for (const auto& [partition, commit] : state.commits) {
      all_at_last = all_at_last && commit.offset == want.last_offset;
    }
    if (all_at_last) ++check.groups_matching;
  }
  return check;
}

double seconds_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 6) {
    std::fprintf(stderr,
                 "usage: %s BOOTSTRAP GROUP_PREFIX GROUPS PARTITIONS LAST_OFFSET [TIMEOUT_S "
                 "[NAME=VALUE...]]\n",
                 argv[0]);
    return 2;
  }
  const Expectation want{argv[2], std::stoul(argv[3]), std::stoul(argv[4]), std::stoll(argv[5])};
  const auto timeout = std::chrono::seconds(argc > 6 ? std::stoi(argv[6]) : 600);

  const auto before = lagwatch::bench::process_memory();
  lagwatch::kafka::ClientSettings settings;
  settings.bootstrap_servers = argv[1];
  // NAME=VALUE arguments after the timeout: librdkafka properties over the reader's defaults.
  for (int i = 7; i < argc; ++i) {
    const std::string property = argv[i];
    const auto equals = property.find('=');
    if (equals == std::string::npos) {
      std::fprintf(stderr, "not NAME=VALUE: %s\n", argv[i]);
      return 2;
    }
    settings.properties.push_back({property.substr(0, equals), property.substr(equals + 1)});
  }
  const auto started = Clock::now();
  auto reader = lagwatch::kafka::OffsetsTopicReader::start(settings);
  if (!reader.has_value()) {
    std::fprintf(stderr, "reader: %s\n", reader.error().to_string().c_str());
    return 1;
  }

  // Polled like the exporter's poller would, which also shows how long read() blocks.
  bool caught_up = false;
  lagwatch::kafka::ReaderStatus status;
  while (!caught_up && Clock::now() - started < timeout) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    reader.value()->read([&](const auto&, const lagwatch::kafka::ReaderStatus& current) {
      caught_up = current.caught_up;
      status = current;
    });
  }
  const auto finished = Clock::now();
  if (!caught_up) {
    std::fprintf(stderr, "not caught up within %llds (records read %llu, error \"%s\")\n",
                 static_cast<long long>(timeout.count()),
                 static_cast<unsigned long long>(status.records_read), status.error.c_str());
    return 1;
  }
  const auto after = lagwatch::bench::process_memory();
  Check check;
  reader.value()->read(
      [&](const auto& tracker, const auto&) { check = check_state(tracker, want); });

  const auto stopping = Clock::now();
  reader.value()->stop();
  const auto stopped = Clock::now();

  const double elapsed = seconds_between(started, finished);
  std::printf("records_read=%llu partitions=%d seconds=%.3f records_per_second=%.0f\n",
              static_cast<unsigned long long>(status.records_read), status.partitions, elapsed,
              static_cast<double>(status.records_read) / elapsed);
  std::printf("rss_before_kib=%llu rss_caught_up_kib=%llu peak_rss_kib=%llu\n",
              static_cast<unsigned long long>(before.rss_kib),
              static_cast<unsigned long long>(after.rss_kib),
              static_cast<unsigned long long>(after.peak_kib));
  std::printf(
      "groups_tracked=%zu load_groups_matching=%zu/%zu commits_counted_after_baseline=%llu "
      "malformed=%llu unknown=%llu\n",
      check.groups_seen, check.groups_matching, want.groups,
      static_cast<unsigned long long>(check.counted_commits),
      static_cast<unsigned long long>(status.counts.malformed),
      static_cast<unsigned long long>(status.counts.unknown_type + status.counts.unknown_version));
  std::printf("stop_seconds=%.3f\n", seconds_between(stopping, stopped));
  const bool state_ok = check.groups_matching == want.groups && check.counted_commits == 0 &&
                        status.counts.malformed == 0;
  std::printf("state_check=%s\n", state_ok ? "ok" : "FAILED");
  return state_ok ? 0 : 1;
}
