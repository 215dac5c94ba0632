#pragma once
// Writes Kafka wire primitives by hand so tests can build records straight from the published
// schemas, independently of the decoder under test.

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace lagwatch::offsets::testing {

using ByteVector = std::vector<std::uint8_t>;

class ByteBuilder {
 public:
  ByteBuilder& int8(std::int8_t value) { return big_endian(static_cast<std::uint8_t>(value), 1); }
  ByteBuilder& int16(std::int16_t value) {
    return big_endian(static_cast<std::uint16_t>(value), 2);
  }
  ByteBuilder& int32(std::int32_t value) {
    return big_endian(static_cast<std::uint32_t>(value), 4);
  }
  ByteBuilder& int64(std::int64_t value) {
    return big_endian(static_cast<std::uint64_t>(value), 8);
  }

  ByteBuilder& unsigned_varint(std::uint32_t value) {
    while (value >= 0x80U) {
      bytes_.push_back(static_cast<std::uint8_t>((value & 0x7FU) | 0x80U));
      value >>= 7U;
    }
    bytes_.push_back(static_cast<std::uint8_t>(value));
    return *this;
  }
  ByteBuilder& varint(std::int32_t value) {
    const auto bits = static_cast<std::uint32_t>(value);
    return unsigned_varint((bits << 1U) ^ (value < 0 ? 0xFFFFFFFFU : 0U));
  }

  // Classic string: int16 length; nullopt writes -1.
  ByteBuilder& string(std::optional<std::string_view> text) {
    if (!text) return int16(-1);
    int16(static_cast<std::int16_t>(text->size()));
    return raw(*text);
  }
  // Compact string: unsigned varint length + 1; nullopt writes 0.
  ByteBuilder& compact_string(std::optional<std::string_view> text) {
    if (!text) return unsigned_varint(0);
    unsigned_varint(static_cast<std::uint32_t>(text->size() + 1));
    return raw(*text);
  }
  ByteBuilder& bytes(std::string_view content) {
    int32(static_cast<std::int32_t>(content.size()));
    return raw(content);
  }
  ByteBuilder& compact_bytes(std::string_view content) {
    unsigned_varint(static_cast<std::uint32_t>(content.size() + 1));
    return raw(content);
  }
  ByteBuilder& raw(std::string_view content) {
    bytes_.insert(bytes_.end(), content.begin(), content.end());
    return *this;
  }
  ByteBuilder& no_tagged_fields() { return unsigned_varint(0); }

  ByteVector build() const { return bytes_; }

 private:
  ByteBuilder& big_endian(std::uint64_t value, int width) {
    for (int shift = (width - 1) * 8; shift >= 0; shift -= 8) {
      bytes_.push_back(static_cast<std::uint8_t>((value >> static_cast<unsigned>(shift)) & 0xFFU));
    }
    return *this;
  }

  ByteVector bytes_;
};

}  // namespace lagwatch::offsets::testing
