#include "offsets/internal/schema_reader.h"
#include "offsets/internal/value_decoders.h"

namespace lagwatch::offsets::detail {
namespace {

constexpr std::int16_t kFirstFlexibleVersion = 4;
constexpr std::int16_t kLastKnownVersion = 4;
constexpr std::int16_t kFirstVersionWithLeaderEpoch = 3;
constexpr std::int16_t kOnlyVersionWithExpireTimestamp = 1;

}  // namespace

Record decode_offset_commit(std::int16_t type, ByteReader& key, const OptionalBytes& value) {
  OffsetCommit record;
  record.group = key.read_string();
  record.topic = key.read_string();
  record.partition = key.read_int32();
  if (key.failed()) return malformed("offset commit key", key);
  if (!value) return record;

  ByteReader reader(*value);
  const std::int16_t version = reader.read_int16();
  if (reader.failed()) return malformed("offset commit value", reader);
  if (version < 0 || version > kLastKnownVersion) return UnknownValueVersion{type, version};

  SchemaReader fields(reader, version >= kFirstFlexibleVersion);
  record.value_version = version;
  const std::int64_t offset = reader.read_int64();
  if (version >= kFirstVersionWithLeaderEpoch) record.leader_epoch = reader.read_int32();
  record.metadata = fields.string();
  record.commit_timestamp_ms = reader.read_int64();
  if (version == kOnlyVersionWithExpireTimestamp) record.expire_timestamp_ms = reader.read_int64();
  fields.skip_tagged_fields();
  if (reader.failed()) return malformed("offset commit value", reader);
  record.offset = offset;
  return record;
}

}  // namespace lagwatch::offsets::detail
