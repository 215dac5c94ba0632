#pragma once
// Keys of the per-poll state: watermark histories are per (topic, partition), shared by all
// groups; health is per (group, topic, partition).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

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

namespace detail {
// Boost's mixing constant; good enough to spread partitions of one topic across buckets.
inline std::size_t combine_hash(std::size_t seed, std::size_t value) {
  return seed ^ (value + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2));
}
}  // namespace detail

struct PartitionKeyHash {
  std::size_t operator()(const PartitionKey& key) const {
    return detail::combine_hash(std::hash<std::string>{}(key.topic),
                                std::hash<std::int32_t>{}(key.partition));
  }
};

struct GroupPartitionKeyHash {
  std::size_t operator()(const GroupPartitionKey& key) const {
    const std::size_t group_and_topic = detail::combine_hash(std::hash<std::string>{}(key.group),
                                                             std::hash<std::string>{}(key.topic));
    return detail::combine_hash(group_and_topic, std::hash<std::int32_t>{}(key.partition));
  }
};

}  // namespace lagwatch::lag
