#include "poll/cycle_state.h"

#include <gtest/gtest.h>

#include <set>

#include "poll/internal/shard.h"

namespace lagwatch::poll {
namespace {

using kafka::CommittedOffset;
using kafka::GroupDescription;
using kafka::GroupListing;
using kafka::GroupOffsets;
using kafka::GroupState;
using kafka::Watermark;

const Error kTimeout{-185, "timed out"};

CycleReplies replies(std::vector<std::string> groups,
                     std::vector<std::vector<CommittedOffset>> offsets) {
  CycleReplies r;
  r.metadata.topics = {{"orders", 2, std::nullopt, {}}, {"audit", 1, std::nullopt, {}}};
  for (size_t i = 0; i < groups.size(); ++i) {
    r.listings.push_back(GroupListing{groups[i], false, GroupState::kEmpty});
    r.descriptions.push_back(
        {groups[i], GroupDescription{groups[i], GroupState::kEmpty, 0, {}, {}}});
    r.offsets.push_back({groups[i], GroupOffsets{groups[i], offsets[i]}});
  }
  return r;
}

Result<std::vector<Watermark>> watermarks(const std::vector<kafka::TopicPartition>& needed,
                                          int64_t high) {
  std::vector<Watermark> out;
  for (const auto& tp : needed) out.push_back(Watermark{tp.topic, tp.partition, {}, 1, high});
  return out;
}

struct Fixture : ::testing::Test {
  config::ClusterConfig cluster = [] {
    config::ClusterConfig c;
    c.name = "c";
    return c;
  }();
  CycleState state{cluster};
  StageCount describe, offsets, marks;
  double now = 1000;

