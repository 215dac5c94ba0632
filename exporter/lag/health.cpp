#include "lag/health.h"

#include <algorithm>

namespace lagwatch::lag {
namespace {

HealthVerdict worse_verdict(const HealthVerdict& a, const HealthVerdict& b) {
  return severity_rank(b.status) > severity_rank(a.status) ? b : a;
}

HealthPolicy normalized(HealthPolicy policy) {
  policy.window_size = std::max<std::size_t>(policy.window_size, 2);
  policy.min_span = std::max(policy.min_span, std::chrono::seconds{0});
  policy.stop_after = std::max(policy.stop_after, std::chrono::seconds{0});
  return policy;
}

// Rounded up so that window_size - 1 closed gaps always add up to at least min_span.
TimePoint::duration spacing_for(const HealthPolicy& policy) {
  const auto span = std::chrono::duration_cast<TimePoint::duration>(policy.min_span).count();
  const auto gaps = static_cast<TimePoint::duration::rep>(policy.window_size - 1);
  return TimePoint::duration{(span + gaps - 1) / gaps};
}

}  // namespace

std::string_view to_string(HealthReason reason) {
  switch (reason) {
    case HealthReason::kWindowNotFull:
      return "window_not_full";
    case HealthReason::kCaughtUp:
      return "caught_up";
    case HealthReason::kProgressing:
      return "progressing";
    case HealthReason::kLagGrowing:
      return "lag_growing";
    case HealthReason::kNoProgress:
      return "no_progress";
    case HealthReason::kNoCommitActivity:
      return "no_commit_activity";
    case HealthReason::kRewound:
      return "rewound";
    case HealthReason::kUnreadable:
      return "unreadable";
  }
  return "unknown";
}

PartitionHealth::PartitionHealth(HealthPolicy policy)
    : policy_(normalized(policy)), min_spacing_(spacing_for(policy_)) {}

void PartitionHealth::reset() {
  window_.clear();
  committed_since_ = {};
  rewind_target_.reset();
}

ObserveResult PartitionHealth::observe(const HealthObservation& observation) {
  if (!window_.empty() && observation.time <= window_.back().time) {
    return ObserveResult::kRejectedStaleTime;
  }
  // Reserved on first use rather than in the constructor: copies of an empty prototype (see
  // keyed_states.h) do not keep capacity. The window momentarily holds window_size + 2 entries
  // (append before drop); reserving that avoids geometric over-allocation.
  if (window_.capacity() < policy_.window_size + 2) window_.reserve(policy_.window_size + 2);
  if (!window_.empty() && observation.high_watermark < window_.back().high_watermark) {
    reset();
    track_commit_progress(observation);
    window_.push_back(observation);
    return ObserveResult::kRestarted;
  }
  track_commit_progress(observation);
  return store(observation);
}

void PartitionHealth::track_commit_progress(const HealthObservation& observation) {
  if (window_.empty()) {
    committed_since_ = observation.time;
    return;
  }
  const std::int64_t previous = window_.back().committed_offset;
  if (observation.committed_offset == previous) return;
  committed_since_ = observation.time;
  if (observation.committed_offset < previous) {
    // A second rewind during the first must still be measured against the original position.
    rewind_target_ = std::max(rewind_target_.value_or(previous), previous);
  } else if (rewind_target_ && observation.committed_offset >= *rewind_target_) {
    rewind_target_.reset();
  }
}

ObserveResult PartitionHealth::store(const HealthObservation& observation) {
  const std::size_t n = window_.size();
  // The newest slot stays open (overwritten) until it is min_spacing_ after the one before it,
  // so every closed gap in the window is at least min_spacing_ long.
  ObserveResult result = ObserveResult::kStored;
  if (n >= 2 && window_[n - 1].time - window_[n - 2].time < min_spacing_) {
    window_.back() = observation;
    result = ObserveResult::kReplacedNewest;
  } else {
    window_.push_back(observation);
  }
  // Drop the oldest only while what remains is still full. Dropping down to exactly window_size
  // entries right after a new (open) slot was appended would leave one closed gap too few and
  // make a full window flicker back to "not full" under fast polling. Any window_size + 1
  // newest entries hold window_size - 1 closed gaps, hence span >= min_span: the size never
  // exceeds window_size + 1, and the hard cap only guards that argument.
  while (window_.size() > policy_.window_size &&
         (window_.size() > policy_.window_size + 1 ||
          window_.back().time - window_[1].time >= policy_.min_span)) {
    window_.erase(window_.begin());
  }
  return result;
}

bool PartitionHealth::window_full() const {
  return window_.size() >= policy_.window_size &&
         window_.back().time - window_.front().time >= policy_.min_span;
}

bool PartitionHealth::lag_in_every_observation() const {
  return std::all_of(window_.begin(), window_.end(),
                     [](const HealthObservation& o) { return o.lag > 0; });
}

bool PartitionHealth::committed_never_moved() const {
  const std::int64_t first = window_.front().committed_offset;
  return std::all_of(window_.begin(), window_.end(),
                     [first](const HealthObservation& o) { return o.committed_offset == first; });
}

std::int64_t PartitionHealth::jitter_allowance() const {
  // A consumer that keeps up leaves a lag of up to one commit's worth of messages, rising and
  // falling with its commits; the largest step of the committed offset in the window is that
  // batch. A few messages are tolerated on a trickle, whatever the steps.
  std::int64_t largest_step = 0;
  for (std::size_t i = 1; i < window_.size(); ++i) {
    largest_step =
        std::max(largest_step, window_[i].committed_offset - window_[i - 1].committed_offset);
  }
  return std::max(kJitterMessages, largest_step);
}

bool PartitionHealth::lag_grew_at_every_step() const {
  // Non-decreasing at every step and higher at the end than at the start: a constant backlog
  // that the consumer keeps pace with is not growing (Burrow warned on it). The rise has to be
  // more than the jitter of a consumer that keeps up, so a lag that stays within one commit
  // batch never warns, however its polls line up with the commits.
  const auto decreases = std::adjacent_find(
      window_.begin(), window_.end(),
      [](const HealthObservation& a, const HealthObservation& b) { return b.lag < a.lag; });
  return decreases == window_.end() &&
         window_.back().lag - window_.front().lag > jitter_allowance();
}

HealthVerdict PartitionHealth::stall_or_stop(TimePoint now) const {
  const HealthObservation& newest = window_.back();
  const TimePoint last_activity = newest.commit_time.value_or(committed_since_);
  const auto span = window_.back().time - window_.front().time;
  const auto stop_threshold =
      std::max(std::chrono::duration_cast<TimePoint::duration>(policy_.stop_after), 2 * span);
  if (now - last_activity >= stop_threshold) {
    return {HealthStatus::kStop, HealthReason::kNoCommitActivity};
  }
  return {HealthStatus::kStall, HealthReason::kNoProgress};
}

HealthVerdict PartitionHealth::evaluate(TimePoint now) const {
  if (!window_full()) return {HealthStatus::kOk, HealthReason::kWindowNotFull};
  if (window_.back().lag <= 0) return {HealthStatus::kOk, HealthReason::kCaughtUp};

  HealthVerdict verdict{HealthStatus::kOk, HealthReason::kProgressing};
  if (rewind_target_) {
    verdict = worse_verdict(verdict, {HealthStatus::kRewind, HealthReason::kRewound});
  }
  if (lag_in_every_observation()) {
    if (committed_never_moved()) {
      verdict = worse_verdict(verdict, stall_or_stop(now));
    } else if (lag_grew_at_every_step()) {
      verdict = worse_verdict(verdict, {HealthStatus::kWarn, HealthReason::kLagGrowing});
    }
  }
  return verdict;
}

}  // namespace lagwatch::lag
