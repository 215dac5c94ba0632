#include "offsets/group_state_tracker.h"

#include <gtest/gtest.h>

namespace lagwatch::offsets {
namespace {

constexpr std::string_view kGroup = "g";

Record classic(std::int32_t generation, std::size_t members = 1) {
  ClassicGroupMetadata record;
  record.group = std::string(kGroup);
  record.generation = generation;
  record.protocol_type = "consumer";
  record.members.resize(members);
  return record;
}

Record classic_deleted() {
  ClassicGroupMetadata record;
  record.group = std::string(kGroup);
  record.tombstone = true;
  return record;
}

Record consumer_epoch(std::optional<std::int32_t> epoch) {
  return ConsumerGroupMetadata{std::string(kGroup), epoch};
}

Record commit(std::string topic, std::int32_t partition, std::optional<std::int64_t> offset,
              std::int64_t timestamp_ms = 0) {
  OffsetCommit record;
  record.group = std::string(kGroup);
  record.topic = std::move(topic);
  record.partition = partition;
  record.offset = offset;
  record.commit_timestamp_ms = timestamp_ms;
  return record;
}

struct Step {
  Record record;
  std::optional<std::uint64_t> rebalances;  // nullopt: the group must hold no state
};

struct RebalanceCase {
  std::string name;
  std::vector<Step> steps;
};

class RebalanceCounting : public ::testing::TestWithParam<RebalanceCase> {};

TEST_P(RebalanceCounting, FollowsGenerations) {
  GroupStateTracker tracker;
  std::size_t index = 0;
  for (const Step& step : GetParam().steps) {
    tracker.apply(step.record);
    const TrackedGroup* state = tracker.find(kGroup);
    if (!step.rebalances) {
      EXPECT_EQ(state, nullptr) << "after step " << index;
    } else {
      ASSERT_NE(state, nullptr) << "after step " << index;
      EXPECT_EQ(state->rebalances, *step.rebalances) << "after step " << index;
    }
    ++index;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, RebalanceCounting,
    ::testing::Values(
        // Generation 0 is the creation: a new group counts every generation from 0.
        RebalanceCase{"FirstGenerationCountsFromCreation", {{classic(5), 5}}},
        // Kafka 4 writes the new group at generation 0 first, Kafka 3 does not: same count.
        RebalanceCase{"CreationRecordOfKafka4",
                      {{classic(0), 0}, {classic(1), 1}, {classic(2), 2}}},
        RebalanceCase{"NoCreationRecordOnKafka3", {{classic(1), 1}, {classic(2), 2}}},
        RebalanceCase{"SeveralBetweenTwoReadsCountEach",
                      {{classic(5), 5}, {classic(6), 6}, {classic(7), 7}, {classic(8), 8}}},
        RebalanceCase{"JumpOfThreeCountsThree", {{classic(5), 5}, {classic(8), 8}}},
        RebalanceCase{"RewrittenGenerationCountsNothing",
                      {{classic(5, 2), 5}, {classic(5, 0), 5}, {classic(6), 6}}},
        RebalanceCase{"DropStartsNewIncarnation",
                      {{classic(5), 5}, {classic(7), 7}, {classic(2), 2}, {classic(4), 4}}},
        RebalanceCase{"TombstoneThenRecreationRestarts",
                      {{classic(5), 5},
                       {classic(6), 6},
                       {classic_deleted(), std::nullopt},
                       {classic(1), 1},
                       {classic(2), 2}}},
        RebalanceCase{"ConsumerGroupEpochs",
                      {{consumer_epoch(1), 1}, {consumer_epoch(2), 2}, {consumer_epoch(4), 4}}},
        RebalanceCase{"ConsumerGroupDeletedThenRecreated",
                      {{consumer_epoch(10), 10},
                       {consumer_epoch(12), 12},
                       {consumer_epoch(std::nullopt), std::nullopt},
                       {consumer_epoch(1), 1},
                       {consumer_epoch(2), 2}}},
        // Online upgrade and downgrade: the coordinator tombstones one protocol's metadata and
        // writes the other's, whose generation continues from the old one; offsets stay.
        RebalanceCase{"ProtocolConversionsContinueTheCount",
                      {{classic(0), 0},
                       {commit("orders", 0, 1), 0},
                       {classic(1), 1},
                       {classic_deleted(), 1},
                       {consumer_epoch(1), 1},
                       {consumer_epoch(2), 2},
                       {consumer_epoch(3), 3},
                       {consumer_epoch(std::nullopt), 3},
                       {classic(3), 3},
                       {classic(4), 4},
                       {classic(5, 0), 5}}},
        // A conversion whose new generation starts lower counts nothing, and no new incarnation.
        RebalanceCase{"ConversionToALowerGenerationIsABaseline",
                      {{commit("orders", 0, 1), 0},
                       {classic(4), 4},
                       {classic_deleted(), 4},
                       {consumer_epoch(2), 4},
                       {consumer_epoch(3), 5}}},
        RebalanceCase{
            "TombstoneForUnseenGroupCreatesNothing",
            {{classic_deleted(), std::nullopt}, {consumer_epoch(std::nullopt), std::nullopt}}}),
    [](const ::testing::TestParamInfo<RebalanceCase>& param_info) {
      return param_info.param.name;
    });

TEST(GroupStateTracker, CountsCommitsAndKeepsLatestPerPartition) {
  GroupStateTracker tracker;
  tracker.apply(commit("orders", 0, 10, 1000));
  tracker.apply(commit("orders", 1, 20, 1100));
  tracker.apply(commit("orders", 0, 15, 1200));
  const TrackedGroup* state = tracker.find(kGroup);
  ASSERT_NE(state, nullptr);
  EXPECT_EQ(state->offset_commits, 3U);
  EXPECT_EQ(state->protocol, GroupProtocol::kUnknown);
  ASSERT_EQ(state->commits.size(), 2U);
  const PartitionCommit& p0 = state->commits.at(TopicPartition{"orders", 0});
  EXPECT_EQ(p0.offset, 15);
  EXPECT_EQ(p0.commit_timestamp_ms, 1200);
  EXPECT_EQ(state->commits.at(TopicPartition{"orders", 1}).commit_timestamp_ms, 1100);
}

TEST(GroupStateTracker, OffsetTombstonesFreeTheirPartitionAndFinallyTheGroup) {
  GroupStateTracker tracker;
  tracker.apply(commit("orders", 0, 10));
  tracker.apply(commit("orders", 1, 10));
  tracker.apply(commit("orders", 0, std::nullopt));
  ASSERT_NE(tracker.find(kGroup), nullptr);
  EXPECT_EQ(tracker.find(kGroup)->commits.count(TopicPartition{"orders", 0}), 0U);
  tracker.apply(commit("orders", 1, std::nullopt));
  EXPECT_EQ(tracker.find(kGroup), nullptr);
  EXPECT_TRUE(tracker.groups().empty());
}

TEST(GroupStateTracker, GroupTombstoneKeepsLiveOffsets) {
  // A classic group converted to KIP-848 loses its type 2 record but keeps its offsets.
  GroupStateTracker tracker;
  tracker.apply(classic(4));
  tracker.apply(commit("orders", 0, 10, 500));
  tracker.apply(classic_deleted());
  const TrackedGroup* state = tracker.find(kGroup);
  ASSERT_NE(state, nullptr);
  EXPECT_TRUE(state->metadata_ended);
  EXPECT_EQ(state->classic_members, 0U);
  EXPECT_EQ(state->commits.size(), 1U);
  EXPECT_EQ(state->offset_commits, 1U);
  tracker.apply(consumer_epoch(4));
  EXPECT_EQ(tracker.find(kGroup)->protocol, GroupProtocol::kConsumer);
  EXPECT_FALSE(tracker.find(kGroup)->metadata_ended);
  EXPECT_EQ(tracker.find(kGroup)->generation, 4);
  EXPECT_EQ(tracker.find(kGroup)->rebalances, 4U);
}

TEST(GroupStateTracker, ClassicMembersComeFromTheGroupRecord) {
  GroupStateTracker tracker;
  tracker.apply(classic(3, 4));
  EXPECT_EQ(tracker.find(kGroup)->classic_members, 4U);
  EXPECT_EQ(tracker.find(kGroup)->classic_protocol_type, "consumer");
  tracker.apply(classic(4, 0));
  EXPECT_EQ(tracker.find(kGroup)->classic_members, 0U);
}

Record member_joined(std::string member_id, std::string client_id) {
  ConsumerGroupMemberMetadata record;
  record.group = std::string(kGroup);
  record.member_id = std::move(member_id);
  record.client_id = std::move(client_id);
  record.subscribed_topic_names = {"orders"};
  return record;
}

Record member_assignment(std::string member_id, std::int32_t epoch, std::size_t partitions) {
  ConsumerGroupCurrentMemberAssignment record;
  record.group = std::string(kGroup);
  record.member_id = std::move(member_id);
  record.member_epoch = epoch;
  record.assigned_partitions = partitions;
  return record;
}

Record member_left(std::string member_id) {
  ConsumerGroupMemberMetadata record;
  record.group = std::string(kGroup);
  record.member_id = std::move(member_id);
  record.tombstone = true;
  return record;
}

TEST(GroupStateTracker, ConsumerGroupMembersJoinReconcileAndLeave) {
  GroupStateTracker tracker;
  tracker.apply(consumer_epoch(1));
  tracker.apply(member_joined("m1", "client-a"));
  tracker.apply(member_joined("m2", "client-b"));
  tracker.apply(member_assignment("m1", 1, 3));
  tracker.apply(ConsumerGroupTargetAssignmentMetadata{std::string(kGroup), 1});

  const TrackedGroup* state = tracker.find(kGroup);
  ASSERT_NE(state, nullptr);
  ASSERT_EQ(state->members.size(), 2U);
  const ConsumerGroupMember& m1 = state->members.at("m1");
  EXPECT_EQ(m1.client_id, "client-a");
  EXPECT_EQ(m1.subscribed_topic_names, std::vector<std::string>{"orders"});
  EXPECT_EQ(m1.member_epoch, 1);
  EXPECT_EQ(m1.assigned_partitions, 3U);
  EXPECT_EQ(state->members.at("m2").member_epoch, std::nullopt);
  EXPECT_EQ(state->target_assignment_epoch, 1);

  tracker.apply(member_left("m2"));
  EXPECT_EQ(tracker.find(kGroup)->members.size(), 1U);
  EXPECT_EQ(tracker.find(kGroup)->members.count("m2"), 0U);
}

TEST(GroupStateTracker, DeletedConsumerGroupFreesAllState) {
  GroupStateTracker tracker;
  tracker.apply(consumer_epoch(3));
  tracker.apply(member_joined("m1", "client-a"));
  tracker.apply(ConsumerGroupTargetAssignmentMetadata{std::string(kGroup), 3});
  // Kafka deletes a group by writing tombstones for each of its keys.
  tracker.apply(member_assignment("m1", 3, 1));
  tracker.apply(ConsumerGroupCurrentMemberAssignment{
      .group = std::string(kGroup), .member_id = "m1", .tombstone = true});
  tracker.apply(member_left("m1"));
  tracker.apply(ConsumerGroupTargetAssignmentMetadata{std::string(kGroup), std::nullopt});
  tracker.apply(consumer_epoch(std::nullopt));
  EXPECT_TRUE(tracker.groups().empty());
}

TEST(GroupStateTracker, MemberTombstoneForUnknownGroupCreatesNothing) {
  GroupStateTracker tracker;
  tracker.apply(member_left("m1"));
  tracker.apply(commit("orders", 0, std::nullopt));
  EXPECT_TRUE(tracker.groups().empty());
}

TEST(GroupStateTracker, CountsSkippedRecordsByKind) {
  GroupStateTracker tracker;
  tracker.apply(classic(1));
  tracker.apply(KnownButIgnored{4, "g", false});
  tracker.apply(UnknownRecordType{99});
  tracker.apply(UnknownValueVersion{1, 9});
  tracker.apply(UnknownValueVersion{2, 9});
  tracker.apply(Malformed{"truncated"});
  const RecordCounts& counts = tracker.record_counts();
  EXPECT_EQ(counts.applied, 1U);
  EXPECT_EQ(counts.known_but_ignored, 1U);
  EXPECT_EQ(counts.unknown_type, 1U);
  EXPECT_EQ(counts.unknown_version, 2U);
  EXPECT_EQ(counts.malformed, 1U);
}

}  // namespace
}  // namespace lagwatch::offsets
