// KIP-848 group-level records: group metadata (type 3) and target assignment metadata (type 6).
// Their values exist in version 0 only, which is flexible.
#include <variant>

#include "offsets/internal/value_decoders.h"

namespace lagwatch::offsets::detail {
namespace {

constexpr std::int16_t kOnlyKnownVersion = 0;

// Both values are one int32 epoch followed by tagged fields. Returns the epoch, or the Record
// that says why there is none.
std::variant<std::int32_t, Record> read_epoch_value(std::int16_t type, std::string_view what,
                                                    const Bytes& value) {
  ByteReader reader(value);
  const std::int16_t version = reader.read_int16();
  if (reader.failed()) return malformed(what, reader);
  if (version != kOnlyKnownVersion) return UnknownValueVersion{type, version};
  const std::int32_t epoch = reader.read_int32();
  reader.skip_tagged_fields();
  if (reader.failed()) return malformed(what, reader);
  return epoch;
}

template <typename GroupRecord>
Record decode_epoch_record(std::int16_t type, std::string_view what, ByteReader& key,
                           const OptionalBytes& value,
                           std::optional<std::int32_t> GroupRecord::*epoch) {
  GroupRecord record;
  record.group = key.read_string();
  if (key.failed()) return malformed(what, key);
  if (!value) return record;
  auto decoded = read_epoch_value(type, what, *value);
  if (auto* failure = std::get_if<Record>(&decoded)) return std::move(*failure);
  record.*epoch = std::get<std::int32_t>(decoded);
  return record;
}

}  // namespace

Record decode_consumer_group(ByteReader& key, const OptionalBytes& value) {
  return decode_epoch_record(record_type::kConsumerGroupMetadata, "consumer group metadata", key,
                             value, &ConsumerGroupMetadata::epoch);
}

Record decode_consumer_group_target_assignment(ByteReader& key, const OptionalBytes& value) {
  return decode_epoch_record(record_type::kConsumerGroupTargetAssignmentMetadata,
                             "target assignment metadata", key, value,
                             &ConsumerGroupTargetAssignmentMetadata::assignment_epoch);
}

}  // namespace lagwatch::offsets::detail
