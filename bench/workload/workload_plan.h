#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace lagwatch::bench {

struct PlanParams {
  std::string prefix = "bench";
  int topics = 1000;
  int partitions = 10000;  // total over all topics
  int groups = 5000;
  int max_partitions_per_group = 50;
  int max_records_per_partition = 400;
  uint64_t seed = 42;
};

struct TopicPlan {
  std::string name;
  int partitions = 0;
  std::vector<int> records;  // records to produce, per partition
};

struct GroupPartition {
  int topic = 0;  // index into WorkloadPlan::topics
  int partition = 0;
};

struct GroupPlan {
  std::string name;
  std::vector<GroupPartition> partitions;
  // Committed offset = floor(commit_fraction * high watermark): 1.0 is a caught-up group.
  double commit_fraction = 1.0;
};

struct WorkloadPlan {
  std::vector<TopicPlan> topics;
  std::vector<GroupPlan> groups;
  long long total_records = 0;
  long long group_partition_pairs = 0;
};

// Deterministic for a given PlanParams, so later runs (members, churn) find the same names.
WorkloadPlan make_plan(const PlanParams& params);

}  // namespace lagwatch::bench
