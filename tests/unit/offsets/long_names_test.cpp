// Group ids as long as Kafka allows (a STRING: int16 length, up to 32,767 bytes) through the
// decoder and the tracker, as a replay of __consumer_offsets meets them.

#include <gtest/gtest.h>

#include "decode_helpers.h"
#include "offsets/group_state_tracker.h"
#include "sample_records.h"

namespace lagwatch::offsets::testing {
namespace {

constexpr std::size_t kMaxGroupIdBytes = 32767;

std::string longest_group(char fill) { return std::string(kMaxGroupIdBytes, fill); }

ByteVector commit_key(std::string_view group, std::string_view topic) {
  return offset_commit_key(1, group, topic, 0);
}

TEST(LongNames, LongestGroupIdDecodesWhole) {
  const std::string group = longest_group('g');
  const Record record = decode(commit_key(group, "t"), offset_commit_value(3));
  const auto* commit = std::get_if<OffsetCommit>(&record);
  ASSERT_NE(commit, nullptr) << describe(record);
  EXPECT_EQ(commit->group, group);
  EXPECT_EQ(commit->topic, "t");
  EXPECT_EQ(commit->offset, sample::kOffset);
}

TEST(LongNames, LongestTopicNameDecodesWhole) {
  const std::string topic(kMaxGroupIdBytes, 't');
  const Record record = decode(commit_key("g", topic), offset_commit_value(3));
  const auto* commit = std::get_if<OffsetCommit>(&record);
  ASSERT_NE(commit, nullptr) << describe(record);
  EXPECT_EQ(commit->topic, topic);
}

TEST(LongNames, TrackerKeepsLongestGroupsApart) {
  // Two groups that differ only in their last byte.
  std::string first = longest_group('g');
  std::string second = first;
  second.back() = 'h';
  GroupStateTracker tracker(
      [](std::string_view group) { return group.size() == kMaxGroupIdBytes; });
  tracker.apply(decode(commit_key(first, "t"), offset_commit_value(3)));
  tracker.apply(decode(commit_key(second, "t"), offset_commit_value(1)));
  tracker.apply(decode(commit_key("short", "t"), offset_commit_value(1)));
  ASSERT_EQ(tracker.groups().size(), 2u);
  const TrackedGroup* state = tracker.find(first);
  ASSERT_NE(state, nullptr);
  ASSERT_EQ(state->commits.size(), 1u);
  EXPECT_EQ(state->commits.begin()->second.offset, sample::kOffset);
  EXPECT_NE(tracker.find(second), nullptr);
  EXPECT_EQ(tracker.find("short"), nullptr);
  EXPECT_EQ(tracker.record_counts().unwatched, 1u);
  // A tombstone of the long group's commit removes that commit and not its near twin's.
  tracker.apply(decode(commit_key(first, "t"), std::nullopt));
  const TrackedGroup* after = tracker.find(first);
  EXPECT_TRUE(after == nullptr || after->commits.empty());
  ASSERT_NE(tracker.find(second), nullptr);
  EXPECT_EQ(tracker.find(second)->commits.size(), 1u);
}

TEST(LongNames, LengthBeyondTheInputIsMalformedNotARead) {
  // Declares 32,767 bytes, carries ten.
  const ByteVector key = ByteBuilder().int16(1).int16(32767).raw("0123456789").build();
  const Record record = decode(key, offset_commit_value(3));
  EXPECT_NE(std::get_if<Malformed>(&record), nullptr) << describe(record);
}

}  // namespace
}  // namespace lagwatch::offsets::testing