  lag::ClusterSnapshot cycle(const CycleReplies& r, int64_t high) {
    auto needed = state.absorb_groups(r, describe, offsets);
    state.absorb_watermarks(needed, watermarks(needed, high), marks);
    return state.build(lag::from_unix_seconds(now += 15), nullptr);
  }
};

TEST_F(Fixture, ComputesLagFromFreshReplies) {
  auto s = cycle(replies({"a"}, {{{"orders", 0, 40}, {"orders", 1, 100}}}), 100);
  ASSERT_EQ(s.groups.size(), 1u);
  ASSERT_EQ(s.groups[0].partitions.size(), 2u);
  EXPECT_EQ(s.groups[0].partitions[0].lag, 60);
  EXPECT_EQ(s.groups[0].partitions[1].lag, 0);
  EXPECT_EQ(s.topics, std::vector<std::string>{"orders"});
  EXPECT_EQ(s.partitions.size(), 2u);
  EXPECT_EQ(describe.failures + offsets.failures + marks.failures, 0);
}

TEST_F(Fixture, FailedOffsetFetchKeepsPreviousValuesAndIsCounted) {
  cycle(replies({"a", "b"}, {{{"orders", 0, 40}}, {{"audit", 0, 5}}}), 100);
  auto r = replies({"a", "b"}, {{{"orders", 0, 50}}, {}});
  r.offsets[1].result = kTimeout;
  r.descriptions[1].result = kTimeout;
  auto s = cycle(r, 100);
  ASSERT_EQ(s.groups.size(), 2u);
  EXPECT_EQ(s.groups[0].partitions[0].committed_offset, 50);
  ASSERT_EQ(s.groups[1].partitions.size(), 1u);
  EXPECT_EQ(s.groups[1].partitions[0].committed_offset, 5);
  EXPECT_EQ(offsets.failures, 1);
  EXPECT_EQ(offsets.attempts, 4);
  EXPECT_EQ(describe.failures, 1);
}

TEST_F(Fixture, FailedWatermarksKeepPreviousOnes) {
  cycle(replies({"a"}, {{{"orders", 0, 40}}}), 100);
  auto r = replies({"a"}, {{{"orders", 0, 40}}});
  auto needed = state.absorb_groups(r, describe, offsets);
  state.absorb_watermarks(needed, Result<std::vector<Watermark>>(kTimeout), marks);
  auto s = state.build(lag::from_unix_seconds(now += 15), nullptr);
  EXPECT_EQ(s.groups[0].partitions[0].lag, 60);
  EXPECT_EQ(marks.failures, 1);
}

TEST_F(Fixture, VanishedGroupsTopicsAndPartitionsDisappear) {
  cycle(replies({"a", "b"}, {{{"orders", 0, 40}, {"audit", 0, 1}}, {{"orders", 1, 3}}}), 100);
  auto r = replies({"a"}, {{{"orders", 0, 40}, {"audit", 0, 1}}});
  r.metadata.topics = {{"orders", 2, std::nullopt, {}}};  // audit deleted
  auto s = cycle(r, 100);
  ASSERT_EQ(s.groups.size(), 1u);
  EXPECT_EQ(s.groups[0].name, "a");
  ASSERT_EQ(s.groups[0].partitions.size(), 1u);
  EXPECT_EQ(s.topics, std::vector<std::string>{"orders"});
  EXPECT_EQ(s.partitions.size(), 1u);
}

TEST_F(Fixture, PartitionBeyondTopicSizeIsDropped) {
  auto s = cycle(replies({"a"}, {{{"orders", 7, 40}}}), 100);
  EXPECT_TRUE(s.groups[0].partitions.empty());
}

TEST_F(Fixture, TopicFilterDropsDeniedTopics) {
  cluster.topics = config::NameFilter({}, {"aud.*"});
  auto s = cycle(replies({"a"}, {{{"orders", 0, 1}, {"audit", 0, 1}}}), 100);
  ASSERT_EQ(s.groups[0].partitions.size(), 1u);
  EXPECT_EQ(s.topics, std::vector<std::string>{"orders"});
}

TEST_F(Fixture, ListingStateWinsWhereDescribeIsBlind) {
  auto r = replies({"kip848"}, {{}});
  r.listings[0].state = GroupState::kStable;
  r.descriptions[0].result = GroupDescription{"kip848", GroupState::kDead, 0, {}, {}};
  auto s = cycle(r, 100);
  EXPECT_EQ(s.groups[0].state, lag::GroupState::kStable);
}

TEST_F(Fixture, CarriedOverPartitionsAreErrNotGuessed) {
  cycle(replies({"a"}, {{{"orders", 0, 40}}}), 100);
  auto r = replies({"a"}, {{}});
  r.offsets[0].result = kTimeout;
  auto s = cycle(r, 100);
  EXPECT_EQ(s.groups[0].partitions[0].health, lag::HealthStatus::kErr);
  EXPECT_EQ(s.groups[0].health, lag::HealthStatus::kErr);
}

// Each group's partition has its own health window, kept from poll to poll; a partition the
// group stops committing on loses it, and starts a new one when the group commits there again.
TEST_F(Fixture, HealthWindowsArePerGroupPartitionAndStartOverAfterAGap) {
  auto health_of = [](const lag::ClusterSnapshot& s, const std::string& group, int32_t partition) {
    for (const auto& g : s.groups) {
      if (g.name != group) continue;
      for (const auto& p : g.partitions) {
        if (p.partition == partition) return p.health;
      }
    }
    ADD_FAILURE() << group << " has no partition " << partition;
    return lag::HealthStatus::kErr;
  };
  int64_t high = 100;
  lag::ClusterSnapshot s;
  // "stuck" never moves its commit on orders/0 while the log grows; "fine" keeps up there.
  for (int poll = 0; poll < 12; ++poll, high += 10) {
    s = cycle(replies({"fine", "stuck"},
                      {{{"orders", 0, high - 1}}, {{"orders", 0, 40}, {"orders", 1, 40}}}),
              high);
  }
  EXPECT_NE(health_of(s, "stuck", 0), lag::HealthStatus::kOk);
  EXPECT_EQ(health_of(s, "fine", 0), lag::HealthStatus::kOk);
  // One poll without a commit on orders/0: its window is gone, orders/1's is kept.
  s = cycle(replies({"fine", "stuck"}, {{{"orders", 0, high - 1}}, {{"orders", 1, 40}}}), high);
  high += 10;
  EXPECT_NE(health_of(s, "stuck", 1), lag::HealthStatus::kOk);
  s = cycle(replies({"fine", "stuck"},
                    {{{"orders", 0, high - 1}}, {{"orders", 0, 40}, {"orders", 1, 40}}}),
            high);
  EXPECT_EQ(health_of(s, "stuck", 0), lag::HealthStatus::kOk);  // a new window, not full yet
  EXPECT_NE(health_of(s, "stuck", 1), lag::HealthStatus::kOk);
}

TEST_F(Fixture, DataLossAndCaughtUpSeconds) {
  auto r = replies({"a"}, {{{"orders", 0, 0}, {"orders", 1, 100}}});
  auto needed = state.absorb_groups(r, describe, offsets);
  std::vector<Watermark> marks_reply;
  for (const auto& tp : needed)
    marks_reply.push_back(Watermark{tp.topic, tp.partition, {}, 30, 100});
  state.absorb_watermarks(needed, marks_reply, marks);
  auto s = state.build(lag::from_unix_seconds(now), nullptr);
  EXPECT_EQ(s.groups[0].partitions[0].messages_lost, 30);
  EXPECT_EQ(s.groups[0].partitions[1].messages_lost, 0);
  EXPECT_EQ(s.groups[0].partitions[1].lag_seconds, 0.0);
  // One history point: the lagging partition has no lag seconds yet (no value, no series).
  EXPECT_FALSE(s.groups[0].partitions[0].lag_seconds.has_value());
}

TEST_F(Fixture, EstimatedLagSecondsFromHistory) {
  // High watermark 100 at t, 200 at t+15: offset 150 became newest at t+7.5.
  cycle(replies({"a"}, {{{"orders", 0, 150}}}), 100);
  auto s = cycle(replies({"a"}, {{{"orders", 0, 150}}}), 200);
  ASSERT_TRUE(s.groups[0].partitions[0].lag_seconds.has_value());
  EXPECT_DOUBLE_EQ(*s.groups[0].partitions[0].lag_seconds, 7.5);
  EXPECT_FALSE(s.groups[0].partitions[0].lag_seconds_exact);
}

TEST_F(Fixture, ExactModeUsesRecordTimestampsAndCachesThem) {
  cluster.lag_seconds_mode = config::LagSecondsMode::kExact;
  cycle(replies({"a", "b"}, {{{"orders", 0, 40}}, {{"orders", 0, 40}}}), 100);
  auto wanted = state.exact_requests(10);
  ASSERT_EQ(wanted.size(), 1u);  // two groups at the same offset share one read
  EXPECT_EQ(wanted[0].offset, 40);
  kafka::Sample sample;
  sample.topic = "orders";
  sample.partition = 0;
  sample.requested_offset = 40;
  sample.outcome = kafka::Sample::Outcome::kTimestamp;
  sample.timestamp_ms = static_cast<int64_t>((now - 100) * 1000);
  StageCount stage;
  state.absorb_samples({sample}, stage);
  auto s = cycle(replies({"a", "b"}, {{{"orders", 0, 40}}, {{"orders", 0, 40}}}), 100);
  ASSERT_TRUE(s.groups[0].partitions[0].lag_seconds_exact);
  EXPECT_NEAR(*s.groups[0].partitions[0].lag_seconds, 115.0, 0.01);
  EXPECT_TRUE(state.exact_requests(10).empty());  // cached while the group stays there
  // The group moved on: the old timestamp is freed, the new offset is wanted.
  cycle(replies({"a", "b"}, {{{"orders", 0, 60}}, {{"orders", 0, 60}}}), 100);
  wanted = state.exact_requests(10);
  ASSERT_EQ(wanted.size(), 1u);
  EXPECT_EQ(wanted[0].offset, 60);
}

kafka::Sample sample_at(int64_t requested, kafka::Sample::Outcome outcome, int64_t timestamp_ms,
                        int64_t offset_read) {
  kafka::Sample sample;
  sample.topic = "orders";
  sample.partition = 0;
  sample.requested_offset = requested;
  sample.outcome = outcome;
  sample.timestamp_ms = timestamp_ms;
  sample.offset_read = offset_read;
  return sample;
}

// Compacted away at the committed offset: the first record after it is the next one the group
// reads, and its timestamp is exact.
TEST_F(Fixture, ExactModeUsesTheFirstRecordAfterACompactedOffset) {
  cluster.lag_seconds_mode = config::LagSecondsMode::kExact;
  const auto r = replies({"a"}, {{{"orders", 0, 40}}});
  cycle(r, 100);
  StageCount stage;
  state.absorb_samples({sample_at(40, kafka::Sample::Outcome::kNotExact,
                                  static_cast<int64_t>((now - 200) * 1000), 43)},
                       stage);
  auto s = cycle(r, 100);
  EXPECT_TRUE(s.groups[0].partitions[0].lag_seconds_exact);
  EXPECT_NEAR(*s.groups[0].partitions[0].lag_seconds, 215.0, 0.01);
}

// Deleted by retention: the estimate stands in, and says so.
TEST_F(Fixture, ExactModeFallsBackOnlyWhenNoRecordCanBeRead) {
  cluster.lag_seconds_mode = config::LagSecondsMode::kExact;
  const auto r = replies({"a"}, {{{"orders", 0, 40}}});
  cycle(r, 100);
  StageCount stage;
  state.absorb_samples({sample_at(40, kafka::Sample::Outcome::kOffsetOutOfRange, -1, -1)}, stage);
  auto s = cycle(r, 100);
  EXPECT_FALSE(s.groups[0].partitions[0].lag_seconds_exact);
  EXPECT_TRUE(state.exact_requests(10).empty());
}

// Estimate mode: an offset older than the watermark history is read once from the record
// instead of staying a lower bound; one the history dates is not read.
TEST_F(Fixture, EstimateReadsTheRecordOfAnOffsetOlderThanItsHistory) {
  cycle(replies({"old", "new"}, {{{"orders", 0, 40}}, {{"orders", 0, 150}}}), 100);
  auto first = cycle(replies({"old", "new"}, {{{"orders", 0, 40}}, {{"orders", 0, 150}}}), 200);
  EXPECT_TRUE(first.groups[1].partitions[0].lag_seconds_lower_bound);  // "old", sorted by name
  auto wanted = state.exact_requests(10);
  ASSERT_EQ(wanted.size(), 1u);
  EXPECT_EQ(wanted[0].offset, 40);
  StageCount stage;
  state.absorb_samples({sample_at(40, kafka::Sample::Outcome::kTimestamp,
                                  static_cast<int64_t>((now - 500) * 1000), 40)},
                       stage);
  auto s = cycle(replies({"old", "new"}, {{{"orders", 0, 40}}, {{"orders", 0, 150}}}), 200);
  const auto& old_group = s.groups[1].partitions[0];
  EXPECT_FALSE(old_group.lag_seconds_lower_bound);
  EXPECT_NEAR(*old_group.lag_seconds, 515.0, 0.01);
  EXPECT_FALSE(s.groups[0].partitions[0].lag_seconds_lower_bound);
}

TEST_F(Fixture, LargestLagsAreSampledFirst) {
  cluster.lag_seconds_mode = config::LagSecondsMode::kExact;
  cycle(replies({"a", "b", "c"}, {{{"orders", 0, 90}}, {{"orders", 0, 10}}, {{"orders", 0, 50}}}),
        100);
  auto wanted = state.exact_requests(2);
  ASSERT_EQ(wanted.size(), 2u);
  EXPECT_EQ(wanted[0].offset, 10);
  EXPECT_EQ(wanted[1].offset, 50);
}

// One cycle with explicit watermarks (low, high) for every needed partition.
lag::ClusterSnapshot cycle_with(CycleState& state, const CycleReplies& r, int64_t low, int64_t high,
                                double at) {
  StageCount describe, offsets, marks;
  auto needed = state.absorb_groups(r, describe, offsets);
  std::vector<Watermark> reply;
  for (const auto& tp : needed) reply.push_back(Watermark{tp.topic, tp.partition, {}, low, high});
  state.absorb_watermarks(needed, reply, marks);
  return state.build(lag::from_unix_seconds(at), nullptr);
}

// The topic was deleted and re-created between two polls, and no poll saw it absent: the log
// start went back (50 -> 0) although the high watermark grew. The cached record timestamp and
// the watermark history belong to the old topic and must go.
TEST_F(Fixture, RecreatedTopicForgetsTheOldTopicsState) {
  cluster.lag_seconds_mode = config::LagSecondsMode::kExact;
  const auto r = replies({"a"}, {{{"orders", 0, 60}}});
  cycle_with(state, r, 50, 100, 1000);
  cycle_with(state, r, 50, 100, 1015);
  StageCount stage;
  state.absorb_samples({sample_at(60, kafka::Sample::Outcome::kTimestamp, 1'000 * 1000, 60)},
                       stage);
  auto old_topic = cycle_with(state, r, 50, 100, 1030);
  ASSERT_TRUE(old_topic.groups[0].partitions[0].lag_seconds_exact);

  auto recreated = cycle_with(state, r, 0, 120, 1045);
  EXPECT_FALSE(recreated.groups[0].partitions[0].lag_seconds_exact);
  auto wanted = state.exact_requests(10);
  ASSERT_EQ(wanted.size(), 1u);
  EXPECT_EQ(wanted[0].offset, 60);
}

// Three polls of the old log (log start `old_low`, end 100; offset 60 older than the history: a
// 30 s lower bound), then two of the new one (0, 120) five seconds apart. The old points do not
// date the new log's offsets: only a history restarted with the new log reads 5 s.
void expect_history_restarts(CycleState& state, const CycleReplies& old_log, int64_t old_low,
                             const CycleReplies& new_log) {
  cycle_with(state, old_log, old_low, 100, 1000);
  cycle_with(state, old_log, old_low, 100, 1015);
  auto before = cycle_with(state, old_log, old_low, 100, 1030);
  ASSERT_TRUE(before.groups[0].partitions[0].lag_seconds_lower_bound);
  ASSERT_DOUBLE_EQ(*before.groups[0].partitions[0].lag_seconds, 30.0);
  cycle_with(state, new_log, 0, 120, 1045);
  auto after = cycle_with(state, new_log, 0, 120, 1050);
  ASSERT_TRUE(after.groups[0].partitions[0].lag_seconds.has_value());
  EXPECT_DOUBLE_EQ(*after.groups[0].partitions[0].lag_seconds, 5.0);
  EXPECT_TRUE(after.groups[0].partitions[0].lag_seconds_lower_bound);
}

TEST_F(Fixture, RecreatedTopicRestartsTheEstimateHistory) {
  const auto r = replies({"a"}, {{{"orders", 0, 60}}});
  expect_history_restarts(state, r, 50, r);
}

TEST_F(Fixture, FewerPartitionsMeansARecreatedTopic) {
  auto r = replies({"a"}, {{{"orders", 0, 60}}});
  cycle_with(state, r, 0, 100, 1000);
  auto before = cycle_with(state, r, 0, 100, 1015);
  ASSERT_DOUBLE_EQ(*before.groups[0].partitions[0].lag_seconds, 15.0);
  r.metadata.topics[0].partitions = 1;  // was 2: partitions are never removed from a topic
  cycle_with(state, r, 0, 100, 1030);
  auto after = cycle_with(state, r, 0, 100, 1035);
  EXPECT_DOUBLE_EQ(*after.groups[0].partitions[0].lag_seconds, 5.0);
}

CycleReplies with_topic_id(CycleReplies r, const std::string& id) {
  r.metadata.topics[0].id = id;  // "orders"
  return r;
}

// Re-created between two polls with more records than before and the log start at 0 both times:
// no watermark went back, only the topic ID tells the logs apart. The old record's timestamp
// (1,000 s old) must not be reported as the new topic's exact lag.
TEST_F(Fixture, NewTopicIdForgetsTheCachedRecordTimestamp) {
  cluster.lag_seconds_mode = config::LagSecondsMode::kExact;
  const auto old_topic = with_topic_id(replies({"a"}, {{{"orders", 0, 60}}}), "old-id");
  cycle_with(state, old_topic, 0, 100, 1000);
  StageCount stage;
  state.absorb_samples({sample_at(60, kafka::Sample::Outcome::kTimestamp, 5'000, 60)}, stage);
  auto before = cycle_with(state, old_topic, 0, 100, 1015);
  ASSERT_TRUE(before.groups[0].partitions[0].lag_seconds_exact);
  ASSERT_NEAR(*before.groups[0].partitions[0].lag_seconds, 1010.0, 0.01);

  const auto new_topic = with_topic_id(replies({"a"}, {{{"orders", 0, 60}}}), "new-id");
  auto needed = state.absorb_groups(new_topic, describe, offsets);
  state.absorb_watermarks(needed, watermarks(needed, 120), marks);
  // Asked for again in the same poll that saw the new ID, not one poll later.
  auto wanted = state.exact_requests(10);
  ASSERT_EQ(wanted.size(), 1u);
  EXPECT_EQ(wanted[0].offset, 60);
  state.absorb_samples({sample_at(60, kafka::Sample::Outcome::kTimestamp, 1'020 * 1000, 60)},
                       stage);
  auto after = state.build(lag::from_unix_seconds(1030), nullptr);
  ASSERT_TRUE(after.groups[0].partitions[0].lag_seconds_exact);
  EXPECT_NEAR(*after.groups[0].partitions[0].lag_seconds, 10.0, 0.01);
}

// The estimate of a lower bound must stay below the truth: the old topic's watermark points
// would date offset 60 of the new log to the first poll of the old one.
TEST_F(Fixture, NewTopicIdRestartsTheEstimateHistory) {
  expect_history_restarts(state, with_topic_id(replies({"a"}, {{{"orders", 0, 60}}}), "old-id"), 0,
                          with_topic_id(replies({"a"}, {{{"orders", 0, 60}}}), "new-id"));
}

// A poll whose ID lookup failed says nothing about the topic: the state is kept, and the ID
// known before is still what the next answer is compared with.
TEST_F(Fixture, UnknownTopicIdKeepsTheState) {
  const auto known = with_topic_id(replies({"a"}, {{{"orders", 0, 60}}}), "same-id");
  cycle_with(state, known, 0, 100, 1000);
  cycle_with(state, with_topic_id(replies({"a"}, {{{"orders", 0, 60}}}), ""), 0, 100, 1015);
  auto s = cycle_with(state, known, 0, 100, 1030);
  ASSERT_TRUE(s.groups[0].partitions[0].lag_seconds.has_value());
  EXPECT_DOUBLE_EQ(*s.groups[0].partitions[0].lag_seconds, 30.0);
}

// Offsets carried over from a failed fetch were committed on the old topic: they mean nothing on
// the new one, so the partition has no series until the group's offsets are read again.
TEST_F(Fixture, NewTopicIdDropsOffsetsCarriedOverFromTheOldTopic) {
  cycle_with(state, with_topic_id(replies({"a"}, {{{"orders", 0, 60}}}), "old-id"), 0, 100, 1000);
  auto r = with_topic_id(replies({"a"}, {{{"orders", 0, 60}}}), "new-id");
  r.offsets[0].result = kTimeout;
  auto s = cycle_with(state, r, 0, 120, 1015);
  ASSERT_EQ(s.groups.size(), 1u);
  EXPECT_TRUE(s.groups[0].partitions.empty());
}

TEST_F(Fixture, ExactRequestsRoundRobinUnderTheLimit) {
  cluster.lag_seconds_mode = config::LagSecondsMode::kExact;
  cycle(replies({"a", "b", "c"}, {{{"orders", 0, 1}}, {{"orders", 0, 2}}, {{"orders", 0, 3}}}),
        100);
  std::set<int64_t> offsets_seen;
  for (int i = 0; i < 3; ++i) {
    auto wanted = state.exact_requests(1);
    ASSERT_EQ(wanted.size(), 1u);
    offsets_seen.insert(wanted[0].offset);
  }
  EXPECT_EQ(offsets_seen, (std::set<int64_t>{1, 2, 3}));
}

TEST_F(Fixture, MemberDetailsFollowTheDescribeReplyOnlyWhenSwitchedOn) {
  auto r = replies({"a"}, {{}});
  GroupDescription described{"a",
                             GroupState::kStable,
                             2,
                             {},
                             {{"m1", "app-1", "/10.0.0.1"}, {"m2", "app-2", "/10.0.0.2"}}};
  r.descriptions[0].result = described;
  EXPECT_TRUE(cycle(r, 100).groups[0].member_details.empty());

  cluster.series.member_info = true;
  auto s = cycle(r, 100);
  EXPECT_TRUE(s.member_info);
  ASSERT_EQ(s.groups[0].member_details.size(), 2u);
  EXPECT_EQ(s.groups[0].member_details[1].member_id, "m2");
  EXPECT_EQ(s.groups[0].member_details[1].client_id, "app-2");
  EXPECT_EQ(s.groups[0].member_details[1].host, "/10.0.0.2");

  // m1 left: the next poll no longer knows it.
  described.members = 1;
  described.member_details.erase(described.member_details.begin());
  r.descriptions[0].result = described;
  s = cycle(r, 100);
  ASSERT_EQ(s.groups[0].member_details.size(), 1u);
  EXPECT_EQ(s.groups[0].member_details[0].member_id, "m2");
}

TEST_F(Fixture, RebalancesFromDescribeWithoutTracker) {
  auto r = replies({"a"}, {{}});
  r.descriptions[0].result = GroupDescription{"a", GroupState::kStable, 1, {}, {{"m1", "", ""}}};
  cycle(r, 100);
  r.descriptions[0].result =
      GroupDescription{"a", GroupState::kStable, 2, {}, {{"m1", "", ""}, {"m2", "", ""}}};
  auto s = cycle(r, 100);
  EXPECT_EQ(s.groups[0].rebalances, 1u);
  EXPECT_FALSE(s.groups[0].generation.has_value());
}

TEST(SelectGroups, AppliesFilterAndShardAndSorts) {
  config::ClusterConfig cluster;
  cluster.groups = config::NameFilter({"app-.*"}, {".*-test"});
  std::vector<GroupListing> listing;
  for (const char* name : {"app-b", "app-a", "other", "app-x-test"}) {
    listing.push_back(GroupListing{name, false, GroupState::kStable});
  }
  auto selected = CycleState::select_groups(listing, cluster);
  ASSERT_EQ(selected.size(), 2u);
  EXPECT_EQ(selected[0].name, "app-a");
  EXPECT_EQ(selected[1].name, "app-b");
}

TEST(Shard, EveryGroupInExactlyOneShard) {
  for (int i = 0; i < 1000; ++i) {
    const std::string group = "group-" + std::to_string(i);
    int owners = 0;
    for (uint32_t shard = 0; shard < 3; ++shard) owners += in_shard(group, shard, 3) ? 1 : 0;
    EXPECT_EQ(owners, 1) << group;
  }
  EXPECT_TRUE(in_shard("anything", 0, 1));
}

TEST(Shard, HashIsStable) {
  // FNV-1a 64 reference values: changing the hash would reshuffle groups between instances.
  EXPECT_EQ(stable_group_hash(""), 14695981039346656037ull);
  EXPECT_EQ(stable_group_hash("a"), 0xaf63dc4c8601ec8cull);
}

}  // namespace
}  // namespace lagwatch::poll
