#include <gtest/gtest.h>

#include "decode_helpers.h"
#include "sample_records.h"

namespace lagwatch::offsets::testing {
namespace {

struct OffsetCommitCase {
  std::int16_t key_type;
  std::int16_t value_version;
  std::int32_t expected_leader_epoch;
  std::int64_t expected_expire_timestamp_ms;
};

class OffsetCommitVersions : public ::testing::TestWithParam<OffsetCommitCase> {};

TEST_P(OffsetCommitVersions, DecodesEveryField) {
  const OffsetCommitCase& c = GetParam();
  const Record record = decode(offset_commit_key(c.key_type), offset_commit_value(c.value_version));
  const auto* commit = std::get_if<OffsetCommit>(&record);
  ASSERT_NE(commit, nullptr) << describe(record);
  EXPECT_EQ(commit->group, sample::kGroup);
  EXPECT_EQ(commit->topic, sample::kTopic);
  EXPECT_EQ(commit->partition, sample::kPartition);
  EXPECT_FALSE(commit->tombstone());
  EXPECT_EQ(commit->offset, sample::kOffset);
  EXPECT_EQ(commit->leader_epoch, c.expected_leader_epoch);
  EXPECT_EQ(commit->metadata, sample::kMetadata);
  EXPECT_EQ(commit->commit_timestamp_ms, sample::kCommitTimestampMs);
  EXPECT_EQ(commit->expire_timestamp_ms, c.expected_expire_timestamp_ms);
  EXPECT_EQ(commit->value_version, c.value_version);
}

INSTANTIATE_TEST_SUITE_P(AllKnownVersions, OffsetCommitVersions,
                         ::testing::Values(OffsetCommitCase{1, 0, -1, -1},
                                           OffsetCommitCase{1, 1, -1, sample::kExpireTimestampMs},
                                           OffsetCommitCase{1, 2, -1, -1},
                                           OffsetCommitCase{1, 3, sample::kLeaderEpoch, -1},
                                           OffsetCommitCase{1, 4, sample::kLeaderEpoch, -1},
                                           OffsetCommitCase{0, 1, -1, sample::kExpireTimestampMs},
                                           OffsetCommitCase{0, 3, sample::kLeaderEpoch, -1}));

TEST(OffsetCommitDecoder, TombstoneHasKeyButNoOffset) {
  const Record record = decode(offset_commit_key(1), std::nullopt);
  const auto* commit = std::get_if<OffsetCommit>(&record);
  ASSERT_NE(commit, nullptr) << describe(record);
  EXPECT_TRUE(commit->tombstone());
  EXPECT_EQ(commit->group, sample::kGroup);
  EXPECT_EQ(commit->topic, sample::kTopic);
  EXPECT_EQ(commit->partition, sample::kPartition);
}

TEST(OffsetCommitDecoder, NewerValueVersionIsReportedNotGuessed) {
  ByteVector value = offset_commit_value(4);
  value[1] = 5;  // version int16 = 5
  const Record record = decode(offset_commit_key(1), value);
  const auto* unknown = std::get_if<UnknownValueVersion>(&record);
  ASSERT_NE(unknown, nullptr) << describe(record);
  EXPECT_EQ(unknown->type, 1);
  EXPECT_EQ(unknown->version, 5);
}

TEST(OffsetCommitDecoder, NegativeValueVersionIsUnknown) {
  const ByteVector value = ByteBuilder().int16(-1).int64(1).string("").int64(1).build();
  EXPECT_TRUE(std::holds_alternative<UnknownValueVersion>(decode(offset_commit_key(1), value)));
}

TEST(OffsetCommitDecoder, NullMetadataInClassicVersionIsMalformed) {
  const ByteVector value =
      ByteBuilder().int16(1).int64(1).string(std::nullopt).int64(1).int64(2).build();
  const Record record = decode(offset_commit_key(1), value);
  ASSERT_TRUE(std::holds_alternative<Malformed>(record)) << describe(record);
  EXPECT_NE(std::get<Malformed>(record).reason.find("null"), std::string::npos);
}

TEST(OffsetCommitDecoder, EmptyValueIsMalformedNotTombstone) {
  EXPECT_TRUE(std::holds_alternative<Malformed>(decode(offset_commit_key(1), ByteVector{})));
}

}  // namespace
}  // namespace lagwatch::offsets::testing
