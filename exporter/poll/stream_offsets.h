#pragma once
// Committed offsets from the `__consumer_offsets` reader instead of one OffsetFetch per group,
// and the verifier that keeps checking the two agree.
//
// The verifier fetches a few groups per poll with OffsetFetch (rotating through all groups) and
// compares each answer with the stream at two moments: S1, the stream served by the same poll
// (read before the fetch was sent), and S2, the stream of the next poll whose reader was synced
// to the topic's end (so it holds every commit written before the fetch was answered). A commit
// racing the fetch makes S1 and S2 differ; the fetched offset is then right if it lies between
// them. If they are equal, the fetched offset must equal them exactly.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kafka/types.h"
#include "offsets/group_state_tracker.h"

namespace lagwatch::poll {

// The __consumer_offsets partition whose coordinator owns `group`: Kafka's
// abs(String.hashCode()) % partitions, the hash over the name's UTF-16 code units (invalid UTF-8
// counts as U+FFFD, as Java decodes it). 0 when `partitions` <= 0.
std::int32_t coordinator_partition(std::string_view group, std::int32_t partitions);

// The group's live committed offsets as the stream holds them, in OffsetFetch's shape (no
// partition without a commit; negative offsets left out). `state` may be null: no commits.
kafka::GroupOffsets stream_offsets(std::string_view group, const offsets::TrackedGroup* state);

struct OffsetMismatch {
  std::string topic;
  std::int32_t partition = 0;
  std::optional<std::int64_t> fetched;  // nullopt: OffsetFetch had no commit there
  std::optional<std::int64_t> before;   // S1
  std::optional<std::int64_t> after;    // S2
};

// The partitions where `fetched` cannot be explained by the stream between `before` and `after`.
std::vector<OffsetMismatch> compare_offsets(const kafka::GroupOffsets& fetched,
                                            const kafka::GroupOffsets& before,
                                            const kafka::GroupOffsets& after);

class OffsetsVerifier {
 public:
  explicit OffsetsVerifier(std::size_t per_poll) : per_poll_(per_poll) {}

  // The groups to fetch this poll: the next `per_poll` of `groups` (sorted) after the last one
  // sampled, wrapping around.
  std::vector<std::string> sample(const std::vector<std::string>& groups);

  // Keeps this poll's fetched answers with the stream offsets served beside them (S1), until
  // the next synced poll settles them. Replaces anything still held.
  void hold(std::vector<kafka::GroupOffsets> fetched, std::vector<kafka::GroupOffsets> before);

  struct Outcome {
    std::size_t groups_checked = 0;
    std::vector<std::pair<std::string, OffsetMismatch>> mismatches;  // group, partition
  };
  // Compares what is held with the stream now (S2), given by `stream_now(group)` as an
  // optional (nullopt: the stream is not current for that group now; its check is dropped), and
  // forgets it.
  template <class StreamNow>
  Outcome settle(StreamNow&& stream_now) {
    Outcome outcome;
    for (std::size_t i = 0; i < fetched_.size(); ++i) {
      const std::optional<kafka::GroupOffsets> now = stream_now(fetched_[i].group);
      if (!now) continue;
      const kafka::GroupOffsets& after = *now;
      ++outcome.groups_checked;
      for (auto& mismatch : compare_offsets(fetched_[i], before_[i], after)) {
        outcome.mismatches.emplace_back(fetched_[i].group, std::move(mismatch));
      }
    }
    drop();
    return outcome;
  }
  // The stream could not be synced: what is held cannot be judged.
  void drop() {
    fetched_.clear();
    before_.clear();
  }
  bool holding() const { return !fetched_.empty(); }
  std::size_t per_poll() const { return per_poll_; }

 private:
  std::size_t per_poll_;
  std::string last_sampled_;
  std::vector<kafka::GroupOffsets> fetched_;
  std::vector<kafka::GroupOffsets> before_;
};

}  // namespace lagwatch::poll
