// The series budget: by default a group-partition has only committed offset, lag and lag in
// seconds; [clusters.series] partition_details brings back the other per-partition families.
// Counts are checked against the formula in docs/metrics.md.

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

#include "metrics/cluster_renderer.h"

namespace lagwatch::metrics {
namespace {

constexpr std::array kDetailFamilies = {
    Family::kGroupPartitionLagSecondsLowerBound,
    Family::kGroupPartitionLagSecondsExact,
    Family::kGroupPartitionLastCommit,
    Family::kGroupPartitionHealth,
    Family::kGroupPartitionDataLoss,
    Family::kGroupPartitionUncommitted,
};

constexpr std::array kDefaultFamilies = {
    Family::kGroupPartitionCommittedOffset,
    Family::kGroupPartitionLag,
    Family::kGroupPartitionLagSeconds,
    Family::kGroupHealth,
    Family::kGroupDataLoss,
    Family::kGroupUncommittedPartitions,
    Family::kGroupMaxLagSeconds,
    Family::kGroupTopicLag,
};

// `groups` groups each reading `topics` topics of `partitions_per_topic` partitions, every
// group-partition with every value set (the steady state with __consumer_offsets read and
// exact mode on), every group with one uncommitted assigned partition.
lag::ClusterSnapshot full_snapshot(int groups, int topics, int partitions_per_topic) {
  lag::ClusterSnapshot s;
  s.cluster = "prod";
  s.exact_lag_seconds = true;
  for (int t = 0; t < topics; ++t) s.topics.push_back("topic-" + std::to_string(t));
  for (int t = 0; t < topics; ++t) {
    for (int p = 0; p < partitions_per_topic; ++p) {
      s.partitions.push_back({static_cast<lag::TopicIndex>(t), p, 10, 100});
    }
  }
  for (int g = 0; g < groups; ++g) {
    lag::GroupSnapshot group;
    group.name = "group-" + std::to_string(g);
    group.members = 2;
    group.member_details = {{"m-1", "app", "/10.0.0.1"}, {"m-2", "app", "/10.0.0.2"}};
    group.rebalances = 1;
    group.generation = 3;
    group.offset_commits = 9;
    group.health = lag::HealthStatus::kWarn;
    for (int t = 0; t < topics; ++t) {
      for (int p = 0; p < partitions_per_topic; ++p) {
        lag::GroupPartition gp;
        gp.topic = static_cast<lag::TopicIndex>(t);
        gp.partition = p;
        gp.committed_offset = 5;
        gp.lag = 95;
        gp.messages_lost = 5;
        gp.lag_seconds = 30.0;
        gp.lag_seconds_lower_bound = true;
        gp.lag_seconds_exact = false;
        gp.last_commit_unix_seconds = 1.7e9;
        gp.health = lag::HealthStatus::kWarn;
        group.partitions.push_back(gp);
      }
    }
    group.uncommitted = std::vector<lag::PartitionRef>{{0, partitions_per_topic}};
    s.groups.push_back(std::move(group));
  }
  return s;
}

const std::string& family(const ClusterExposition& e, Family f) {
  return e.series[static_cast<size_t>(f)];
}

TEST(SeriesBudget, DefaultRenderHasOnlyCommittedOffsetLagAndLagSecondsPerPartition) {
  const auto e = render_cluster(full_snapshot(2, 2, 3));
  for (const Family f : kDetailFamilies) {
    EXPECT_EQ(family(e, f), "") << info(f).name;
  }
  // The group-level versions of the opt-in families stay on.
  for (const Family f : kDefaultFamilies) {
    EXPECT_NE(family(e, f), "") << info(f).name;
  }
}

TEST(SeriesBudget, PartitionDetailsRestoreEveryPerPartitionFamily) {
  auto s = full_snapshot(2, 2, 3);
  s.partition_details = true;
  const auto e = render_cluster(s);
  for (const Family f : kDetailFamilies) {
    EXPECT_NE(family(e, f), "") << info(f).name;
  }
  EXPECT_NE(family(e, Family::kGroupPartitionHealth)
                .find("lagwatch_group_partition_health{kafka_cluster=\"prod\",group=\"group-0\","
                      "topic=\"topic-0\",partition=\"0\"} 1\n"),
            std::string::npos);
}

TEST(SeriesBudget, CoarserGranularityIgnoresTheSwitch) {
  auto s = full_snapshot(2, 2, 3);
  s.partition_details = true;
  s.granularity = lag::Granularity::kTopic;
  const auto e = render_cluster(s);
  for (const Family f : kDetailFamilies) {
    EXPECT_EQ(family(e, f), "") << info(f).name;
  }
  EXPECT_EQ(family(e, Family::kGroupPartitionLag), "");
  EXPECT_NE(family(e, Family::kGroupHealth), "");
}

// docs/metrics.md, "Series count": per cluster at partition granularity, with every value known,
// 2 P + 3 GP + 2 GT + 10 G, and with partition_details 5 GP + U more (health, data loss,
// last commit, lower bound, exact; U uncommitted assigned partitions), and with member_info M
// more (M members over all groups).
TEST(SeriesBudget, CountsMatchTheDocumentedFormula) {
  for (const auto [groups, topics, per_topic] :
       {std::array{1, 1, 1}, std::array{3, 2, 5}, std::array{7, 4, 16}}) {
    auto s = full_snapshot(groups, topics, per_topic);
    const size_t p = static_cast<size_t>(topics * per_topic);  // partitions with watermarks
    const size_t g = static_cast<size_t>(groups);
    const size_t gt = g * static_cast<size_t>(topics);
    const size_t gp = g * p;
    const size_t u = g;  // one uncommitted assigned partition per group
    const size_t budget = 2 * p + 3 * gp + 2 * gt + 10 * g;
    EXPECT_EQ(render_cluster(s).series_count, budget) << groups << "x" << topics;
    s.partition_details = true;
    EXPECT_EQ(render_cluster(s).series_count, budget + 5 * gp + u) << groups << "x" << topics;
    s.member_info = true;
    const size_t m = 2 * g;
    EXPECT_EQ(render_cluster(s).series_count, budget + 5 * gp + u + m) << groups << "x" << topics;
  }
}

}  // namespace
}  // namespace lagwatch::metrics
