#include "offsets/internal/byte_reader.h"

namespace lagwatch::offsets {
namespace {

constexpr std::size_t kMaxVarintBytes = 5;

}  // namespace

const std::string& ByteReader::failure() const {
  static const std::string kNone;
  return failure_ ? *failure_ : kNone;
}

void ByteReader::fail(std::string_view reason) {
  if (!failure_) {
    failure_ = std::string(reason) + " at byte " + std::to_string(position_);
  }
}

bool ByteReader::ensure(std::size_t count, std::string_view what) {
  if (failed()) return false;
  if (count > bytes_.size() - position_) {
    fail(std::string(what) + " needs " + std::to_string(count) + " bytes, " +
         std::to_string(bytes_.size() - position_) + " left");
    return false;
  }
  return true;
}

std::uint64_t ByteReader::read_big_endian(std::size_t width, std::string_view what) {
  if (!ensure(width, what)) return 0;
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < width; ++i) {
    value = (value << 8U) | bytes_[position_ + i];
  }
  position_ += width;
  return value;
}

std::int8_t ByteReader::read_int8() {
  return static_cast<std::int8_t>(static_cast<std::uint8_t>(read_big_endian(1, "int8")));
}

std::int16_t ByteReader::read_int16() {
  return static_cast<std::int16_t>(static_cast<std::uint16_t>(read_big_endian(2, "int16")));
}

std::int32_t ByteReader::read_int32() {
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(read_big_endian(4, "int32")));
}

std::int64_t ByteReader::read_int64() {
  return static_cast<std::int64_t>(read_big_endian(8, "int64"));
}

std::uint32_t ByteReader::read_unsigned_varint() {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < kMaxVarintBytes; ++i) {
    if (!ensure(1, "varint")) return 0;
    const std::uint8_t byte = bytes_[position_++];
    const auto payload = static_cast<std::uint32_t>(byte & 0x7FU);
    // The fifth byte may only carry the top four bits of a 32-bit value.
    if (i == kMaxVarintBytes - 1 && (byte & 0xF0U) != 0) {
      fail("varint longer than 32 bits");
      return 0;
    }
    value |= payload << (7U * static_cast<std::uint32_t>(i));
    if ((byte & 0x80U) == 0) return value;
  }
  return value;  // unreachable: the fifth byte either ends the varint or fails above
}

std::int32_t ByteReader::read_varint() {
  const std::uint32_t raw = read_unsigned_varint();
  const std::uint32_t magnitude = raw >> 1U;
  return static_cast<std::int32_t>((raw & 1U) != 0 ? ~magnitude : magnitude);
}

std::string ByteReader::read_exact_string(std::size_t length) {
  if (!ensure(length, "string")) return {};
  const auto* first = reinterpret_cast<const char*>(bytes_.data() + position_);
  position_ += length;
  return std::string(first, length);
}

std::optional<std::string> ByteReader::read_nullable_string() {
  const std::int16_t length = read_int16();
  if (failed()) return std::nullopt;
  if (length == -1) return std::nullopt;
  if (length < 0) {
    fail("negative string length " + std::to_string(length));
    return std::nullopt;
  }
  return read_exact_string(static_cast<std::size_t>(length));
}

std::string ByteReader::read_string() {
  const std::size_t start = position_;
  auto value = read_nullable_string();
  if (!value && !failed()) {
    position_ = start;
    fail("null in a non-nullable string");
  }
  return value.value_or(std::string());
}

std::optional<std::string> ByteReader::read_compact_nullable_string() {
  const std::uint32_t length_plus_one = read_unsigned_varint();
  if (failed() || length_plus_one == 0) return std::nullopt;
  return read_exact_string(length_plus_one - 1U);
}

std::string ByteReader::read_compact_string() {
  const std::size_t start = position_;
  auto value = read_compact_nullable_string();
  if (!value && !failed()) {
    position_ = start;
    fail("null in a non-nullable compact string");
  }
  return value.value_or(std::string());
}

void ByteReader::skip(std::size_t count) {
  if (ensure(count, "skip")) position_ += count;
}

void ByteReader::skip_bytes() {
  const std::int32_t length = read_int32();
  if (failed() || length == -1) return;
  if (length < 0) {
    fail("negative bytes length " + std::to_string(length));
    return;
  }
  skip(static_cast<std::size_t>(length));
}

void ByteReader::skip_compact_bytes() {
  const std::uint32_t length_plus_one = read_unsigned_varint();
  if (failed() || length_plus_one == 0) return;
  skip(length_plus_one - 1U);
}

void ByteReader::skip_tagged_fields() {
  const std::uint32_t count = read_unsigned_varint();
  // Each tagged field takes at least two bytes (tag and size), which bounds the loop by the input.
  if (!failed() && count > remaining() / 2) {
    fail("tagged field count " + std::to_string(count) + " exceeds the input");
    return;
  }
  for (std::uint32_t i = 0; i < count && !failed(); ++i) {
    read_unsigned_varint();  // the tag: no tagged field is needed here
    const std::uint32_t size = read_unsigned_varint();
    skip(size);
  }
}

std::size_t ByteReader::checked_count(std::int64_t declared, std::size_t min_element_size) {
  if (failed() || declared <= 0) return 0;
  const auto count = static_cast<std::size_t>(declared);
  const std::size_t element_size = min_element_size == 0 ? 1 : min_element_size;
  if (count > remaining() / element_size) {
    fail("array count " + std::to_string(count) + " exceeds the input");
    return 0;
  }
  return count;
}

std::size_t ByteReader::read_array_count(std::size_t min_element_size) {
  const std::int32_t declared = read_int32();
  if (!failed() && declared < -1) {
    fail("negative array count " + std::to_string(declared));
    return 0;
  }
  return checked_count(declared, min_element_size);
}

std::size_t ByteReader::read_compact_array_count(std::size_t min_element_size) {
  const std::uint32_t count_plus_one = read_unsigned_varint();
  if (failed() || count_plus_one == 0) return 0;
  return checked_count(static_cast<std::int64_t>(count_plus_one) - 1, min_element_size);
}

}  // namespace lagwatch::offsets
