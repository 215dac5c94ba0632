#pragma once
// Encoded `__consumer_offsets` records shaped like a busy cluster's: offset commits (key type 1,
// value v3, as brokers write them) from many groups, with a classic group metadata record
// (value v3, two members) every so often.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace lagwatch::bench {

struct EncodedRecord {
  std::vector<std::uint8_t> key;
  std::optional<std::vector<std::uint8_t>> value;  // nullopt: tombstone
};

struct SyntheticMix {
  std::size_t groups = 1000;
  std::size_t partitions_per_group = 8;
  std::size_t records = 100000;
  std::size_t commits_per_generation = 50;  // one group metadata record per this many commits
};

std::vector<EncodedRecord> synthetic_records(const SyntheticMix& mix);

}  // namespace lagwatch::bench
