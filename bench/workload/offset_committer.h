#pragma once

#include <librdkafka/rdkafka.h>

#include <cstdint>
#include <string>
#include <vector>

#include "workload/workload_plan.h"

namespace lagwatch::bench {

// High watermark per topic (index as in the plan) and partition.
using HighWatermarks = std::vector<std::vector<int64_t>>;

struct CommitReport {
  int groups_ok = 0;
  int groups_failed = 0;
  long long partitions_committed = 0;
  long long partition_errors = 0;
  std::string first_error;
};

// One AlterConsumerGroupOffsets per group (librdkafka 2.0.2 takes exactly one), up to
// `max_in_flight` outstanding on one queue. The groups are created by their first commit.
CommitReport commit_offsets(rd_kafka_t* handle, const WorkloadPlan& plan,
                            const HighWatermarks& highs, int max_in_flight, int timeout_ms);

}  // namespace lagwatch::bench
