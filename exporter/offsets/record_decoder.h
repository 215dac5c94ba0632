#pragma once
// Decodes one `__consumer_offsets` record. Pure and total: any input, however broken, yields a
// Record (Malformed, UnknownRecordType or UnknownValueVersion for what cannot be used), never an
// exception, and allocates no more than the input's own size implies.

#include <cstdint>
#include <optional>
#include <span>

#include "offsets/records.h"

namespace lagwatch::offsets {

// `value` is nullopt for a tombstone (a record whose value is null).
Record decode_record(std::span<const std::uint8_t> key,
                     std::optional<std::span<const std::uint8_t>> value);

}  // namespace lagwatch::offsets
