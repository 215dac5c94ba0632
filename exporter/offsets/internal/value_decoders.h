#pragma once
// Per record type decoding, shared by record_decoder.cpp and the files that implement each type.
// Every function gets the key reader positioned after the record type and returns a full Record.

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "offsets/internal/byte_reader.h"
#include "offsets/records.h"

namespace lagwatch::offsets::detail {

using Bytes = std::span<const std::uint8_t>;
using OptionalBytes = std::optional<Bytes>;

Record decode_offset_commit(std::int16_t type, ByteReader& key, const OptionalBytes& value);
Record decode_classic_group(ByteReader& key, const OptionalBytes& value);
Record decode_consumer_group(ByteReader& key, const OptionalBytes& value);
Record decode_consumer_group_member(ByteReader& key, const OptionalBytes& value);
Record decode_consumer_group_target_assignment(ByteReader& key, const OptionalBytes& value);
Record decode_consumer_group_current_assignment(ByteReader& key, const OptionalBytes& value);

// Prefixes the reader's failure with what was being decoded, e.g. "offset commit key".
Malformed malformed(std::string_view what, const ByteReader& reader);

}  // namespace lagwatch::offsets::detail
