#include "offsets/consumer_assignment.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "byte_builder.h"

namespace lagwatch::offsets {
namespace {

using testing::ByteBuilder;
using testing::ByteVector;

// ConsumerProtocolAssignment as the published schema lays it out: version, then
// [topic, [partition]], then user data (bytes) and, from version 1, nothing this reader needs.
ByteVector assignment(std::int16_t version, const std::vector<AssignedTopic>& topics,
                      std::string_view user_data = "") {
  ByteBuilder builder;
  builder.int16(version).int32(static_cast<std::int32_t>(topics.size()));
  for (const auto& topic : topics) {
    builder.string(topic.topic).int32(static_cast<std::int32_t>(topic.partitions.size()));
    for (const std::int32_t partition : topic.partitions) builder.int32(partition);
  }
  builder.bytes(user_data);
  return builder.build();
}

std::optional<std::vector<AssignedTopic>> decode(const ByteVector& bytes) {
  return decode_consumer_assignment(bytes);
}

TEST(ConsumerAssignment, ReadsTopicsAndPartitionsOfEveryVersionAndIgnoresUserData) {
  const std::vector<AssignedTopic> topics{{"orders", {0, 2, 5}}, {"payments", {1}}};
  for (std::int16_t version = 0; version <= 3; ++version) {
    EXPECT_EQ(decode(assignment(version, topics, "opaque user data")), topics) << version;
  }
}

TEST(ConsumerAssignment, EmptyBytesAndNoTopicsAreAnEmptyAssignment) {
  EXPECT_EQ(decode({}), std::vector<AssignedTopic>{});
  EXPECT_EQ(decode(assignment(0, {})), std::vector<AssignedTopic>{});
  // A topic listed with no partitions is kept as such.
  EXPECT_EQ(decode(assignment(0, {{"t", {}}})), (std::vector<AssignedTopic>{{"t", {}}}));
}

TEST(ConsumerAssignment, EveryTruncationIsMalformed) {
  // Without the trailing user data: every shorter prefix cuts a field that is read.
  ByteBuilder builder;
  builder.int16(0).int32(2).string("a").int32(2).int32(0).int32(1).string("bb").int32(1).int32(7);
  const ByteVector whole = builder.build();
  ASSERT_EQ(decode(whole), (std::vector<AssignedTopic>{{"a", {0, 1}}, {"bb", {7}}}));
  for (std::size_t size = 1; size < whole.size(); ++size) {
    EXPECT_EQ(decode(ByteVector(whole.begin(), whole.begin() + static_cast<long>(size))),
              std::nullopt)
        << size;
  }
}

struct MalformedCase {
  std::string name;
  ByteVector bytes;
  friend void PrintTo(const MalformedCase& malformed, std::ostream* out) { *out << malformed.name; }
};

class MalformedAssignment : public ::testing::TestWithParam<MalformedCase> {};

TEST_P(MalformedAssignment, IsRejected) { EXPECT_EQ(decode(GetParam().bytes), std::nullopt); }

INSTANTIATE_TEST_SUITE_P(
    Cases, MalformedAssignment,
    ::testing::Values(
        // Counts the input cannot hold are refused before anything is reserved.
        MalformedCase{"HugeTopicCount", ByteBuilder().int16(0).int32(0x7FFFFFFF).build()},
        MalformedCase{"HugePartitionCount",
                      ByteBuilder().int16(0).int32(1).string("t").int32(0x7FFFFFFF).build()},
        MalformedCase{"NegativeTopicCount", ByteBuilder().int16(0).int32(-2).build()},
        MalformedCase{"NameLongerThanTheInput",
                      ByteBuilder().int16(0).int32(1).int16(300).raw("abc").build()},
        MalformedCase{"NullTopicName",
                      ByteBuilder().int16(0).int32(1).string(std::nullopt).int32(0).build()},
        MalformedCase{"EmptyTopicName",
                      ByteBuilder().int16(0).int32(1).string("").int32(1).int32(0).build()},
        MalformedCase{"NegativePartition",
                      ByteBuilder().int16(0).int32(1).string("t").int32(1).int32(-1).build()},
        MalformedCase{"OneByte", ByteVector{0x00}}),
    [](const ::testing::TestParamInfo<MalformedCase>& param_info) {
      return param_info.param.name;
    });

}  // namespace
}  // namespace lagwatch::offsets
