#pragma once

#include <librdkafka/rdkafka.h>

#include <atomic>
#include <string>

#include "workload/workload_plan.h"

namespace lagwatch::bench {

struct ChurnParams {
  double groups_per_second = 10;
  double seconds = 60;
  int live_groups = 100;  // once this many churn groups exist, the oldest is deleted
  int partitions_per_group = 5;
  int timeout_ms = 30000;
  uint64_t seed = 42;
  // Set from a signal handler to end the churn early; the cleanup still runs.
  const std::atomic<bool>* stop = nullptr;
};

struct ChurnReport {
  long long created = 0;
  long long deleted = 0;
  long long failed = 0;
  double elapsed_s = 0;
  std::string first_error;
};

// Short-lived groups, as from ad-hoc consumers and CI jobs: each is created by committing
// offsets on a few of the plan's partitions and deleted once `live_groups` newer ones exist.
// Whatever is left at the end is deleted too.
ChurnReport run_group_churn(rd_kafka_t* handle, const WorkloadPlan& plan, const std::string& prefix,
                            const ChurnParams& params);

}  // namespace lagwatch::bench
