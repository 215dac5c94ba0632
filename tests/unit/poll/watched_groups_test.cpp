#include <gtest/gtest.h>

#include "poll/cluster_poller.h"
#include "poll/shard.h"

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

}  // namespace
}  // namespace lagwatch::poll
