#pragma once
// Keys of the per-poll state: watermark histories are per (topic, partition), shared by all
// groups; health is per (group, topic, partition).

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

struct GroupPartitionKey {
  std::string group;
  std::string topic;
  std::int32_t partition = 0;
  friend bool operator==(const GroupPartitionKey&, const GroupPartitionKey&) = default;
};

// Non-owning forms of the keys: a poll looks up every group-partition, and building an owning
// key for each lookup would allocate its strings every time.
struct PartitionKeyView {
  std::string_view topic;
  std::int32_t partition = 0;
  friend bool operator==(const PartitionKeyView&, const PartitionKeyView&) = default;
};

struct GroupPartitionKeyView {
  std::string_view group;
  std::string_view topic;
  std::int32_t partition = 0;
  friend bool operator==(const GroupPartitionKeyView&, const GroupPartitionKeyView&) = default;
};

inline PartitionKeyView view_of(const PartitionKey& key) { return {key.topic, key.partition}; }
inline PartitionKeyView view_of(const PartitionKeyView& key) { return key; }
inline GroupPartitionKeyView view_of(const GroupPartitionKey& key) {
  return {key.group, key.topic, key.partition};
}
inline GroupPartitionKeyView view_of(const GroupPartitionKeyView& key) { return key; }

inline PartitionKey owned(const PartitionKey& key) { return key; }
inline PartitionKey owned(const PartitionKeyView& key) {
  return {std::string(key.topic), key.partition};
}
inline GroupPartitionKey owned(const GroupPartitionKey& key) { return key; }
inline GroupPartitionKey owned(const GroupPartitionKeyView& key) {
  return {std::string(key.group), std::string(key.topic), key.partition};
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

struct GroupPartitionKeyHash {
  using is_transparent = void;
  template <typename K = GroupPartitionKey>
  std::size_t operator()(const K& key) const {
    const GroupPartitionKeyView v = view_of(key);
    const std::size_t group_and_topic = detail::combine_hash(
        std::hash<std::string_view>{}(v.group), std::hash<std::string_view>{}(v.topic));
    return detail::combine_hash(group_and_topic, std::hash<std::int32_t>{}(v.partition));
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
