#include <gtest/gtest.h>

#include "offsets/group_state_tracker.h"
#include "tracker_records.h"

namespace lagwatch::offsets {
namespace {

using test::classic;
using test::commit;

GroupFilter only(std::string watched) {
  return [watched = std::move(watched)](std::string_view group) { return group == watched; };
}

TEST(TrackerFilter, KeepsOnlyWatchedGroupsAndCountsTheRest) {
  GroupStateTracker tracker(only("mine"));
  tracker.apply(commit("mine", 5));
  tracker.apply(commit("other", 7));
  tracker.apply(classic("other", 3));
  tracker.apply(classic("mine", 1));
  tracker.apply(classic("mine", 4));

  ASSERT_EQ(tracker.groups().size(), 1u);
  const TrackedGroup* mine = tracker.find("mine");
  ASSERT_NE(mine, nullptr);
  EXPECT_EQ(mine->commits.at(TopicPartition{"t", 0}).offset, 5);
  EXPECT_EQ(mine->rebalances, 4u);  // counted from its creation
  EXPECT_EQ(tracker.find("other"), nullptr);
  EXPECT_EQ(tracker.record_counts().applied, 3u);
  EXPECT_EQ(tracker.record_counts().unwatched, 2u);
  EXPECT_TRUE(tracker.watches("mine"));
  EXPECT_FALSE(tracker.watches("other"));
}

TEST(TrackerFilter, RecordsWithoutAGroupAreNotFiltered) {
  GroupStateTracker tracker(only("mine"));
  tracker.apply(UnknownRecordType{42});
  tracker.apply(Malformed{"short key"});
  EXPECT_EQ(tracker.record_counts().unknown_type, 1u);
  EXPECT_EQ(tracker.record_counts().malformed, 1u);
  EXPECT_EQ(tracker.record_counts().unwatched, 0u);
}

TEST(TrackerFilter, WithoutAFilterEveryGroupIsKept) {
  GroupStateTracker tracker;
  tracker.apply(commit("a", 1));
  tracker.apply(commit("b", 2));
  EXPECT_EQ(tracker.groups().size(), 2u);
  EXPECT_TRUE(tracker.watches("anything"));
}

TEST(TrackerFilter, ClearDropsStateAndCountsButKeepsTheFilter) {
  GroupStateTracker tracker(only("mine"));
  tracker.apply(commit("mine", 1));
  tracker.apply(commit("other", 1));
  tracker.clear();
  EXPECT_TRUE(tracker.groups().empty());
  EXPECT_EQ(tracker.record_counts().applied, 0u);
  EXPECT_EQ(tracker.record_counts().unwatched, 0u);
  tracker.apply(commit("other", 2));
  EXPECT_TRUE(tracker.groups().empty());
  EXPECT_EQ(tracker.record_counts().unwatched, 1u);
}

}  // namespace
}  // namespace lagwatch::offsets
