#pragma once
// Bounds-checked cursor over Kafka's wire primitives. Errors are sticky: the first failure is kept
// as a reason, every later read returns a zero value, and remaining() drops to zero, so a decoder
// can read a whole struct and check failed() once without ever touching memory past the input.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace lagwatch::offsets {

class ByteReader {
 public:
  explicit ByteReader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

  std::int8_t read_int8();
  std::int16_t read_int16();
  std::int32_t read_int32();
  std::int64_t read_int64();
  std::uint32_t read_unsigned_varint();
  std::int32_t read_varint();  // zig-zag encoded

  // Classic encoding: int16 length, -1 means null.
  std::string read_string();
  std::optional<std::string> read_nullable_string();
  // Flexible encoding: unsigned varint length + 1, 0 means null.
  std::string read_compact_string();
  std::optional<std::string> read_compact_nullable_string();

  // Byte fields are skipped, never copied: nothing here needs their content.
  void skip_bytes();          // int32 length, -1 means null
  void skip_compact_bytes();  // unsigned varint length + 1, 0 means null
  void skip_tagged_fields();

  // Array element counts. Null arrays count as zero elements. A count that could not fit in the
  // remaining input (at least min_element_size bytes each) fails the reader, so callers can loop
  // or reserve without trusting the declared number.
  std::size_t read_array_count(std::size_t min_element_size);
  std::size_t read_compact_array_count(std::size_t min_element_size);

  void skip(std::size_t count);

  bool failed() const { return failure_.has_value(); }
  const std::string& failure() const;
  std::size_t position() const { return position_; }
  std::size_t remaining() const { return failed() ? 0 : bytes_.size() - position_; }

  // Records the first failure only; later ones are consequences of it.
  void fail(std::string_view reason);

 private:
  bool ensure(std::size_t count, std::string_view what);
  std::uint64_t read_big_endian(std::size_t width, std::string_view what);
  std::string read_exact_string(std::size_t length);
  std::size_t checked_count(std::int64_t declared, std::size_t min_element_size);

  std::span<const std::uint8_t> bytes_;
  std::size_t position_ = 0;
  std::optional<std::string> failure_;
};

}  // namespace lagwatch::offsets
