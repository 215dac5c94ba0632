// The cold-start baseline: counters read during the replay are zeroed, the state they describe
// stays, and later events count from there.

#include <gtest/gtest.h>

#include "offsets/group_state_tracker.h"
#include "tracker_records.h"

namespace lagwatch::offsets {
namespace {

using test::classic;
using test::commit;

TEST(TrackerCounterReset, ZeroesCountersAndKeepsState) {
  GroupStateTracker tracker;
  tracker.apply(classic("a", 3));
  tracker.apply(classic("a", 5));
  tracker.apply(commit("a", 10));
  tracker.apply(commit("a", 11));

  tracker.reset_counters();

  const TrackedGroup* state = tracker.find("a");
  ASSERT_NE(state, nullptr);
  EXPECT_EQ(state->rebalances, 0U);
  EXPECT_EQ(state->offset_commits, 0U);
  EXPECT_EQ(state->generation, 5);
  EXPECT_EQ(state->commits.at(TopicPartition{"t", 0}).offset, 11);
}

TEST(TrackerCounterReset, GenerationAtResetIsTheBaseline) {
  GroupStateTracker tracker;
  tracker.apply(classic("a", 3));
  tracker.apply(classic("a", 5));
  tracker.reset_counters();

  tracker.apply(classic("a", 6));
  tracker.apply(classic("a", 8));
  tracker.apply(commit("a", 1));

  EXPECT_EQ(tracker.find("a")->rebalances, 3U);
  EXPECT_EQ(tracker.find("a")->offset_commits, 1U);
}

TEST(TrackerCounterReset, OneGroupLeavesOthersCounting) {
  GroupStateTracker tracker;
  tracker.apply(classic("a", 1));
  tracker.apply(classic("a", 2));
  tracker.apply(classic("b", 1));
  tracker.apply(classic("b", 4));

  tracker.reset_counters("a");
  tracker.reset_counters("no-such-group");

  EXPECT_EQ(tracker.find("a")->rebalances, 0U);
  EXPECT_EQ(tracker.find("b")->rebalances, 4U);  // counted from its creation
  EXPECT_EQ(tracker.find("no-such-group"), nullptr);
}

template <class T>
Record with_group(std::string group) {
  T record;
  record.group = std::move(group);
  return record;
}

TEST(RecordGroup, NamesTheGroupOfEveryGroupRecord) {
  EXPECT_EQ(record_group(commit("a", 1)), "a");
  EXPECT_EQ(record_group(classic("b", 1)), "b");
  EXPECT_EQ(record_group(ConsumerGroupMetadata{"c", 1}), "c");
  EXPECT_EQ(record_group(with_group<ConsumerGroupMemberMetadata>("d")), "d");
  EXPECT_EQ(record_group(ConsumerGroupTargetAssignmentMetadata{"e", 2}), "e");
  EXPECT_EQ(record_group(with_group<ConsumerGroupCurrentMemberAssignment>("f")), "f");
  EXPECT_EQ(record_group(with_group<KnownButIgnored>("g")), "g");
}

TEST(RecordGroup, NoneForRecordsWithoutAGroup) {
  EXPECT_EQ(record_group(UnknownRecordType{42}), std::nullopt);
  EXPECT_EQ(record_group(UnknownValueVersion{1, 99}), std::nullopt);
  EXPECT_EQ(record_group(Malformed{"short key"}), std::nullopt);
}

}  // namespace
}  // namespace lagwatch::offsets
