#include "log/log.h"

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>

namespace lagwatch::log {

namespace {
std::atomic<Level> min_level{Level::kInfo};
std::atomic<Format> line_format{Format::kLogfmt};
std::mutex write_mutex;
std::FILE* output = nullptr;  // guarded by write_mutex; nullptr means stderr
}  // namespace

void set_min_level(Level level) { min_level = level; }

void set_format(Format format) { line_format = format; }

void set_output(std::FILE* stream) {
  std::lock_guard lock(write_mutex);
  output = stream;
}

bool enabled(Level level) { return level >= min_level.load(std::memory_order_relaxed); }

void write(Level level, std::string_view message, std::initializer_list<Field> fields) {
  if (!enabled(level)) return;
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  const std::string line =
      format_line(line_format.load(std::memory_order_relaxed), format_timestamp(millis), level,
                  message, std::span<const Field>(fields.begin(), fields.size()));
  // One fwrite per event, under the lock: lines of concurrent events never interleave.
  std::lock_guard lock(write_mutex);
  std::FILE* stream = output != nullptr ? output : stderr;
  std::fwrite(line.data(), 1, line.size(), stream);
  std::fflush(stream);
}

}  // namespace lagwatch::log
