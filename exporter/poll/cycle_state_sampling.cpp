// Lag in seconds from record timestamps: which to read this cycle, and what was read. Exact
// groups want every committed offset's record; in estimate mode, groups want those older than
// the watermark history (which would otherwise stay a lower bound). A record's timestamp never
// changes, so each (partition, committed offset) is read once and cached while some group sits
// at that offset.

#include <algorithm>
#include <set>

#include "poll/cycle_state.h"

namespace lagwatch::poll {

bool CycleState::history_reaches(const kafka::CommittedOffset& o) const {
  const auto* history = histories_.find(lag::PartitionKeyView{o.topic, o.partition});
  return history != nullptr && !history->empty() && history->points().front().offset <= o.offset;
}

std::vector<kafka::SampleRequest> CycleState::exact_requests(size_t limit) {
  struct Candidate {
    kafka::SampleRequest request;
    int64_t lag = 0;
  };
  std::vector<Candidate> wanted;
  std::set<RecordKey> seen;
  const bool estimate_mode = cluster_.lag_seconds_mode == config::LagSecondsMode::kEstimate;
  for (const auto& [name, data] : groups_) {
    const bool exact_group = is_exact_group(name);
    // Exact mode reads only for exact_groups: the list is how users bound the reads.
    if (!exact_group && !estimate_mode) continue;
    for (const auto& o : data.offsets) {
      auto w = watermarks_.find(kafka::TopicPartition{o.topic, o.partition});
      // Only records that exist: behind the log end, not yet deleted by retention.
      if (w == watermarks_.end() || o.offset >= w->second.high || o.offset < w->second.low) {
        continue;
      }
      // Estimated groups: only where the history cannot date the offset (a lower bound).
      if (!exact_group && history_reaches(o)) continue;
      if (record_times_.contains(RecordKeyView{o.topic, o.partition, o.offset})) continue;
      RecordKey key{o.topic, o.partition, o.offset};
      if (!seen.insert(key).second) continue;
      wanted.push_back(
          {kafka::SampleRequest{o.topic, o.partition, o.offset}, w->second.high - o.offset});
    }
  }
  // Largest lags first: right after a start they are read in the first cycles.
  std::stable_sort(wanted.begin(), wanted.end(),
                   [](const Candidate& a, const Candidate& b) { return a.lag > b.lag; });
  std::vector<kafka::SampleRequest> chosen;
  if (wanted.size() <= limit) {
    for (auto& c : wanted) chosen.push_back(std::move(c.request));
    return chosen;
  }
  // Round-robin over that order: start where the last cycle's share ended, so reads that keep
  // failing cannot starve the rest.
  chosen.reserve(limit);
  const size_t start = exact_cursor_ % wanted.size();
  for (size_t i = 0; i < limit; ++i) chosen.push_back(wanted[(start + i) % wanted.size()].request);
  exact_cursor_ = start + limit;
  return chosen;
}

void CycleState::absorb_samples(const std::vector<kafka::Sample>& samples, StageCount& stage) {
  for (const auto& sample : samples) {
    stage.attempts += 1;
    RecordKey key{sample.topic, sample.partition, sample.requested_offset};
    switch (sample.outcome) {
      case kafka::Sample::Outcome::kTimestamp:
      case kafka::Sample::Outcome::kNotExact:
        // The first record at or after the committed offset is the next one the group will
        // read, also where compaction removed the one at the offset itself or it is a
        // transaction marker: its timestamp is the lag's.
        record_times_[key] = RecordTime{sample.timestamp_ms, true, true};
        break;
      case kafka::Sample::Outcome::kOffsetOutOfRange:
        // Deleted: the estimate stands in, and the record is not asked for again while the
        // group stays at this offset.
        record_times_[key] = RecordTime{-1, false, true};
        break;
      case kafka::Sample::Outcome::kNoRecord:
        break;  // at the log end: lag is 0, nothing to cache
      case kafka::Sample::Outcome::kTimedOut:
      case kafka::Sample::Outcome::kError:
        stage.failures += 1;  // asked again next cycle
        break;
    }
  }
}

}  // namespace lagwatch::poll
