#pragma once

#include <librdkafka/rdkafka.h>

#include <string>
#include <vector>

#include "workload/workload_plan.h"

namespace lagwatch::bench {

struct CreateTopicsReport {
  int created = 0;
  int already_existed = 0;
  std::vector<std::string> errors;
};

// Sends every batch at once; the controller works through them while we wait.
CreateTopicsReport create_topics(rd_kafka_t* handle, const std::vector<TopicPlan>& topics,
                                 int batch_size, int timeout_ms);

}  // namespace lagwatch::bench
