// Committed offsets served from the __consumer_offsets tracker, and the verifier's rule for
// telling a racing commit from a disagreement.

#include "poll/stream_offsets.h"

#include <gtest/gtest.h>

namespace lagwatch::poll {
namespace {

using kafka::CommittedOffset;
using kafka::GroupOffsets;

offsets::OffsetCommit commit(std::string group, std::string topic, int32_t partition,
                             std::optional<int64_t> offset, int64_t at_ms = 1000) {
  offsets::OffsetCommit record;
  record.group = std::move(group);
  record.topic = std::move(topic);
  record.partition = partition;
  record.offset = offset;
  record.commit_timestamp_ms = offset ? at_ms : -1;
  return record;
}

GroupOffsets of(std::vector<CommittedOffset> offsets) {
  return GroupOffsets{"g", std::move(offsets)};
}

std::vector<std::tuple<std::string, int32_t, int64_t>> flat(const GroupOffsets& offsets) {
  std::vector<std::tuple<std::string, int32_t, int64_t>> out;
  for (const auto& o : offsets.offsets) out.emplace_back(o.topic, o.partition, o.offset);
  return out;
}

TEST(StreamOffsets, LatestCommitPerPartition) {
  offsets::GroupStateTracker tracker;
  tracker.apply(commit("g", "orders", 1, 10));
  tracker.apply(commit("g", "orders", 0, 5));
  tracker.apply(commit("g", "orders", 1, 12));
  tracker.apply(commit("other", "orders", 0, 99));
  const auto served = stream_offsets("g", tracker.find("g"));
  EXPECT_EQ(served.group, "g");
  EXPECT_EQ(flat(served), (decltype(flat(served)){{"orders", 0, 5}, {"orders", 1, 12}}));
}

TEST(StreamOffsets, TombstoneOrExpirationRemovesThePartition) {
  offsets::GroupStateTracker tracker;
  tracker.apply(commit("g", "orders", 0, 5));
  tracker.apply(commit("g", "orders", 1, 7));
  // The coordinator writes a tombstone when an offset expires or is deleted.
  tracker.apply(commit("g", "orders", 0, std::nullopt));
  EXPECT_EQ(flat(stream_offsets("g", tracker.find("g"))),
            (std::vector<std::tuple<std::string, int32_t, int64_t>>{{"orders", 1, 7}}));
}

TEST(StreamOffsets, DeletedGroupHasNoOffsets) {
  offsets::GroupStateTracker tracker;
  tracker.apply(commit("g", "orders", 0, 5));
  offsets::ClassicGroupMetadata metadata;
  metadata.group = "g";
  metadata.generation = 3;
  tracker.apply(metadata);
  // DeleteGroups: a tombstone per offset, then one for the group.
  tracker.apply(commit("g", "orders", 0, std::nullopt));
  offsets::ClassicGroupMetadata deleted;
  deleted.group = "g";
  deleted.tombstone = true;
  tracker.apply(deleted);
  EXPECT_EQ(tracker.find("g"), nullptr);
  EXPECT_TRUE(stream_offsets("g", tracker.find("g")).offsets.empty());
}

TEST(StreamOffsets, GroupWithoutStateHasNoOffsets) {
  EXPECT_TRUE(stream_offsets("g", nullptr).offsets.empty());
}

// Values of Java's String.hashCode, abs, modulo: where Kafka puts each group's records.
TEST(CoordinatorPartition, MatchesKafkasPartitionFor) {
  EXPECT_EQ(coordinator_partition("", 50), 0);
  EXPECT_EQ(coordinator_partition("hello", 50), 99162322 % 50);  // "hello".hashCode()
  EXPECT_EQ(coordinator_partition("Aa", 50), coordinator_partition("BB", 50));  // both 2112
  EXPECT_EQ(coordinator_partition("Aa", 50), 2112 % 50);
  // "polygenelubricants".hashCode() is Integer.MIN_VALUE, which Kafka's abs maps to 0.
  EXPECT_EQ(coordinator_partition("polygenelubricants", 50), 0);
  EXPECT_EQ(coordinator_partition("my-consumer-group", 50), 1513705513 % 50);
  EXPECT_EQ(coordinator_partition("lagwatch-negative", 50), 1700184699 % 50);  // hash < 0
  // Non-ASCII: "é" is one UTF-16 unit (0xE9); U+1F600 is a surrogate pair 0xD83D 0xDE00.
  EXPECT_EQ(coordinator_partition("\xC3\xA9", 1000), 0xE9 % 1000);
  EXPECT_EQ(coordinator_partition("\xF0\x9F\x98\x80", 100000), (0xD83D * 31 + 0xDE00) % 100000);
  EXPECT_EQ(coordinator_partition("\xFF", 100000), 0xFFFD);  // invalid byte: U+FFFD
  EXPECT_EQ(coordinator_partition("x", 0), 0);
}

TEST(CompareOffsets, EqualEverywhereIsNoMismatch) {
  const auto same = of({{"t", 0, 5}, {"t", 1, 9}});
  EXPECT_TRUE(compare_offsets(same, same, same).empty());
}

TEST(CompareOffsets, StaleStreamIsAMismatch) {
  const auto stream = of({{"t", 0, 5}});
  const auto mismatches = compare_offsets(of({{"t", 0, 6}}), stream, stream);
  ASSERT_EQ(mismatches.size(), 1u);
  EXPECT_EQ(mismatches[0].topic, "t");
  EXPECT_EQ(mismatches[0].partition, 0);
  EXPECT_EQ(mismatches[0].fetched, 6);
  EXPECT_EQ(mismatches[0].before, 5);
  EXPECT_EQ(mismatches[0].after, 5);
}

TEST(CompareOffsets, CommitRacingTheFetchIsExplained) {
  const auto before = of({{"t", 0, 100}});
  const auto after = of({{"t", 0, 200}});
  EXPECT_TRUE(compare_offsets(of({{"t", 0, 100}}), before, after).empty());
  EXPECT_TRUE(compare_offsets(of({{"t", 0, 150}}), before, after).empty());
  EXPECT_TRUE(compare_offsets(of({{"t", 0, 200}}), before, after).empty());
  EXPECT_EQ(compare_offsets(of({{"t", 0, 201}}), before, after).size(), 1u);
  EXPECT_EQ(compare_offsets(of({{"t", 0, 99}}), before, after).size(), 1u);
  // A rewind between the two moments.
  EXPECT_TRUE(compare_offsets(of({{"t", 0, 150}}), after, before).empty());
}

TEST(CompareOffsets, MissingPartitionsMustBeExplainedToo) {
  const auto stream = of({{"t", 0, 5}, {"t", 1, 9}});
  // OffsetFetch knows a partition the stream never saw.
  EXPECT_EQ(compare_offsets(of({{"t", 0, 5}, {"t", 1, 9}, {"t", 2, 1}}), stream, stream).size(),
            1u);
  // The stream has a partition OffsetFetch does not (an undelivered tombstone, say).
  EXPECT_EQ(compare_offsets(of({{"t", 0, 5}}), stream, stream).size(), 1u);
  // A first commit or a deletion racing the fetch.
  EXPECT_TRUE(compare_offsets(of({{"t", 0, 5}}), of({{"t", 0, 5}}), stream).empty());
  EXPECT_TRUE(compare_offsets(of({{"t", 0, 5}}), stream, of({{"t", 0, 5}})).empty());
}

TEST(OffsetsVerifier, SamplesRotateThroughEveryGroup) {
  OffsetsVerifier verifier(2);
  const std::vector<std::string> groups{"a", "b", "c", "d", "e"};
  EXPECT_EQ(verifier.sample(groups), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(verifier.sample(groups), (std::vector<std::string>{"c", "d"}));
  EXPECT_EQ(verifier.sample(groups), (std::vector<std::string>{"e", "a"}));
  // Groups come and go: the rotation continues after the last name sampled.
  EXPECT_EQ(verifier.sample({"a", "c"}), (std::vector<std::string>{"c", "a"}));
  EXPECT_EQ(verifier.sample({"b"}), (std::vector<std::string>{"b"}));
  EXPECT_TRUE(verifier.sample({}).empty());
  EXPECT_TRUE(OffsetsVerifier(0).sample(groups).empty());
}

TEST(OffsetsVerifier, SettlesHeldFetchesAgainstTheStreamLater) {
  OffsetsVerifier verifier(3);
  verifier.hold({GroupOffsets{"g1", {{"t", 0, 10}}}, GroupOffsets{"g2", {{"t", 0, 7}}}},
                {GroupOffsets{"g1", {{"t", 0, 8}}}, GroupOffsets{"g2", {{"t", 0, 7}}}});
  ASSERT_TRUE(verifier.holding());
  const auto outcome = verifier.settle([](const std::string& group) -> std::optional<GroupOffsets> {
    return group == "g1" ? GroupOffsets{"g1", {{"t", 0, 12}}} : GroupOffsets{"g2", {{"t", 0, 6}}};
  });
  EXPECT_EQ(outcome.groups_checked, 2u);
  ASSERT_EQ(outcome.mismatches.size(), 0u);  // g1 raced (8..12), g2 rewound (7..6)
  EXPECT_FALSE(verifier.holding());

  verifier.hold({GroupOffsets{"g1", {{"t", 0, 10}}}}, {GroupOffsets{"g1", {{"t", 0, 9}}}});
  const auto wrong = verifier.settle([](const std::string&) -> std::optional<GroupOffsets> {
    return GroupOffsets{"g1", {{"t", 0, 9}}};
  });
  ASSERT_EQ(wrong.mismatches.size(), 1u);
  EXPECT_EQ(wrong.mismatches[0].first, "g1");

  // The stream is not current for the group at the later poll: nothing can be judged.
  verifier.hold({GroupOffsets{"g1", {{"t", 0, 10}}}}, {GroupOffsets{"g1", {{"t", 0, 9}}}});
  const auto unjudged = verifier.settle(
      [](const std::string&) -> std::optional<GroupOffsets> { return std::nullopt; });
  EXPECT_EQ(unjudged.groups_checked, 0u);
  EXPECT_TRUE(unjudged.mismatches.empty());
  EXPECT_FALSE(verifier.holding());

  verifier.hold({GroupOffsets{"g1", {}}}, {GroupOffsets{"g1", {}}});
  verifier.drop();
  EXPECT_FALSE(verifier.holding());
}

}  // namespace
}  // namespace lagwatch::poll
