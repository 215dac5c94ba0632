// Inputs a broken or hostile broker could write: every truncation, lengths larger than the input,
// negative lengths, and random bytes. All must come back as values, never crash or over-allocate.
#include <gtest/gtest.h>

#include <random>

#include "decode_helpers.h"
#include "sample_records.h"

namespace lagwatch::offsets::testing {
namespace {

ByteVector prefix(const ByteVector& bytes, std::size_t length) {
  return ByteVector(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(length));
}

bool is_malformed(const Record& record) { return std::holds_alternative<Malformed>(record); }

TEST(HostileInput, EveryTruncatedKeyIsMalformed) {
  for (const SampleRecord& sample : all_sample_records()) {
    for (std::size_t length = 0; length < sample.key.size(); ++length) {
      const Record record = decode(prefix(sample.key, length), sample.value);
      EXPECT_TRUE(is_malformed(record))
          << sample.name << " key cut at " << length << ": " << describe(record);
    }
  }
}

TEST(HostileInput, EveryTruncatedValueIsMalformed) {
  for (const SampleRecord& sample : all_sample_records()) {
    if (!sample.value || !sample.fully_decoded) continue;
    ASSERT_FALSE(is_malformed(decode(sample.key, sample.value))) << sample.name;
    for (std::size_t length = 0; length < sample.value->size(); ++length) {
      const Record record = decode(sample.key, prefix(*sample.value, length));
      EXPECT_TRUE(is_malformed(record))
          << sample.name << " value cut at " << length << ": " << describe(record);
    }
  }
}

struct HostileCase {
  std::string name;
  ByteVector key;
  ByteVector value;
};

std::vector<HostileCase> hostile_cases() {
  const ByteVector commit_key = offset_commit_key(1);
  const ByteVector group_key = group_only_key(2);
  const ByteVector member = member_key(5);
  return {
      {"key string longer than the key", ByteBuilder().int16(2).int16(0x7FFF).raw("ab").build(),
       ByteVector{}},
      {"key string length -2", ByteBuilder().int16(2).int16(-2).build(), ByteVector{}},
      {"key group null", ByteBuilder().int16(2).string(std::nullopt).build(), ByteVector{}},
      {"metadata length beyond value", commit_key,
       ByteBuilder().int16(1).int64(1).int16(30000).raw("x").build()},
      {"compact metadata of 4 GiB", commit_key,
       ByteBuilder().int16(4).int64(1).int32(0).unsigned_varint(0xFFFFFFFFU).raw("x").build()},
      {"member count INT32_MAX", group_key,
       ByteBuilder()
           .int16(3)
           .string("consumer")
           .int32(1)
           .string("p")
           .string("l")
           .int64(0)
           .int32(0x7FFFFFFF)
           .build()},
      {"member count -2", group_key,
       ByteBuilder()
           .int16(3)
           .string("consumer")
           .int32(1)
           .string("p")
           .string("l")
           .int64(0)
           .int32(-2)
           .build()},
      {"compact member count huge", group_key,
       ByteBuilder()
           .int16(4)
           .compact_string("consumer")
           .int32(1)
           .compact_string("p")
           .compact_string("l")
           .int64(0)
           .unsigned_varint(0xFFFFFFFFU)
           .build()},
      {"subscription bytes length INT32_MAX", group_key,
       ByteBuilder()
           .int16(0)
           .string("consumer")
           .int32(1)
           .string("p")
           .string("l")
           .int32(1)
           .string("m")
           .string("c")
           .string("h")
           .int32(1)
           .int32(0x7FFFFFFF)
           .build()},
      {"assignment bytes length -2", group_key,
       ByteBuilder()
           .int16(0)
           .string("consumer")
           .int32(1)
           .string("p")
           .string("l")
           .int32(1)
           .string("m")
           .string("c")
           .string("h")
           .int32(1)
           .int32(-1)
           .int32(-2)
           .build()},
      {"subscribed topic count huge", member,
       ByteBuilder()
           .int16(0)
           .compact_string(std::nullopt)
           .compact_string(std::nullopt)
           .compact_string("c")
           .compact_string("h")
           .unsigned_varint(0x10000000U)
           .build()},
      {"tagged field count huge", group_only_key(3),
       ByteBuilder().int16(0).int32(1).unsigned_varint(0x7FFFFFFFU).build()},
      {"tagged field size huge", group_only_key(3),
       ByteBuilder()
           .int16(0)
           .int32(1)
           .unsigned_varint(1)
           .unsigned_varint(0)
           .unsigned_varint(0xFFFFFFF0U)
           .build()},
      {"varint longer than five bytes", group_only_key(3),
       ByteBuilder().int16(0).int32(1).raw("\x80\x80\x80\x80\x80\x01").build()},
      {"assigned partition count huge", member_key(8),
       ByteBuilder()
           .int16(0)
           .int32(1)
           .int32(0)
           .int8(0)
           .unsigned_varint(2)
           .raw(std::string(16, 't'))
           .unsigned_varint(0x40000000U)
           .build()},
  };
}

TEST(HostileInput, DeclaredSizesBeyondTheInputAreMalformed) {
  for (const HostileCase& c : hostile_cases()) {
    const Record record = decode(c.key, c.value);
    EXPECT_TRUE(is_malformed(record)) << c.name << ": " << describe(record);
  }
}

TEST(HostileInput, NullOptionalStringsAndBytesAreAccepted) {
  // Nullable strings and null byte fields (-1) are legal and must not be taken as errors.
  const ByteVector value = ByteBuilder()
                               .int16(3)
                               .string("consumer")
                               .int32(3)
                               .string(std::nullopt)
                               .string(std::nullopt)
                               .int64(0)
                               .int32(1)
                               .string("m")
                               .string(std::nullopt)
                               .string("c")
                               .string("h")
                               .int32(1)
                               .int32(2)
                               .int32(-1)
                               .int32(-1)
                               .build();
  const Record record = decode(group_only_key(2), value);
  const auto* group = std::get_if<ClassicGroupMetadata>(&record);
  ASSERT_NE(group, nullptr) << describe(record);
  ASSERT_EQ(group->members.size(), 1U);
  EXPECT_EQ(group->members[0].group_instance_id, std::nullopt);
  EXPECT_EQ(group->members[0].session_timeout_ms, 2);
}

// Everything a decoded record holds comes from the input, so its strings can never add up to
// more than the input's size.
std::size_t decoded_text_size(const Record& record) {
  return std::visit(
      [](const auto& r) -> std::size_t {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, OffsetCommit>) {
          return r.group.size() + r.topic.size() + r.metadata.size();
        } else if constexpr (std::is_same_v<T, ClassicGroupMetadata>) {
          std::size_t total = r.group.size() + r.protocol_type.size();
          for (const auto& m : r.members) total += m.member_id.size() + m.client_id.size();
          return total;
        } else if constexpr (std::is_same_v<T, ConsumerGroupMemberMetadata>) {
          std::size_t total = r.group.size() + r.member_id.size() + r.client_host.size();
          for (const auto& topic : r.subscribed_topic_names) total += topic.size();
          return total;
        } else {
          return 0;
        }
      },
      record);
}

TEST(HostileInput, RandomBytesDecodeToBoundedValues) {
  std::mt19937 random(20240601);  // fixed seed: the test must be reproducible
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> length(0, 64);
  std::size_t decoded_records = 0;
  for (int round = 0; round < 20000; ++round) {
    ByteVector key(static_cast<std::size_t>(length(random)));
    ByteVector value(static_cast<std::size_t>(length(random)));
    for (auto& b : key) b = static_cast<std::uint8_t>(byte(random));
    for (auto& b : value) b = static_cast<std::uint8_t>(byte(random));
    // Small record types make random keys reach the real decoders, not only UnknownRecordType.
    if (key.size() >= 2) {
      key[0] = 0;
      key[1] = static_cast<std::uint8_t>(round % 19);
    }
    const Record record = decode(key, value);
    EXPECT_LE(decoded_text_size(record), key.size() + value.size());
    if (!is_malformed(record)) ++decoded_records;
  }
  EXPECT_GT(decoded_records, 0U);
}

}  // namespace
}  // namespace lagwatch::offsets::testing
