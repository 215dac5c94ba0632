#pragma once
// Kafka's consumer-protocol assignment: the bytes a classic group's leader hands each member
// (DescribeGroups' member_assignment). Read here, not in kafka/, because it is pure wire format
// that any broker reply can fill with garbage, and it is fuzzed with the other decoders.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace lagwatch::offsets {

struct AssignedTopic {
  std::string topic;
  std::vector<std::int32_t> partitions;
  friend bool operator==(const AssignedTopic&, const AssignedTopic&) = default;
};

// Every version so far starts with int16 version, then an array of topics with their int32
// partitions; what follows (user data, and later versions' fields) is ignored. Empty bytes are an
// empty assignment. nullopt when the bytes are malformed: truncated, a count the input cannot
// hold, an empty topic name or a negative partition.
std::optional<std::vector<AssignedTopic>> decode_consumer_assignment(
    std::span<const std::uint8_t> bytes);

}  // namespace lagwatch::offsets
