#include "workload/topic_readiness.h"

#include <chrono>
#include <thread>
#include <unordered_map>

namespace lagwatch::bench {

namespace {

int count_ready(const rd_kafka_metadata_t& metadata,
                const std::unordered_map<std::string, int>& wanted_partitions) {
  int ready = 0;
  for (int t = 0; t < metadata.topic_cnt; ++t) {
    const rd_kafka_metadata_topic_t& topic = metadata.topics[t];
    auto wanted = wanted_partitions.find(topic.topic);
    if (wanted == wanted_partitions.end() || topic.err != RD_KAFKA_RESP_ERR_NO_ERROR ||
        topic.partition_cnt != wanted->second) {
      continue;
    }
    bool all_led = true;
    for (int p = 0; p < topic.partition_cnt && all_led; ++p) {
      all_led =
          topic.partitions[p].leader >= 0 && topic.partitions[p].err == RD_KAFKA_RESP_ERR_NO_ERROR;
    }
    if (all_led) ++ready;
  }
  return ready;
}

}  // namespace

Readiness wait_for_leaders(rd_kafka_t* handle, const std::vector<TopicPlan>& topics,
                           int timeout_ms) {
  Readiness readiness;
  std::unordered_map<std::string, int> wanted;
  for (const TopicPlan& topic : topics) wanted[topic.name] = topic.partitions;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    ++readiness.waited_rounds;
    const rd_kafka_metadata_t* metadata = nullptr;
    rd_kafka_resp_err_t err = rd_kafka_metadata(handle, 1, nullptr, &metadata, 30000);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      readiness.ready_topics = count_ready(*metadata, wanted);
      rd_kafka_metadata_destroy(metadata);
      if (readiness.ready_topics == static_cast<int>(topics.size())) return readiness;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      readiness.error = std::to_string(readiness.ready_topics) + " of " +
                        std::to_string(topics.size()) + " topics have leaders for every partition";
      return readiness;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
}

}  // namespace lagwatch::bench
