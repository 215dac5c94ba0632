#include "offsets/record_decoder.h"

#include "offsets/internal/byte_reader.h"
#include "offsets/internal/value_decoders.h"

namespace lagwatch::offsets {
namespace detail {

Malformed malformed(std::string_view what, const ByteReader& reader) {
  return Malformed{std::string(what) + ": " + reader.failure()};
}

}  // namespace detail

namespace {

// Every key we know starts with the group id, so types without a decoder still name their group.
Record known_but_ignored(std::int16_t type, ByteReader& key, const detail::OptionalBytes& value) {
  KnownButIgnored record{.type = type, .group = key.read_string(), .tombstone = !value};
  if (key.failed()) return detail::malformed("record key", key);
  return record;
}

}  // namespace

Record decode_record(std::span<const std::uint8_t> key,
                     std::optional<std::span<const std::uint8_t>> value) {
  ByteReader key_reader(key);
  const std::int16_t type = key_reader.read_int16();
  if (key_reader.failed()) return detail::malformed("record key", key_reader);

  switch (type) {
    case record_type::kLegacyOffsetCommit:
    case record_type::kOffsetCommit:
      return detail::decode_offset_commit(type, key_reader, value);
    case record_type::kClassicGroupMetadata:
      return detail::decode_classic_group(key_reader, value);
    case record_type::kConsumerGroupMetadata:
      return detail::decode_consumer_group(key_reader, value);
    case record_type::kConsumerGroupMemberMetadata:
      return detail::decode_consumer_group_member(key_reader, value);
    case record_type::kConsumerGroupTargetAssignmentMetadata:
      return detail::decode_consumer_group_target_assignment(key_reader, value);
    case record_type::kConsumerGroupCurrentMemberAssignment:
      return detail::decode_consumer_group_current_assignment(key_reader, value);
    default:
      break;
  }
  if (type < 0 || type > record_type::kLastKnown) return UnknownRecordType{type};
  return known_but_ignored(type, key_reader, value);
}

}  // namespace lagwatch::offsets
