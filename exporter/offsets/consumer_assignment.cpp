#include "offsets/consumer_assignment.h"

#include "offsets/internal/byte_reader.h"

namespace lagwatch::offsets {
namespace {

// Smallest encodings: a topic is an int16 name length and an int32 partition count.
constexpr std::size_t kMinTopicBytes = 2 + 4;
constexpr std::size_t kPartitionBytes = 4;

}  // namespace

std::optional<std::vector<AssignedTopic>> decode_consumer_assignment(
    std::span<const std::uint8_t> bytes) {
  std::vector<AssignedTopic> out;
  if (bytes.empty()) return out;
  ByteReader reader(bytes);
  reader.read_int16();  // version: the fields read here are the same in all of them
  const std::size_t topics = reader.read_array_count(kMinTopicBytes);
  out.reserve(topics);
  for (std::size_t t = 0; t < topics && !reader.failed(); ++t) {
    AssignedTopic& topic = out.emplace_back();
    topic.topic = reader.read_string();
    if (topic.topic.empty()) reader.fail("empty topic name");
    const std::size_t partitions = reader.read_array_count(kPartitionBytes);
    topic.partitions.reserve(partitions);
    for (std::size_t p = 0; p < partitions && !reader.failed(); ++p) {
      const std::int32_t partition = reader.read_int32();
      if (partition < 0) reader.fail("negative partition");
      topic.partitions.push_back(partition);
    }
  }
  if (reader.failed()) return std::nullopt;
  return out;
}

}  // namespace lagwatch::offsets
