#include "lag/keyed_states.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <unordered_set>

namespace lagwatch::lag {
namespace {

TimePoint at(double unix_seconds) { return from_unix_seconds(unix_seconds); }

TEST(KeyedStates, TouchCreatesFromPrototype) {
  WatermarkHistories histories{WatermarkHistory(7)};
  WatermarkHistory& history = histories.touch({"orders", 3});
  EXPECT_EQ(history.capacity(), 7u);
  EXPECT_TRUE(history.empty());
  history.record(10, at(1));
  EXPECT_EQ(histories.touch({"orders", 3}).size(), 1u);
  EXPECT_EQ(histories.size(), 1u);
}

TEST(KeyedStates, SweepFreesKeysNotSeenSinceLastSweep) {
  WatermarkHistories histories;
  histories.touch({"a", 0}).record(1, at(1));
  histories.touch({"a", 1}).record(1, at(1));
  histories.touch({"b", 0}).record(1, at(1));
  EXPECT_EQ(histories.sweep(), 0u);

  // Next poll sees only a/0 and b/0.
  histories.touch({"a", 0});
  histories.touch({"b", 0});
  EXPECT_EQ(histories.sweep(), 1u);
  EXPECT_EQ(histories.size(), 2u);
  EXPECT_EQ(histories.find({"a", 1}), nullptr);
  EXPECT_NE(histories.find({"a", 0}), nullptr);
}

TEST(KeyedStates, KeyThatComesBackStartsClean) {
  WatermarkHistories histories;
  histories.touch({"t", 0}).record(500, at(1));
  histories.sweep();
  histories.sweep();  // a poll in which t/0 was absent
  EXPECT_TRUE(histories.touch({"t", 0}).empty());
}

TEST(KeyedStates, KeepMarksExistingWithoutCreating) {
  WatermarkHistories histories;
  histories.touch({"t", 0}).record(500, at(1));
  histories.sweep();
  EXPECT_TRUE(histories.keep({"t", 0}));   // could not be read this poll: keep its state
  EXPECT_FALSE(histories.keep({"u", 0}));  // never created
  EXPECT_EQ(histories.sweep(), 0u);
  EXPECT_EQ(histories.size(), 1u);
  EXPECT_EQ(histories.find({"t", 0})->size(), 1u);
  EXPECT_EQ(histories.find({"u", 0}), nullptr);
}

TEST(KeyedStates, EraseAndConstFind) {
  WatermarkHistories histories;
  histories.touch({"t", 0});
  const WatermarkHistories& view = histories;
  EXPECT_NE(view.find({"t", 0}), nullptr);
  EXPECT_TRUE(histories.erase({"t", 0}));
  EXPECT_FALSE(histories.erase({"t", 0}));
  EXPECT_EQ(view.find({"t", 0}), nullptr);
}

TEST(KeyedStates, EraseIfFreesMatchingKeys) {
  WatermarkHistories histories;
  histories.touch(PartitionKey{"orders", 0});
  histories.touch(PartitionKey{"audit", 0});
  histories.touch(PartitionKey{"orders", 1});
  const std::size_t removed =
      histories.erase_if([](const PartitionKey& key) { return key.partition == 0; });
  EXPECT_EQ(removed, 2u);
  EXPECT_EQ(histories.size(), 1u);
  EXPECT_NE(histories.find(PartitionKey{"orders", 1}), nullptr);
}

TEST(KeyedStates, ForEachVisitsEveryEntry) {
  WatermarkHistories histories;
  histories.touch({"a", 0}).record(1, at(1));
  histories.touch({"a", 1}).record(2, at(1));
  std::map<std::string, std::int64_t> seen;
  histories.for_each([&seen](const PartitionKey& key, const WatermarkHistory& history) {
    seen[key.topic + "/" + std::to_string(key.partition)] = history.points().back().offset;
  });
  EXPECT_EQ(seen, (std::map<std::string, std::int64_t>{{"a/0", 1}, {"a/1", 2}}));
}

TEST(StateKeys, DistinctKeysHashDistinctly) {
  std::unordered_set<std::size_t> hashes;
  for (int p = 0; p < 100; ++p) hashes.insert(PartitionKeyHash{}({"topic", p}));
  EXPECT_EQ(hashes.size(), 100u);
  EXPECT_FALSE(KeyEqual{}(PartitionKey{"topic", 1}, PartitionKeyView{"topic", 2}));
}

TEST(StateKeys, ViewsFindTheSameStateAsOwningKeys) {
  const std::string topic = "orders";
  EXPECT_EQ(PartitionKeyHash{}(PartitionKey{topic, 4}),
            PartitionKeyHash{}(PartitionKeyView{topic, 4}));
  EXPECT_TRUE(KeyEqual{}(PartitionKey{topic, 4}, PartitionKeyView{topic, 4}));

  WatermarkHistories histories;
  EXPECT_EQ(histories.find(PartitionKeyView{topic, 1}), nullptr);
  EXPECT_FALSE(histories.keep(PartitionKeyView{topic, 1}));
  histories.touch(PartitionKeyView{topic, 1});
  EXPECT_NE(histories.find(PartitionKey{topic, 1}), nullptr);
  EXPECT_EQ(histories.find(PartitionKeyView{topic, 2}), nullptr);
}

}  // namespace
}  // namespace lagwatch::lag
