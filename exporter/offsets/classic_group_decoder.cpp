#include "offsets/internal/schema_reader.h"
#include "offsets/internal/value_decoders.h"

namespace lagwatch::offsets::detail {
namespace {

constexpr std::int16_t kFirstFlexibleVersion = 4;
constexpr std::int16_t kLastKnownVersion = 4;
constexpr std::int16_t kFirstVersionWithRebalanceTimeout = 1;
constexpr std::int16_t kFirstVersionWithStateTimestamp = 2;
constexpr std::int16_t kFirstVersionWithInstanceId = 3;

// Lower bounds of one encoded member (three strings, session timeout, two byte fields, and in
// flexible versions a tagged-field section), used to reject member counts the input cannot hold.
constexpr std::size_t kMinClassicMemberSize = 3 * 2 + 4 + 2 * 4;
constexpr std::size_t kMinFlexibleMemberSize = 3 * 1 + 4 + 2 * 1 + 1;

ClassicGroupMember read_member(SchemaReader& fields, std::int16_t version) {
  ByteReader& reader = fields.raw();
  ClassicGroupMember member;
  member.member_id = fields.string();
  if (version >= kFirstVersionWithInstanceId) member.group_instance_id = fields.nullable_string();
  member.client_id = fields.string();
  member.client_host = fields.string();
  if (version >= kFirstVersionWithRebalanceTimeout) {
    member.rebalance_timeout_ms = reader.read_int32();
  }
  member.session_timeout_ms = reader.read_int32();
  fields.skip_bytes();  // subscription
  fields.skip_bytes();  // assignment
  fields.skip_tagged_fields();
  return member;
}

}  // namespace

Record decode_classic_group(ByteReader& key, const OptionalBytes& value) {
  ClassicGroupMetadata record;
  record.group = key.read_string();
  if (key.failed()) return malformed("group metadata key", key);
  if (!value) {
    record.tombstone = true;
    return record;
  }

  ByteReader reader(*value);
  const std::int16_t version = reader.read_int16();
  if (reader.failed()) return malformed("group metadata value", reader);
  if (version < 0 || version > kLastKnownVersion) {
    return UnknownValueVersion{record_type::kClassicGroupMetadata, version};
  }

  SchemaReader fields(reader, version >= kFirstFlexibleVersion);
  record.value_version = version;
  record.protocol_type = fields.string();
  record.generation = reader.read_int32();
  record.protocol = fields.nullable_string();
  record.leader = fields.nullable_string();
  if (version >= kFirstVersionWithStateTimestamp) {
    record.current_state_timestamp_ms = reader.read_int64();
  }
  const std::size_t member_count =
      fields.array_count(fields.flexible() ? kMinFlexibleMemberSize : kMinClassicMemberSize);
  record.members.reserve(member_count);
  for (std::size_t i = 0; i < member_count && !reader.failed(); ++i) {
    record.members.push_back(read_member(fields, version));
  }
  fields.skip_tagged_fields();
  if (reader.failed()) return malformed("group metadata value", reader);
  return record;
}

}  // namespace lagwatch::offsets::detail
