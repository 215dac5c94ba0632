#pragma once
// Small glue between the hand-built byte vectors and the decoder's span-based API.

#include <optional>
#include <string>
#include <variant>

#include "byte_builder.h"
#include "offsets/record_decoder.h"

namespace lagwatch::offsets::testing {

inline Record decode(const ByteVector& key, const std::optional<ByteVector>& value) {
  if (!value) return decode_record(key, std::nullopt);
  return decode_record(key, std::span<const std::uint8_t>(*value));
}

// Names the alternative a record holds, with the reason for Malformed, for failure messages.
inline std::string describe(const Record& record) {
  if (const auto* malformed = std::get_if<Malformed>(&record)) {
    return "Malformed: " + malformed->reason;
  }
  if (const auto* unknown = std::get_if<UnknownRecordType>(&record)) {
    return "UnknownRecordType " + std::to_string(unknown->type);
  }
  if (const auto* unknown = std::get_if<UnknownValueVersion>(&record)) {
    return "UnknownValueVersion type " + std::to_string(unknown->type) + " version " +
           std::to_string(unknown->version);
  }
  return "alternative #" + std::to_string(record.index());
}

}  // namespace lagwatch::offsets::testing
