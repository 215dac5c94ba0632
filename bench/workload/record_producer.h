#pragma once

#include <librdkafka/rdkafka.h>

#include <string>
#include <vector>

#include "workload/workload_plan.h"

namespace lagwatch::bench {

struct ProduceParams {
  int value_bytes = 200;
  // Record timestamps are spread evenly over this much past time, so lag in seconds varies.
  int history_seconds = 7200;
  int timeout_ms = 120000;
};

struct ProduceReport {
  long long delivered = 0;
  long long failed = 0;
  std::string first_error;
};

ProduceReport produce_records(const std::string& bootstrap, const std::vector<TopicPlan>& topics,
                              const ProduceParams& params);

}  // namespace lagwatch::bench
