#pragma once
// Decides when the cold-start replay of `__consumer_offsets` is over: every partition has been
// read up to the high watermark it had when the reader started. Pure and header-only so that the
// rule is unit-tested without a broker.
//
// A partition counts as read once a record at or past `target - 1` arrives, or once the client
// reports the end of the partition: the last offsets before the watermark may be transaction
// markers or compacted away and never arrive as records, and with read_committed the end can be
// the last stable offset, below the watermark while a transaction is open.

#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

namespace lagwatch::kafka {

// Where a partition's log ended at some moment (with read_committed: its last stable offset).
struct PartitionEnd {
  std::int32_t partition = 0;
  std::int64_t low = 0;
  std::int64_t end = 0;
};

// Records between each partition's next offset to read (`positions`, indexed by partition; a
// partition missing counts from its low watermark) and `ends`: 0 once the reader holds all that
// the topic held at that moment.
inline std::int64_t records_behind(const std::vector<PartitionEnd>& ends,
                                   const std::vector<std::int64_t>& positions) {
  std::int64_t total = 0;
  for (const PartitionEnd& partition : ends) {
    const auto index = static_cast<std::size_t>(partition.partition);
    std::int64_t at = index < positions.size() ? positions[index] : partition.low;
    if (at < partition.low) at = partition.low;
    if (partition.end > at) total += partition.end - at;
  }
  return total;
}

class OffsetsTopicProgress {
 public:
  // Registers a partition to read up to `high` (exclusive); nothing to wait for when high <= low.
  // Returns true when the partition is already read.
  bool expect(std::int32_t partition, std::int64_t low, std::int64_t high) {
    if (high <= low) {
      pending_.erase(partition);
      return true;
    }
    pending_[partition] = high;
    return false;
  }

  // A record at `offset` was consumed; returns true when this finished the partition.
  bool consumed(std::int32_t partition, std::int64_t offset) {
    auto it = pending_.find(partition);
    if (it == pending_.end() || offset + 1 < it->second) return false;
    pending_.erase(it);
    return true;
  }

  // The client reached the current end of the partition; returns true when this finished it.
  bool reached_end(std::int32_t partition) { return pending_.erase(partition) > 0; }

  bool is_pending(std::int32_t partition) const { return pending_.count(partition) > 0; }
  bool done() const { return pending_.empty(); }
  // Records still to read before the replay ends, given each partition's next offset to read
  // (indexed by partition; a partition missing from `positions` counts from 0).
  std::int64_t remaining(const std::vector<std::int64_t>& positions) const {
    std::int64_t total = 0;
    for (const auto& [partition, target] : pending_) {
      const auto index = static_cast<std::size_t>(partition);
      const std::int64_t at = index < positions.size() ? positions[index] : 0;
      if (target > at) total += target - at;
    }
    return total;
  }
  std::size_t pending() const { return pending_.size(); }

 private:
  std::map<std::int32_t, std::int64_t> pending_;  // partition -> watermark to reach
};

}  // namespace lagwatch::kafka
