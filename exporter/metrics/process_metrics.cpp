#include "metrics/internal/process_metrics.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <vector>

namespace lagwatch::metrics {
namespace {

constexpr std::size_t kMaxProcFileBytes = 1 << 20;  // /proc/stat grows with the CPU count

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::vector<std::string_view> split_words(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && is_space(text[i])) ++i;
    const std::size_t start = i;
    while (i < text.size() && !is_space(text[i])) ++i;
    if (i > start) words.push_back(text.substr(start, i - start));
  }
  return words;
}

template <typename Integer>
std::optional<Integer> to_integer(std::string_view word) {
  Integer value{};
  const auto [end, error] = std::from_chars(word.data(), word.data() + word.size(), value);
  if (error != std::errc{} || end != word.data() + word.size()) return std::nullopt;
  return value;
}

// The line that starts with `prefix`, without it; empty view and false when there is none.
bool find_line(std::string_view text, std::string_view prefix, std::string_view& rest) {
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(at, end - at);
    if (line.starts_with(prefix)) {
      rest = line.substr(prefix.size());
      return true;
    }
    at = end + 1;
  }
  return false;
}

std::optional<std::string> read_small_file(const char* path) {
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string text;
  std::array<char, 4096> buffer{};
  while (text.size() < kMaxProcFileBytes) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0) {
      ::close(fd);
      return std::nullopt;
    }
    if (n == 0) break;
    text.append(buffer.data(), static_cast<std::size_t>(n));
  }
  ::close(fd);
  return text;
}

// Entries of /proc/self/fd other than the descriptor that lists them.
std::optional<double> count_open_fds() {
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) return std::nullopt;
  const int own = ::dirfd(dir);
  double count = 0;
  while (const dirent* entry = ::readdir(dir)) {
    const auto fd = to_integer<int>(entry->d_name);
    if (fd && *fd != own) ++count;
  }
  ::closedir(dir);
  return count;
}

void append_number(double value, std::string& out) {
  if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
    return;
  }
  if (std::isnan(value)) {
    out += "NaN";
    return;
  }
  std::array<char, 32> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  out.append(buffer.data(), result.ptr);
}

struct FamilyText {
  const char* name;
  const char* type;
  const char* help;
  std::optional<double> ProcessSample::*value;
};

// The names, types and help texts every Prometheus client library uses for these families.
constexpr std::array<FamilyText, 7> kProcessFamilies = {{
    {"process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.",
     &ProcessSample::cpu_seconds},
    {"process_open_fds", "gauge", "Number of open file descriptors.", &ProcessSample::open_fds},
    {"process_max_fds", "gauge", "Maximum number of open file descriptors.",
     &ProcessSample::max_fds},
    {"process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.",
     &ProcessSample::virtual_bytes},
    {"process_resident_memory_bytes", "gauge", "Resident memory size in bytes.",
     &ProcessSample::resident_bytes},
    {"process_start_time_seconds", "gauge",
     "Start time of the process since unix epoch in seconds.", &ProcessSample::start_time_seconds},
    {"process_threads", "gauge", "Number of OS threads in the process.", &ProcessSample::threads},
}};

}  // namespace

std::optional<ProcStat> parse_proc_stat(std::string_view text) {
  const std::size_t close = text.rfind(')');
  if (close == std::string_view::npos || text.find('(') > close) return std::nullopt;
  const auto words = split_words(text.substr(close + 1));
  // words[0] is field 3 (state); field N is words[N - 3].
  constexpr std::size_t kRssField = 24;
  if (words.size() < kRssField - 2) return std::nullopt;
  const auto field = [&](std::size_t n) { return words[n - 3]; };
  const auto user = to_integer<std::uint64_t>(field(14));
  const auto system = to_integer<std::uint64_t>(field(15));
  const auto threads = to_integer<std::int64_t>(field(20));
  const auto start = to_integer<std::uint64_t>(field(22));
  const auto vsize = to_integer<std::uint64_t>(field(23));
  const auto rss = to_integer<std::int64_t>(field(kRssField));
  if (!user || !system || !threads || !start || !vsize || !rss) return std::nullopt;
  return ProcStat{*user, *system, *threads, *start, *vsize, *rss};
}

std::optional<double> parse_max_open_files(std::string_view limits) {
  std::string_view rest;
  if (!find_line(limits, "Max open files", rest)) return std::nullopt;
  const auto words = split_words(rest);
  if (words.empty()) return std::nullopt;
  if (words[0] == "unlimited") return std::numeric_limits<double>::infinity();
  const auto soft = to_integer<std::uint64_t>(words[0]);
  if (!soft) return std::nullopt;
  return static_cast<double>(*soft);
}

std::optional<std::uint64_t> parse_boot_time(std::string_view proc_stat) {
  std::string_view rest;
  if (!find_line(proc_stat, "btime ", rest)) return std::nullopt;
  const auto words = split_words(rest);
  if (words.size() != 1) return std::nullopt;
  return to_integer<std::uint64_t>(words[0]);
}

ProcessSample make_process_sample(const std::optional<ProcStat>& stat,
                                  std::optional<std::uint64_t> boot_time, long ticks_per_second,
                                  long page_bytes, std::optional<double> open_fds,
                                  std::optional<double> max_fds) {
  ProcessSample sample;
  sample.open_fds = open_fds;
  sample.max_fds = max_fds;
  if (!stat) return sample;
  sample.virtual_bytes = static_cast<double>(stat->virtual_bytes);
  sample.threads = static_cast<double>(stat->threads);
  if (page_bytes > 0) {
    sample.resident_bytes =
        static_cast<double>(stat->resident_pages) * static_cast<double>(page_bytes);
  }
  if (ticks_per_second > 0) {
    const auto ticks = static_cast<double>(ticks_per_second);
    sample.cpu_seconds = static_cast<double>(stat->user_ticks + stat->system_ticks) / ticks;
    if (boot_time) {
      sample.start_time_seconds =
          static_cast<double>(*boot_time) + static_cast<double>(stat->start_ticks) / ticks;
    }
  }
  return sample;
}

std::string render_process_metrics(const ProcessSample& sample) {
  std::string out;
  for (const auto& family : kProcessFamilies) {
    const auto& value = sample.*family.value;
    if (!value) continue;
    out += "# HELP ";
    out += family.name;
    out += ' ';
    out += family.help;
    out += "\n# TYPE ";
    out += family.name;
    out += ' ';
    out += family.type;
    out += '\n';
    out += family.name;
    out += ' ';
    append_number(*value, out);
    out += '\n';
  }
  return out;
}

ProcessSample read_process_sample() {
  std::optional<ProcStat> stat;
  if (const auto text = read_small_file("/proc/self/stat")) stat = parse_proc_stat(*text);
  std::optional<std::uint64_t> boot_time;
  if (const auto text = read_small_file("/proc/stat")) boot_time = parse_boot_time(*text);
  std::optional<double> max_fds;
  if (const auto text = read_small_file("/proc/self/limits")) {
    max_fds = parse_max_open_files(*text);
  }
  return make_process_sample(stat, boot_time, ::sysconf(_SC_CLK_TCK), ::sysconf(_SC_PAGESIZE),
                             count_open_fds(), max_fds);
}

}  // namespace lagwatch::metrics
