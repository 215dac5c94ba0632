// KIP-848 per-member records: member metadata (type 5) and current member assignment (type 8).
// Their values exist in version 0 only, which is flexible.
#include "offsets/internal/schema_reader.h"
#include "offsets/internal/value_decoders.h"

namespace lagwatch::offsets::detail {
namespace {

constexpr std::int16_t kOnlyKnownVersion = 0;
constexpr std::size_t kUuidSize = 16;
constexpr std::size_t kPartitionIndexSize = 4;
// A topic's partitions entry: topic id, partitions array length, tagged-field count.
constexpr std::size_t kMinTopicPartitionsSize = kUuidSize + 1 + 1;
constexpr std::size_t kMinCompactStringSize = 1;

// Walks an array of {topic id, partitions, tagged fields} and returns how many partitions it
// lists, without storing them.
std::size_t count_topic_partitions(ByteReader& reader) {
  std::size_t partitions = 0;
  const std::size_t topics = reader.read_compact_array_count(kMinTopicPartitionsSize);
  for (std::size_t i = 0; i < topics && !reader.failed(); ++i) {
    reader.skip(kUuidSize);
    const std::size_t count = reader.read_compact_array_count(kPartitionIndexSize);
    reader.skip(count * kPartitionIndexSize);
    reader.skip_tagged_fields();
    if (!reader.failed()) partitions += count;
  }
  return partitions;
}

}  // namespace

Record decode_consumer_group_member(ByteReader& key, const OptionalBytes& value) {
  constexpr std::string_view kWhat = "consumer group member metadata";
  ConsumerGroupMemberMetadata record;
  record.group = key.read_string();
  record.member_id = key.read_string();
  if (key.failed()) return malformed(kWhat, key);
  if (!value) {
    record.tombstone = true;
    return record;
  }

  ByteReader reader(*value);
  const std::int16_t version = reader.read_int16();
  if (reader.failed()) return malformed(kWhat, reader);
  if (version != kOnlyKnownVersion) {
    return UnknownValueVersion{record_type::kConsumerGroupMemberMetadata, version};
  }
  SchemaReader fields(reader, true);
  record.instance_id = fields.nullable_string();
  record.rack_id = fields.nullable_string();
  record.client_id = fields.string();
  record.client_host = fields.string();
  const std::size_t topic_count = fields.array_count(kMinCompactStringSize);
  record.subscribed_topic_names.reserve(topic_count);
  for (std::size_t i = 0; i < topic_count && !reader.failed(); ++i) {
    record.subscribed_topic_names.push_back(fields.string());
  }
  record.subscribed_topic_regex = fields.nullable_string();
  record.rebalance_timeout_ms = reader.read_int32();
  record.server_assignor = fields.nullable_string();
  fields.skip_tagged_fields();  // carries the classic-protocol member metadata, not needed here
  if (reader.failed()) return malformed(kWhat, reader);
  return record;
}

Record decode_consumer_group_current_assignment(ByteReader& key, const OptionalBytes& value) {
  constexpr std::string_view kWhat = "current member assignment";
  ConsumerGroupCurrentMemberAssignment record;
  record.group = key.read_string();
  record.member_id = key.read_string();
  if (key.failed()) return malformed(kWhat, key);
  if (!value) {
    record.tombstone = true;
    return record;
  }

  ByteReader reader(*value);
  const std::int16_t version = reader.read_int16();
  if (reader.failed()) return malformed(kWhat, reader);
  if (version != kOnlyKnownVersion) {
    return UnknownValueVersion{record_type::kConsumerGroupCurrentMemberAssignment, version};
  }
  record.member_epoch = reader.read_int32();
  record.previous_member_epoch = reader.read_int32();
  record.state = reader.read_int8();
  record.assigned_partitions = count_topic_partitions(reader);
  record.partitions_pending_revocation = count_topic_partitions(reader);
  reader.skip_tagged_fields();
  if (reader.failed()) return malformed(kWhat, reader);
  return record;
}

}  // namespace lagwatch::offsets::detail
