#include <gtest/gtest.h>

#include "poll/cluster_poller.h"
#include "poll/internal/shard.h"

namespace lagwatch::poll {
namespace {

TEST(WatchedGroups, FollowsTheGroupFilter) {
  config::ClusterConfig cluster;
  cluster.groups = config::NameFilter({"orders-.*"}, {"orders-test"});
  auto watched = watched_groups(cluster);
  EXPECT_TRUE(watched("orders-eu"));
  EXPECT_FALSE(watched("orders-test"));
  EXPECT_FALSE(watched("billing"));
  // Asked again: the memoised answer must be the same.
  EXPECT_TRUE(watched("orders-eu"));
  EXPECT_FALSE(watched("billing"));
}

TEST(WatchedGroups, ShardsPartitionTheGroupsExactly) {
  config::ClusterConfig base;
  base.groups = config::NameFilter({".*"}, {});
  std::vector<offsets::GroupFilter> shards;
  for (uint32_t i = 0; i < 3; ++i) {
    config::ClusterConfig cluster = base;
    cluster.shard = config::Shard{i, 3};
    shards.push_back(watched_groups(cluster));
  }
  std::array<int, 3> per_shard{};
  for (int g = 0; g < 300; ++g) {
    const std::string name = "group-" + std::to_string(g);
    int owners = 0;
    for (uint32_t i = 0; i < 3; ++i) {
      if (shards[i](name)) {
        ++owners;
        ++per_shard[i];
        EXPECT_EQ(stable_group_hash(name) % 3, i) << name;
      }
    }
    EXPECT_EQ(owners, 1) << name;
  }
  for (int count : per_shard) EXPECT_GT(count, 50);
}

// Group ids up to Kafka's 32,767 bytes, and names built against backtracking engines, are
// selected correctly and at once, also when asked again (the replay asks once per record).
TEST(WatchedGroups, LongAndHostileNames) {
  config::ClusterConfig cluster;
  cluster.groups = config::NameFilter({"x+", "(a+)+$"}, {"(x+x+)+y"});
  auto watched = watched_groups(cluster);
  std::string longest(32767, 'x');
  const std::string hostile = std::string(30, 'a') + "!";
  for (int round = 0; round < 2; ++round) {
    EXPECT_TRUE(watched(longest));
    EXPECT_FALSE(watched(hostile));
    EXPECT_FALSE(watched(longest + "y"));
  }
  // Long names differing in one byte get their own answers.
  std::string other = longest;
  other.back() = 'z';
  EXPECT_FALSE(watched(other));
  EXPECT_TRUE(watched(longest));
}

TEST(WatchedGroups, LongNamesAreShardedByTheirWholeName) {
  const std::string longest(32767, 'x');
  // One that differs in the last byte only and falls in another shard.
  std::string other = longest;
  for (char c = 'a'; stable_group_hash(other) % 7 == stable_group_hash(longest) % 7; ++c) {
    other.back() = c;
  }
  for (uint32_t i = 0; i < 7; ++i) {
    config::ClusterConfig cluster;
    cluster.shard = config::Shard{i, 7};
    auto watched = watched_groups(cluster);
    EXPECT_EQ(watched(longest), stable_group_hash(longest) % 7 == i);
    EXPECT_EQ(watched(other), stable_group_hash(other) % 7 == i);
  }
}

}  // namespace
}  // namespace lagwatch::poll
