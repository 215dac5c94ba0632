#pragma once
// Builders shared by the health tests: polls written as (time, committed, high watermark) rows.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <ostream>
#include <vector>

#include "lag/health.h"

namespace lagwatch::lag {

inline void PrintTo(const HealthVerdict& verdict, std::ostream* os) {
  *os << to_label(verdict.status) << " (" << to_string(verdict.reason) << ")";
}

namespace test_support {

inline TimePoint at(double unix_seconds) { return from_unix_seconds(unix_seconds); }

struct Poll {
  double time;
  std::int64_t committed;
  std::int64_t high_watermark;
  std::optional<double> commit_time = std::nullopt;
};

inline HealthObservation observation_of(const Poll& poll) {
  HealthObservation o;
  o.time = at(poll.time);
  o.committed_offset = poll.committed;
  o.high_watermark = poll.high_watermark;
  o.lag = std::max<std::int64_t>(0, poll.high_watermark - poll.committed);
  if (poll.commit_time) o.commit_time = at(*poll.commit_time);
  return o;
}

// `count` polls every `interval` seconds from `start`, offsets moving linearly.
inline std::vector<Poll> linear(int count, double start, double interval, std::int64_t committed,
                                std::int64_t committed_step, std::int64_t high_watermark,
                                std::int64_t high_watermark_step) {
  std::vector<Poll> polls;
  for (int i = 0; i < count; ++i) {
    polls.push_back({start + interval * i, committed + committed_step * i,
                     high_watermark + high_watermark_step * i});
  }
  return polls;
}

inline std::vector<Poll> concat(std::vector<Poll> a, const std::vector<Poll>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

inline std::vector<Poll> with_commit_times(std::vector<Poll> polls, std::optional<double> fixed) {
  for (Poll& p : polls) p.commit_time = fixed ? *fixed : p.time;
  return polls;
}

// Window of 5 observations spanning >= 40 s; polls every 10 s fill it exactly. STOP after 100 s
// without progress (2 x window span = 80 s is below that).
inline const HealthPolicy kPolicy{5, std::chrono::seconds{40}, std::chrono::seconds{100}};

}  // namespace test_support
}  // namespace lagwatch::lag
