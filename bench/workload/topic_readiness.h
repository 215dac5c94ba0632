#pragma once

#include <librdkafka/rdkafka.h>

#include <string>
#include <vector>

#include "workload/workload_plan.h"

namespace lagwatch::bench {

struct Readiness {
  int ready_topics = 0;
  int waited_rounds = 0;
  std::string error;  // set when the deadline passed first
};

// CreateTopics answers before every partition has a leader; producing or asking for offsets
// then fails with UNKNOWN_TOPIC_OR_PART / NOT_LEADER, so wait until metadata shows all leaders.
Readiness wait_for_leaders(rd_kafka_t* handle, const std::vector<TopicPlan>& topics,
                           int timeout_ms);

}  // namespace lagwatch::bench
