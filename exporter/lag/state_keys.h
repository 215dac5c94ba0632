#pragma once
// Keys of the per-poll state kept by partition: watermark histories are per (topic, partition),
// shared by all groups. (Health windows live in each group's own data: poll/cycle_state.h.)

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace lagwatch::lag {

struct PartitionKey {
  std::string topic;
  std::int32_t partition = 0;
  friend bool operator==(const PartitionKey&, const PartitionKey&) = default;
};

// The non-owning form of the key: building an owning key for every lookup would allocate its
// string every time.
struct PartitionKeyView {
  std::string_view topic;
  std::int32_t partition = 0;
  friend bool operator==(const PartitionKeyView&, const PartitionKeyView&) = default;
};

inline PartitionKeyView view_of(const PartitionKey& key) { return {key.topic, key.partition}; }
inline PartitionKeyView view_of(const PartitionKeyView& key) { return key; }

inline PartitionKey owned(const PartitionKey& key) { return key; }
inline PartitionKey owned(const PartitionKeyView& key) {
  return {std::string(key.topic), key.partition};
}

namespace detail {
// Boost's mixing constant; good enough to spread partitions of one topic across buckets.
inline std::size_t combine_hash(std::size_t seed, std::size_t value) {
  return seed ^ (value + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2));
}
}  // namespace detail

// Hash and equality accept owning keys and views alike (heterogeneous lookup).
struct PartitionKeyHash {
  using is_transparent = void;
  template <typename K = PartitionKey>
  std::size_t operator()(const K& key) const {
    const PartitionKeyView v = view_of(key);
    return detail::combine_hash(std::hash<std::string_view>{}(v.topic),
                                std::hash<std::int32_t>{}(v.partition));
  }
};

struct KeyEqual {
  using is_transparent = void;
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const {
    return view_of(a) == view_of(b);
  }
};

}  // namespace lagwatch::lag
