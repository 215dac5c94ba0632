#include "workload/topic_creator.h"

#include <algorithm>
#include <array>

#include "common/kafka_handles.h"

namespace lagwatch::bench {

namespace {

bool submit_batch(rd_kafka_t* handle, rd_kafka_queue_t* queue,
                  const rd_kafka_AdminOptions_t* options, const std::vector<TopicPlan>& topics,
                  std::size_t begin, std::size_t end, CreateTopicsReport& report) {
  std::vector<rd_kafka_NewTopic_t*> batch;
  std::array<char, 256> errstr{};
  for (std::size_t i = begin; i < end; ++i) {
    rd_kafka_NewTopic_t* topic = rd_kafka_NewTopic_new(topics[i].name.c_str(), topics[i].partitions,
                                                       1, errstr.data(), errstr.size());
    if (topic == nullptr) {
      report.errors.push_back(topics[i].name + ": " + errstr.data());
      continue;
    }
    batch.push_back(topic);
  }
  if (batch.empty()) return false;
  rd_kafka_CreateTopics(handle, batch.data(), batch.size(), options, queue);
  rd_kafka_NewTopic_destroy_array(batch.data(), batch.size());
  return true;
}

void collect(rd_kafka_event_t* event, CreateTopicsReport& report) {
  if (rd_kafka_event_error(event) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    report.errors.push_back(std::string("CreateTopics: ") + rd_kafka_event_error_string(event));
    return;
  }
  const auto* result = rd_kafka_event_CreateTopics_result(event);
  std::size_t count = 0;
  const rd_kafka_topic_result_t** topics = rd_kafka_CreateTopics_result_topics(result, &count);
  for (std::size_t i = 0; i < count; ++i) {
    rd_kafka_resp_err_t err = rd_kafka_topic_result_error(topics[i]);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      ++report.created;
    } else if (err == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
      ++report.already_existed;
    } else {
      report.errors.push_back(std::string(rd_kafka_topic_result_name(topics[i])) + ": " +
                              rd_kafka_err2str(err));
    }
  }
}

}  // namespace

CreateTopicsReport create_topics(rd_kafka_t* handle, const std::vector<TopicPlan>& topics,
                                 int batch_size, int timeout_ms) {
  CreateTopicsReport report;
  QueueHandle queue(rd_kafka_queue_new(handle));
  AdminOptionsHandle options =
      make_admin_options(handle, RD_KAFKA_ADMIN_OP_CREATETOPICS, timeout_ms);
  std::array<char, 256> errstr{};
  rd_kafka_AdminOptions_set_operation_timeout(options.get(), timeout_ms, errstr.data(),
                                              errstr.size());
  int pending = 0;
  const auto step = static_cast<std::size_t>(std::max(batch_size, 1));
  for (std::size_t begin = 0; begin < topics.size(); begin += step) {
    std::size_t end = std::min(topics.size(), begin + step);
    if (submit_batch(handle, queue.get(), options.get(), topics, begin, end, report)) ++pending;
  }
  for (; pending > 0; --pending) {
    EventHandle event = next_event(queue.get(), timeout_ms + 5000);
    if (!event) {
      report.errors.push_back("CreateTopics: no answer within the timeout");
      break;
    }
    collect(event.get(), report);
  }
  return report;
}

}  // namespace lagwatch::bench
