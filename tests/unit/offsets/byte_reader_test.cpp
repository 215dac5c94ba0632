#include "offsets/internal/byte_reader.h"

#include <gtest/gtest.h>

#include <limits>

#include "byte_builder.h"

namespace lagwatch::offsets::testing {
namespace {

TEST(ByteReader, ReadsBigEndianSignedIntegers) {
  const ByteVector bytes = ByteBuilder()
                               .int8(-2)
                               .int16(-300)
                               .int32(std::numeric_limits<std::int32_t>::min())
                               .int64(0x0102030405060708)
                               .build();
  ByteReader reader(bytes);
  EXPECT_EQ(reader.read_int8(), -2);
  EXPECT_EQ(reader.read_int16(), -300);
  EXPECT_EQ(reader.read_int32(), std::numeric_limits<std::int32_t>::min());
  EXPECT_EQ(reader.read_int64(), 0x0102030405060708);
  EXPECT_FALSE(reader.failed());
  EXPECT_EQ(reader.remaining(), 0U);
}

TEST(ByteReader, ExactBytesOnTheWire) {
  const ByteVector bytes{0x12, 0x34, 0xFF, 0xFF, 0xFF, 0xFE};
  ByteReader reader(bytes);
  EXPECT_EQ(reader.read_int16(), 0x1234);
  EXPECT_EQ(reader.read_int32(), -2);
}

struct VarintCase {
  std::uint32_t value;
  std::size_t encoded_size;
};

class UnsignedVarints : public ::testing::TestWithParam<VarintCase> {};

TEST_P(UnsignedVarints, RoundTripWithExpectedSize) {
  const ByteVector bytes = ByteBuilder().unsigned_varint(GetParam().value).build();
  ASSERT_EQ(bytes.size(), GetParam().encoded_size);
  ByteReader reader(bytes);
  EXPECT_EQ(reader.read_unsigned_varint(), GetParam().value);
  EXPECT_FALSE(reader.failed());
}

INSTANTIATE_TEST_SUITE_P(Boundaries, UnsignedVarints,
                         ::testing::Values(VarintCase{0, 1}, VarintCase{127, 1}, VarintCase{128, 2},
                                           VarintCase{16383, 2}, VarintCase{16384, 3},
                                           VarintCase{0x0FFFFFFF, 4}, VarintCase{0x10000000, 5},
                                           VarintCase{0xFFFFFFFF, 5}));

TEST(ByteReader, ZigZagVarints) {
  for (const std::int32_t value : {0, -1, 1, -64, 64, std::numeric_limits<std::int32_t>::max(),
                                   std::numeric_limits<std::int32_t>::min()}) {
    const ByteVector bytes = ByteBuilder().varint(value).build();
    ByteReader reader(bytes);
    EXPECT_EQ(reader.read_varint(), value);
    EXPECT_FALSE(reader.failed());
  }
  EXPECT_EQ(ByteBuilder().varint(-1).build(), (ByteVector{0x01}));
  EXPECT_EQ(ByteBuilder().varint(1).build(), (ByteVector{0x02}));
}

TEST(ByteReader, RejectsVarintsWiderThan32Bits) {
  const ByteVector six_bytes{0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
  ByteReader too_long(six_bytes);
  too_long.read_unsigned_varint();
  EXPECT_TRUE(too_long.failed());

  const ByteVector overflowing_fifth_byte{0xFF, 0xFF, 0xFF, 0xFF, 0x1F};
  ByteReader overflow(overflowing_fifth_byte);
  overflow.read_unsigned_varint();
  EXPECT_TRUE(overflow.failed());
}

TEST(ByteReader, ClassicAndCompactStrings) {
  const ByteVector bytes = ByteBuilder()
                               .string("abc")
                               .string(std::nullopt)
                               .string("")
                               .compact_string("xyz")
                               .compact_string(std::nullopt)
                               .compact_string("")
                               .build();
  ByteReader reader(bytes);
  EXPECT_EQ(reader.read_string(), "abc");
  EXPECT_EQ(reader.read_nullable_string(), std::nullopt);
  EXPECT_EQ(reader.read_nullable_string(), std::optional<std::string>(""));
  EXPECT_EQ(reader.read_compact_string(), "xyz");
  EXPECT_EQ(reader.read_compact_nullable_string(), std::nullopt);
  EXPECT_EQ(reader.read_compact_string(), "");
  EXPECT_FALSE(reader.failed());
}

TEST(ByteReader, NullWhereNotNullableFailsAtTheLengthPrefix) {
  const ByteVector bytes = ByteBuilder().int8(0).string(std::nullopt).build();
  ByteReader reader(bytes);
  reader.read_int8();
  reader.read_string();
  EXPECT_TRUE(reader.failed());
  EXPECT_NE(reader.failure().find("at byte 1"), std::string::npos) << reader.failure();
}

TEST(ByteReader, NegativeLengthsOtherThanNullFail) {
  const ByteVector string_bytes = ByteBuilder().int16(-2).raw("ab").build();
  ByteReader strings(string_bytes);
  strings.read_nullable_string();
  EXPECT_TRUE(strings.failed());

  const ByteVector byte_field = ByteBuilder().int32(-5).build();
  ByteReader bytes(byte_field);
  bytes.skip_bytes();
  EXPECT_TRUE(bytes.failed());

  const ByteVector array = ByteBuilder().int32(-2).build();
  ByteReader arrays(array);
  arrays.read_array_count(1);
  EXPECT_TRUE(arrays.failed());
}

TEST(ByteReader, NullByteFieldsAndArraysAreEmpty) {
  const ByteVector bytes = ByteBuilder().int32(-1).int32(-1).unsigned_varint(0).build();
  ByteReader reader(bytes);
  reader.skip_bytes();
  EXPECT_EQ(reader.read_array_count(4), 0U);
  EXPECT_EQ(reader.read_compact_array_count(4), 0U);
  EXPECT_FALSE(reader.failed());
}

TEST(ByteReader, ArrayCountsAreCheckedAgainstRemainingBytes) {
  const ByteVector fits = ByteBuilder().int32(2).int32(10).int32(20).build();
  ByteReader ok(fits);
  EXPECT_EQ(ok.read_array_count(4), 2U);
  EXPECT_FALSE(ok.failed());

  const ByteVector too_many = ByteBuilder().int32(3).int32(10).int32(20).build();
  ByteReader bad(too_many);
  EXPECT_EQ(bad.read_array_count(4), 0U);
  EXPECT_TRUE(bad.failed());
}

TEST(ByteReader, SkipsTaggedFieldsBySize) {
  const ByteVector bytes = ByteBuilder()
                               .unsigned_varint(2)
                               .unsigned_varint(0)
                               .unsigned_varint(3)
                               .raw("abc")
                               .unsigned_varint(5)
                               .unsigned_varint(0)
                               .int16(0x4242)
                               .build();
  ByteReader reader(bytes);
  reader.skip_tagged_fields();
  EXPECT_EQ(reader.read_int16(), 0x4242);
  EXPECT_FALSE(reader.failed());
}

TEST(ByteReader, FailureIsStickyAndKeepsTheFirstReason) {
  const ByteVector bytes{0x00, 0x05, 'a'};
  ByteReader reader(bytes);
  EXPECT_EQ(reader.read_string(), "");
  ASSERT_TRUE(reader.failed());
  const std::string first = reader.failure();
  EXPECT_NE(first.find("string"), std::string::npos) << first;
  EXPECT_EQ(reader.remaining(), 0U);
  EXPECT_EQ(reader.read_int8(), 0);  // the 'a' is not readable once failed
  EXPECT_EQ(reader.failure(), first);
}

}  // namespace
}  // namespace lagwatch::offsets::testing
