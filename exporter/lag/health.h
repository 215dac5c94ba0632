#pragma once
// Per-partition consumer health from a sliding window of poll observations. Burrow's rules are the
// starting point; the differences fix its known false alarms:
//
// - Caught up is never an alarm: when the newest lag is 0 the verdict is OK, however long the
//   group has not committed (Burrow raised STOP for consumers with nothing to read).
// - Nothing but OK until the window is full: at least `window_size` observations spanning at
//   least `min_span`. Observations closer together than min_span / (window_size - 1) overwrite
//   the newest slot, so fast polling cannot shrink the window's time span; the oldest is dropped
//   only while the rest stays full, so at most window_size + 1 observations are kept and a full
//   window stays full.
// - Persistence: STALL, STOP and WARN need lag > 0 in every observation of the window, so a
//   low-traffic topic whose lag flickers between 0 and a few messages never flaps.
// - WARN means the lag really grows: non-decreasing over the window and up by more than the
//   jitter of a consumer that keeps up (kJitterMessages, or the largest commit step in the
//   window: one commit's worth of messages). A consumer whose lag stays within its commit batch
//   is OK whatever the window size and however the polls fall between its commits.
// - Lag is observed every poll, not only when a commit arrives.
// - STOP is measured on the time the committed offset has not moved (or, when the commit timestamp
//   from __consumer_offsets is known, the time since the last commit), and needs that time to be
//   at least max(stop_after, 2 x window span): a stall has to have lasted a full window again
//   before it is called a stop. Without commit timestamps STOP and STALL differ only by duration
//   (STALL always comes first); with them, a consumer that keeps re-committing the same offset
//   stays STALL (alive but stuck) and one known to have gone silent long ago is STOP at once.
// - REWIND lasts until the committed offset is back at the highest value it had before moving
//   back, not only while the rewind is inside the window.
// - A high watermark below the previous one means the log was replaced (topic re-created): the
//   window and the rewind memory start again, so the consumer's reset to 0 is not a REWIND.
//
// When several rules apply the worst one wins (see severity_rank). ERR is never produced here.
//
// Defaults, for the default 15 s poll: 10 observations spanning >= 2 minutes (9 x 15 s = 135 s),
// STOP after 5 minutes without progress.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "lag/health_status.h"
#include "lag/time_point.h"

namespace lagwatch::lag {

// Lag growth of at most this many messages over a window is jitter, never WARN.
inline constexpr std::int64_t kJitterMessages = 5;

struct HealthPolicy {
  std::size_t window_size = 10;  // observations judged at once; raised to 2 if smaller
  std::chrono::seconds min_span{120};
  std::chrono::seconds stop_after{300};
};

// One per poll for a (group, topic, partition) on which the group has a committed offset.
struct HealthObservation {
  TimePoint time;
  std::int64_t committed_offset = 0;
  std::int64_t high_watermark = 0;
  std::int64_t lag = 0;  // messages, as exported: max(0, high watermark - committed)
  // Timestamp of the latest commit, when read from __consumer_offsets.
  std::optional<TimePoint> commit_time;
};

enum class HealthReason {
  kWindowNotFull,     // OK: not enough observations or time span yet
  kCaughtUp,          // OK: newest lag is 0
  kProgressing,       // OK: behind, but not stuck and lag not growing
  kLagGrowing,        // WARN
  kNoProgress,        // STALL
  kNoCommitActivity,  // STOP
  kRewound,           // REWIND
  kUnreadable,        // ERR, assigned by the poller
};

std::string_view to_string(HealthReason reason);

struct HealthVerdict {
  HealthStatus status = HealthStatus::kOk;
  HealthReason reason = HealthReason::kWindowNotFull;
  friend bool operator==(const HealthVerdict&, const HealthVerdict&) = default;
};

enum class ObserveResult {
  kStored,             // appended to the window (the oldest may have been dropped)
  kReplacedNewest,     // too close to the previous one: overwrote the newest slot
  kRestarted,          // high watermark went back: state cleared, window restarted with this one
  kRejectedStaleTime,  // time not after the newest observation: ignored
};

class PartitionHealth {
 public:
  explicit PartitionHealth(HealthPolicy policy = {});

  ObserveResult observe(const HealthObservation& observation);
  HealthVerdict evaluate(TimePoint now) const;
  void reset();

  // Oldest first; the last element is always the newest observation.
  std::span<const HealthObservation> window() const { return window_; }
  bool window_full() const;
  const HealthPolicy& policy() const { return policy_; }

 private:
  bool lag_in_every_observation() const;
  bool committed_never_moved() const;
  bool lag_grew_at_every_step() const;
  std::int64_t jitter_allowance() const;
  HealthVerdict stall_or_stop(TimePoint now) const;
  void track_commit_progress(const HealthObservation& observation);
  ObserveResult store(const HealthObservation& observation);

  HealthPolicy policy_;
  TimePoint::duration min_spacing_;
  std::vector<HealthObservation> window_;
  // First time the current committed offset was seen (all observations, not only stored ones).
  TimePoint committed_since_{};
  // Highest committed offset before an unrecovered backward move.
  std::optional<std::int64_t> rewind_target_;
};

}  // namespace lagwatch::lag
