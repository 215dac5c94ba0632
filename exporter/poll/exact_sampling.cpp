// Exact lag in seconds: which record timestamps to read this cycle, and what was read. A
// record's timestamp never changes, so each (partition, committed offset) is read once and
// cached while some group sits at that offset.

#include <set>

#include "poll/cycle_state.h"

namespace lagwatch::poll {

std::vector<kafka::SampleRequest> CycleState::exact_requests(size_t limit) {
  std::vector<kafka::SampleRequest> wanted;
  std::set<RecordKey> seen;
  for (const auto& [name, data] : groups_) {
    if (!cluster_.exact_groups.allow_patterns().empty() && !cluster_.exact_groups.matches(name)) {
      continue;
    }
    for (const auto& o : data.offsets) {
      auto w = watermarks_.find(kafka::TopicPartition{o.topic, o.partition});
      // Only records that exist: behind the log end, not yet deleted by retention.
      if (w == watermarks_.end() || o.offset >= w->second.high || o.offset < w->second.low) {
        continue;
      }
      RecordKey key{o.topic, o.partition, o.offset};
      if (record_times_.contains(key) || !seen.insert(key).second) continue;
      wanted.push_back(kafka::SampleRequest{o.topic, o.partition, o.offset});
    }
  }
  if (wanted.size() <= limit) return wanted;
  // Round-robin: start where the last cycle's share ended.
  std::vector<kafka::SampleRequest> chosen;
  chosen.reserve(limit);
  const size_t start = exact_cursor_ % wanted.size();
  for (size_t i = 0; i < limit; ++i) chosen.push_back(wanted[(start + i) % wanted.size()]);
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
