#pragma once
// How one fuzz input becomes a `__consumer_offsets` record: byte 0 says whether a value follows
// (bit 0 set) or the record is a tombstone, bytes 1-2 are the key length (big endian, clamped to
// what is left), then the key, then the value. Shared by the fuzz target and its seed writer so
// that seeds decode exactly like the unit-test records they come from.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace lagwatch::offsets::fuzz {

struct FramedRecord {
  std::span<const std::uint8_t> key;
  std::optional<std::span<const std::uint8_t>> value;
};

inline constexpr std::size_t kHeaderSize = 3;

inline FramedRecord unframe(std::span<const std::uint8_t> input) {
  if (input.size() < kHeaderSize) return {input, std::nullopt};
  const bool has_value = (input[0] & 1U) != 0;
  const std::size_t declared_key_size = (std::size_t{input[1]} << 8U) | input[2];
  const std::span<const std::uint8_t> rest = input.subspan(kHeaderSize);
  const std::size_t key_size = std::min(declared_key_size, rest.size());
  FramedRecord record{rest.first(key_size), std::nullopt};
  if (has_value) record.value = rest.subspan(key_size);
  return record;
}

inline std::vector<std::uint8_t> frame(const std::vector<std::uint8_t>& key,
                                       const std::optional<std::vector<std::uint8_t>>& value) {
  std::vector<std::uint8_t> out{static_cast<std::uint8_t>(value ? 1 : 0),
                                static_cast<std::uint8_t>((key.size() >> 8U) & 0xFFU),
                                static_cast<std::uint8_t>(key.size() & 0xFFU)};
  out.insert(out.end(), key.begin(), key.end());
  if (value) out.insert(out.end(), value->begin(), value->end());
  return out;
}

}  // namespace lagwatch::offsets::fuzz
