// process_* families: the /proc parsers on fixed text, the values derived from them, the text
// rendered, and one real read of this test's own process.

#include "metrics/internal/process_metrics.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "metrics/self_metrics.h"

namespace lagwatch::metrics {
namespace {

// Fields 3-24 after the command name, as the kernel writes them; then the tail up to field 52.
constexpr const char* kAfterName =
    " S 1 4242 4242 0 -1 4194560 1200 0 3 0 250 75 0 0 20 0 9 0 123456 987654321 3000 "
    "18446744073709551615 1 1 0 0 0 0 0 4096 17922 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n";

struct StatCase {
  const char* name;
  std::string text;
  std::optional<ProcStat> expected;
};

bool same(const ProcStat& a, const ProcStat& b) {
  return a.user_ticks == b.user_ticks && a.system_ticks == b.system_ticks &&
         a.threads == b.threads && a.start_ticks == b.start_ticks &&
         a.virtual_bytes == b.virtual_bytes && a.resident_pages == b.resident_pages;
}

TEST(ProcessMetrics, ParsesProcStat) {
  const ProcStat want{250, 75, 9, 123456, 987654321, 3000};
  const std::vector<StatCase> cases = {
      {"plain name", std::string("4242 (lagwatch)") + kAfterName, want},
      {"name with spaces", std::string("4242 (lag watch 2)") + kAfterName, want},
      {"name with parentheses", std::string("4242 (a) (b))") + kAfterName, want},
      {"name that looks like fields", std::string("4242 (x) S 1 2 3)") + kAfterName, want},
      {"only up to rss", "7 (p) R 0 0 0 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 5 4096 1",
       ProcStat{1, 2, 1, 5, 4096, 1}},
      {"cut before rss", "7 (p) R 0 0 0 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 5 4096", std::nullopt},
      {"no parentheses", "4242 lagwatch S 1 2", std::nullopt},
      {"empty", "", std::nullopt},
      {"text in utime",
       std::string("4242 (p) S 1 4242 4242 0 -1 4194560 1200 0 3 0 x 75 0 0 "
                   "20 0 9 0 123456 987654321 3000\n"),
       std::nullopt},
      {"negative vsize", "7 (p) R 0 0 0 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 5 -4096 1", std::nullopt},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto got = parse_proc_stat(c.text);
    ASSERT_EQ(got.has_value(), c.expected.has_value());
    if (got) {
      EXPECT_TRUE(same(*got, *c.expected));
    }
  }
}

TEST(ProcessMetrics, ParsesMaxOpenFiles) {
  const std::string header =
      "Limit                     Soft Limit           Hard Limit           Units     \n"
      "Max cpu time              unlimited            unlimited            seconds   \n";
  const std::string tail =
      "Max processes             95338                95338                processes \n";
  struct Case {
    const char* name;
    std::string text;
    std::optional<double> expected;
  };
  const std::vector<Case> cases = {
      {"soft limit",
       header +
           "Max open files            1024                 524288               "
           "files     \n" +
           tail,
       1024.0},
      {"last line without newline", header + "Max open files 65536 65536 files", 65536.0},
      {"unlimited", header + "Max open files unlimited unlimited files\n",
       std::numeric_limits<double>::infinity()},
      {"missing", header + tail, std::nullopt},
      {"no value", header + "Max open files\n", std::nullopt},
      {"garbage value", header + "Max open files 12x 20 files\n", std::nullopt},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(parse_max_open_files(c.text), c.expected);
  }
}

TEST(ProcessMetrics, ParsesBootTime) {
  const std::string cpus = "cpu  1 2 3 4 5 6 7 0 0 0\ncpu0 1 2 3 4 5 6 7 0 0 0\nintr 1 0 0\n";
  struct Case {
    const char* name;
    std::string text;
    std::optional<std::uint64_t> expected;
  };
  const std::vector<Case> cases = {
      {"btime line", cpus + "ctxt 99\nbtime 1764660000\nprocesses 5\n", 1764660000u},
      {"last line", cpus + "btime 1764660000", 1764660000u},
      {"missing", cpus + "ctxt 99\n", std::nullopt},
      {"not a number", cpus + "btime soon\n", std::nullopt},
      {"two values", cpus + "btime 1 2\n", std::nullopt},
      {"btime-like key", cpus + "btimex 7\n", std::nullopt},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(parse_boot_time(c.text), c.expected);
  }
}

TEST(ProcessMetrics, SampleConvertsTicksAndPages) {
  const ProcStat stat{250, 75, 9, 123456, 987654321, 3000};
  const auto sample = make_process_sample(stat, 1764660000u, 100, 4096, 12.0, 1024.0);
  EXPECT_DOUBLE_EQ(*sample.cpu_seconds, 3.25);
  EXPECT_DOUBLE_EQ(*sample.start_time_seconds, 1764660000.0 + 1234.56);
  EXPECT_DOUBLE_EQ(*sample.resident_bytes, 3000.0 * 4096);
  EXPECT_DOUBLE_EQ(*sample.virtual_bytes, 987654321.0);
  EXPECT_DOUBLE_EQ(*sample.threads, 9.0);
  EXPECT_DOUBLE_EQ(*sample.open_fds, 12.0);
  EXPECT_DOUBLE_EQ(*sample.max_fds, 1024.0);

  const auto no_boot = make_process_sample(stat, std::nullopt, 100, 4096, std::nullopt, 1.0);
  EXPECT_FALSE(no_boot.start_time_seconds.has_value());
  EXPECT_FALSE(no_boot.open_fds.has_value());
  EXPECT_TRUE(no_boot.cpu_seconds.has_value());

  const auto no_stat = make_process_sample(std::nullopt, 1u, 100, 4096, 3.0, std::nullopt);
  EXPECT_FALSE(no_stat.cpu_seconds || no_stat.resident_bytes || no_stat.threads);
  EXPECT_EQ(no_stat.open_fds, 3.0);
}

TEST(ProcessMetrics, RendersStandardFamilies) {
  ProcessSample sample;
  sample.cpu_seconds = 3.25;
  sample.open_fds = 12;
  sample.max_fds = std::numeric_limits<double>::infinity();
  sample.virtual_bytes = 987654321;
  sample.resident_bytes = 12288000;
  sample.start_time_seconds = 1764661234.56;
  sample.threads = 9;
  EXPECT_EQ(render_process_metrics(sample),
            "# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.\n"
            "# TYPE process_cpu_seconds_total counter\n"
            "process_cpu_seconds_total 3.25\n"
            "# HELP process_open_fds Number of open file descriptors.\n"
            "# TYPE process_open_fds gauge\n"
            "process_open_fds 12\n"
            "# HELP process_max_fds Maximum number of open file descriptors.\n"
            "# TYPE process_max_fds gauge\n"
            "process_max_fds +Inf\n"
            "# HELP process_virtual_memory_bytes Virtual memory size in bytes.\n"
            "# TYPE process_virtual_memory_bytes gauge\n"
            "process_virtual_memory_bytes 987654321\n"
            "# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
            "# TYPE process_resident_memory_bytes gauge\n"
            "process_resident_memory_bytes 12288000\n"
            "# HELP process_start_time_seconds Start time of the process since unix epoch in "
            "seconds.\n"
            "# TYPE process_start_time_seconds gauge\n"
            "process_start_time_seconds 1764661234.56\n"
            "# HELP process_threads Number of OS threads in the process.\n"
            "# TYPE process_threads gauge\n"
            "process_threads 9\n");

  ProcessSample partial;
  partial.threads = 1;
  EXPECT_EQ(render_process_metrics(partial),
            "# HELP process_threads Number of OS threads in the process.\n"
            "# TYPE process_threads gauge\n"
            "process_threads 1\n");
  EXPECT_EQ(render_process_metrics(ProcessSample{}), "");
}

TEST(ProcessMetrics, ReadsThisProcess) {
  const auto before = read_process_sample();
  ASSERT_TRUE(before.cpu_seconds && before.resident_bytes && before.virtual_bytes &&
              before.open_fds && before.max_fds && before.start_time_seconds && before.threads);
  EXPECT_GE(*before.threads, 1.0);
  EXPECT_GT(*before.resident_bytes, 0.0);
  EXPECT_GE(*before.virtual_bytes, *before.resident_bytes);
  EXPECT_GE(*before.cpu_seconds, 0.0);
  rlimit limit{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &limit), 0);
  EXPECT_EQ(*before.max_fds, static_cast<double>(limit.rlim_cur));
  EXPECT_LE(*before.open_fds, *before.max_fds);
  const double now =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  // This test binary started before now (boot time has whole-second resolution), within a day.
  EXPECT_LE(*before.start_time_seconds, now + 1);
  EXPECT_GT(*before.start_time_seconds, now - 86400);

  // One more descriptor is one more open fd.
  std::FILE* extra = std::tmpfile();
  ASSERT_NE(extra, nullptr);
  const auto with_extra = read_process_sample();
  std::fclose(extra);
  EXPECT_EQ(*with_extra.open_fds, *before.open_fds + 1);
}

TEST(ProcessMetrics, FollowLagwatchOwnMetricsInTheSelfText) {
  const std::string text = SelfMetrics().render();
  const auto build_info = text.find("lagwatch_build_info{");
  ASSERT_NE(build_info, std::string::npos);
  for (const char* name : {"process_cpu_seconds_total", "process_open_fds", "process_max_fds",
                           "process_virtual_memory_bytes", "process_resident_memory_bytes",
                           "process_start_time_seconds", "process_threads"}) {
    const auto at = text.find(std::string("\n") + name + " ");
    ASSERT_NE(at, std::string::npos) << name;
    EXPECT_GT(at, build_info) << name;
  }
}

}  // namespace
}  // namespace lagwatch::metrics
