// Classic group metadata (type 2) and the KIP-848 records (types 3, 5, 6, 8).
#include <gtest/gtest.h>

#include "decode_helpers.h"
#include "sample_records.h"

namespace lagwatch::offsets::testing {
namespace {

class ClassicGroupVersions : public ::testing::TestWithParam<std::int16_t> {};

TEST_P(ClassicGroupVersions, DecodesGroupAndMembers) {
  const std::int16_t version = GetParam();
  const Record record = decode(group_only_key(2), classic_group_value(version));
  const auto* group = std::get_if<ClassicGroupMetadata>(&record);
  ASSERT_NE(group, nullptr) << describe(record);
  EXPECT_EQ(group->group, sample::kGroup);
  EXPECT_FALSE(group->tombstone);
  EXPECT_EQ(group->value_version, version);
  EXPECT_EQ(group->protocol_type, sample::kProtocolType);
  EXPECT_EQ(group->generation, sample::kGeneration);
  EXPECT_EQ(group->protocol, sample::kProtocol);
  EXPECT_EQ(group->leader, sample::kLeader);
  EXPECT_EQ(group->current_state_timestamp_ms, version >= 2 ? sample::kStateTimestampMs : -1);
  ASSERT_EQ(group->members.size(), 2U);
  const ClassicGroupMember& first = group->members[0];
  EXPECT_EQ(first.member_id, sample::kMemberId);
  EXPECT_EQ(first.group_instance_id,
            version >= 3 ? std::optional<std::string>("instance-1") : std::nullopt);
  EXPECT_EQ(first.client_id, sample::kClientId);
  EXPECT_EQ(first.client_host, sample::kClientHost);
  EXPECT_EQ(first.rebalance_timeout_ms, version >= 1 ? sample::kRebalanceTimeoutMs : -1);
  EXPECT_EQ(first.session_timeout_ms, sample::kSessionTimeoutMs);
  EXPECT_EQ(group->members[1].member_id, "member-2");
  EXPECT_EQ(group->members[1].group_instance_id, std::nullopt);
}

INSTANTIATE_TEST_SUITE_P(AllKnownVersions, ClassicGroupVersions, ::testing::Values(0, 1, 2, 3, 4));

TEST(ClassicGroupDecoder, EmptyGroupWithNullProtocolAndLeader) {
  const ByteVector value = ByteBuilder()
                               .int16(3)
                               .string("consumer")
                               .int32(7)
                               .string(std::nullopt)
                               .string(std::nullopt)
                               .int64(1)
                               .int32(0)
                               .build();
  const Record record = decode(group_only_key(2), value);
  const auto* group = std::get_if<ClassicGroupMetadata>(&record);
  ASSERT_NE(group, nullptr) << describe(record);
  EXPECT_EQ(group->generation, 7);
  EXPECT_EQ(group->protocol, std::nullopt);
  EXPECT_EQ(group->leader, std::nullopt);
  EXPECT_TRUE(group->members.empty());
}

TEST(ClassicGroupDecoder, Tombstone) {
  const Record record = decode(group_only_key(2), std::nullopt);
  const auto* group = std::get_if<ClassicGroupMetadata>(&record);
  ASSERT_NE(group, nullptr) << describe(record);
  EXPECT_TRUE(group->tombstone);
  EXPECT_EQ(group->group, sample::kGroup);
}

TEST(ClassicGroupDecoder, UnknownVersion) {
  const Record record = decode(group_only_key(2), ByteBuilder().int16(5).build());
  const auto* unknown = std::get_if<UnknownValueVersion>(&record);
  ASSERT_NE(unknown, nullptr) << describe(record);
  EXPECT_EQ(unknown->type, 2);
  EXPECT_EQ(unknown->version, 5);
}

TEST(ConsumerGroupDecoder, EpochAndTombstone) {
  const Record record = decode(group_only_key(3), consumer_group_value());
  const auto* group = std::get_if<ConsumerGroupMetadata>(&record);
  ASSERT_NE(group, nullptr) << describe(record);
  EXPECT_EQ(group->group, sample::kGroup);
  EXPECT_EQ(group->epoch, sample::kGroupEpoch);

  const Record deleted = decode(group_only_key(3), std::nullopt);
  ASSERT_TRUE(std::holds_alternative<ConsumerGroupMetadata>(deleted)) << describe(deleted);
  EXPECT_EQ(std::get<ConsumerGroupMetadata>(deleted).epoch, std::nullopt);
}

TEST(ConsumerGroupDecoder, TargetAssignmentEpochAndTombstone) {
  const Record record = decode(group_only_key(6), target_assignment_value());
  const auto* target = std::get_if<ConsumerGroupTargetAssignmentMetadata>(&record);
  ASSERT_NE(target, nullptr) << describe(record);
  EXPECT_EQ(target->group, sample::kGroup);
  EXPECT_EQ(target->assignment_epoch, sample::kGroupEpoch);

  const Record deleted = decode(group_only_key(6), std::nullopt);
  ASSERT_TRUE(std::holds_alternative<ConsumerGroupTargetAssignmentMetadata>(deleted));
  EXPECT_EQ(std::get<ConsumerGroupTargetAssignmentMetadata>(deleted).assignment_epoch,
            std::nullopt);
}

TEST(ConsumerGroupDecoder, MemberMetadata) {
  const Record record = decode(member_key(5), consumer_group_member_value());
  const auto* member = std::get_if<ConsumerGroupMemberMetadata>(&record);
  ASSERT_NE(member, nullptr) << describe(record);
  EXPECT_EQ(member->group, sample::kGroup);
  EXPECT_EQ(member->member_id, sample::kMemberId);
  EXPECT_FALSE(member->tombstone);
  EXPECT_EQ(member->instance_id, std::nullopt);
  EXPECT_EQ(member->rack_id, sample::kRack);
  EXPECT_EQ(member->client_id, sample::kClientId);
  EXPECT_EQ(member->client_host, sample::kClientHost);
  EXPECT_EQ(member->subscribed_topic_names, (std::vector<std::string>{"orders", "payments"}));
  EXPECT_EQ(member->subscribed_topic_regex, std::nullopt);
  EXPECT_EQ(member->rebalance_timeout_ms, sample::kRebalanceTimeoutMs);
  EXPECT_EQ(member->server_assignor, sample::kServerAssignor);
}

TEST(ConsumerGroupDecoder, MemberLeftIsTombstone) {
  const Record record = decode(member_key(5), std::nullopt);
  const auto* member = std::get_if<ConsumerGroupMemberMetadata>(&record);
  ASSERT_NE(member, nullptr) << describe(record);
  EXPECT_TRUE(member->tombstone);
  EXPECT_EQ(member->member_id, sample::kMemberId);
}

TEST(ConsumerGroupDecoder, CurrentMemberAssignmentCountsPartitions) {
  const Record record = decode(member_key(8), current_member_assignment_value());
  const auto* assignment = std::get_if<ConsumerGroupCurrentMemberAssignment>(&record);
  ASSERT_NE(assignment, nullptr) << describe(record);
  EXPECT_EQ(assignment->group, sample::kGroup);
  EXPECT_EQ(assignment->member_id, sample::kMemberId);
  EXPECT_FALSE(assignment->tombstone);
  EXPECT_EQ(assignment->member_epoch, sample::kMemberEpoch);
  EXPECT_EQ(assignment->previous_member_epoch, sample::kPreviousMemberEpoch);
  EXPECT_EQ(assignment->state, sample::kMemberState);
  EXPECT_EQ(assignment->assigned_partitions, sample::kAssignedPartitions);
  EXPECT_EQ(assignment->partitions_pending_revocation, sample::kPendingRevocationPartitions);

  const Record left = decode(member_key(8), std::nullopt);
  ASSERT_TRUE(std::holds_alternative<ConsumerGroupCurrentMemberAssignment>(left));
  EXPECT_TRUE(std::get<ConsumerGroupCurrentMemberAssignment>(left).tombstone);
}

TEST(ConsumerGroupDecoder, OnlyVersionZeroIsKnown) {
  for (const std::int16_t type : std::initializer_list<std::int16_t>{3, 5, 6, 8}) {
    const ByteVector key = (type == 5 || type == 8) ? member_key(type) : group_only_key(type);
    const Record record = decode(key, ByteBuilder().int16(1).int32(0).no_tagged_fields().build());
    const auto* unknown = std::get_if<UnknownValueVersion>(&record);
    ASSERT_NE(unknown, nullptr) << "type " << type << ": " << describe(record);
    EXPECT_EQ(unknown->type, type);
    EXPECT_EQ(unknown->version, 1);
  }
}

TEST(RecordDecoder, KnownButIgnoredTypesNameTheirGroup) {
  for (const std::int16_t type :
       std::initializer_list<std::int16_t>{4, 7, 9, 10, 11, 12, 13, 14, 15, 16, 17}) {
    for (const bool tombstone : {false, true}) {
      const std::optional<ByteVector> value =
          tombstone ? std::nullopt : std::optional<ByteVector>(ByteVector{0, 0, 0});
      const Record record = decode(member_key(type), value);
      const auto* ignored = std::get_if<KnownButIgnored>(&record);
      ASSERT_NE(ignored, nullptr) << "type " << type << ": " << describe(record);
      EXPECT_EQ(ignored->type, type);
      EXPECT_EQ(ignored->group, sample::kGroup);
      EXPECT_EQ(ignored->tombstone, tombstone);
    }
  }
}

TEST(RecordDecoder, TypesOutsideTheKnownRangeAreUnknown) {
  for (const std::int16_t type : std::initializer_list<std::int16_t>{-1, 18, 100, 32767, -32768}) {
    const Record record = decode(group_only_key(type), ByteVector{0, 0});
    const auto* unknown = std::get_if<UnknownRecordType>(&record);
    ASSERT_NE(unknown, nullptr) << "type " << type << ": " << describe(record);
    EXPECT_EQ(unknown->type, type);
  }
}

}  // namespace
}  // namespace lagwatch::offsets::testing
