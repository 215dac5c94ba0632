#pragma once
// The standard process_* families, read from /proc. Parsing is pure (text in, numbers out) and
// kept apart from the reads, so every /proc layout quirk is tested on fixed text.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lagwatch::metrics {

// The fields of /proc/<pid>/stat that the families need, in the kernel's units.
struct ProcStat {
  std::uint64_t user_ticks = 0;     // utime (field 14), clock ticks
  std::uint64_t system_ticks = 0;   // stime (field 15)
  std::int64_t threads = 0;         // num_threads (field 20)
  std::uint64_t start_ticks = 0;    // starttime (field 22), clock ticks after boot
  std::uint64_t virtual_bytes = 0;  // vsize (field 23)
  std::int64_t resident_pages = 0;  // rss (field 24)
};

// /proc/<pid>/stat. The command name (field 2) is in parentheses and may itself hold spaces and
// parentheses: fields are counted from the last ')'. std::nullopt when malformed.
std::optional<ProcStat> parse_proc_stat(std::string_view text);
// The soft limit of "Max open files" in /proc/<pid>/limits; "unlimited" is +infinity.
std::optional<double> parse_max_open_files(std::string_view limits);
// The "btime" line of /proc/stat: boot time in Unix seconds.
std::optional<std::uint64_t> parse_boot_time(std::string_view proc_stat);

// What one read found; a family whose source could not be read is left out.
struct ProcessSample {
  std::optional<double> cpu_seconds;
  std::optional<double> resident_bytes;
  std::optional<double> virtual_bytes;
  std::optional<double> open_fds;
  std::optional<double> max_fds;
  std::optional<double> start_time_seconds;
  std::optional<double> threads;
};

// Combines the parsed sources into the exported values. `stat` and `boot_time` may be missing.
ProcessSample make_process_sample(const std::optional<ProcStat>& stat,
                                  std::optional<std::uint64_t> boot_time, long ticks_per_second,
                                  long page_bytes, std::optional<double> open_fds,
                                  std::optional<double> max_fds);

// The families in Prometheus text format, HELP and TYPE included, in a fixed order.
std::string render_process_metrics(const ProcessSample& sample);

// Reads /proc/self/{stat,limits,fd} and /proc/stat now.
ProcessSample read_process_sample();

}  // namespace lagwatch::metrics
