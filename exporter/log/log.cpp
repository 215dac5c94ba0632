#include "log/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <string>

namespace lagwatch::log {

namespace {
std::atomic<Level> min_level{Level::kInfo};
std::mutex write_mutex;

const char* level_name(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "info";
}
}  // namespace

void set_min_level(Level level) { min_level = level; }

void write(Level level, std::string_view message) {
  if (level < min_level.load()) return;
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
  std::lock_guard lock(write_mutex);
  std::fprintf(stderr, "ts=%s.%03dZ level=%s msg=\"%.*s\"\n", stamp, static_cast<int>(millis),
               level_name(level), static_cast<int>(message.size()), message.data());
  std::fflush(stderr);
}

}  // namespace lagwatch::log
