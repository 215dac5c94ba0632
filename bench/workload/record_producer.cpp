#include "workload/record_producer.h"

#include <chrono>
#include <memory>

#include "common/kafka_handles.h"

namespace lagwatch::bench {

namespace {

struct TopicDeleter {
  void operator()(rd_kafka_topic_t* topic) const { rd_kafka_topic_destroy(topic); }
};
using TopicHandle = std::unique_ptr<rd_kafka_topic_t, TopicDeleter>;

void on_delivery(rd_kafka_t* /*handle*/, const rd_kafka_message_t* message, void* opaque) {
  auto* report = static_cast<ProduceReport*>(opaque);
  if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    ++report->delivered;
    return;
  }
  if (report->failed++ == 0) report->first_error = rd_kafka_err2str(message->err);
}

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Retries a full local queue by serving delivery reports; gives up at the deadline.
bool produce_one(rd_kafka_t* producer, rd_kafka_topic_t* topic, int partition,
                 const std::string& value, const std::string& key, int64_t timestamp_ms,
                 int64_t deadline_ms, ProduceReport& report) {
  while (true) {
    rd_kafka_resp_err_t err = rd_kafka_producev(
        producer, RD_KAFKA_V_RKT(topic), RD_KAFKA_V_PARTITION(partition),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
        RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
        RD_KAFKA_V_KEY(key.data(), key.size()), RD_KAFKA_V_TIMESTAMP(timestamp_ms), RD_KAFKA_V_END);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return true;
    if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL || now_ms() > deadline_ms) {
      if (report.failed++ == 0) report.first_error = rd_kafka_err2str(err);
      return false;
    }
    rd_kafka_poll(producer, 50);
  }
}

}  // namespace

ProduceReport produce_records(const std::string& bootstrap, const std::vector<TopicPlan>& topics,
                              const ProduceParams& params) {
  ProduceReport report;
  HandleOrError made =
      make_kafka_handle(RD_KAFKA_PRODUCER,
                        {{"bootstrap.servers", bootstrap},
                         {"linger.ms", "100"},
                         {"batch.num.messages", "10000"},
                         {"queue.buffering.max.messages", "1000000"},
                         {"compression.codec", "lz4"},
                         {"acks", "1"},
                         {"enable.idempotence", "false"},
                         {"message.timeout.ms", std::to_string(params.timeout_ms)}},
                        [&report](rd_kafka_conf_t* conf) {
                          rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
                          rd_kafka_conf_set_opaque(conf, &report);
                        });
  if (!made.handle) {
    report.first_error = made.error;
    return report;
  }
  rd_kafka_t* producer = made.handle.get();
  const int64_t start_ms = now_ms();
  const int64_t deadline_ms = start_ms + params.timeout_ms;
  const int64_t history_ms = static_cast<int64_t>(params.history_seconds) * 1000;
  std::string value(static_cast<std::size_t>(params.value_bytes), 'x');
  for (const TopicPlan& topic : topics) {
    TopicHandle handle(rd_kafka_topic_new(producer, topic.name.c_str(), nullptr));
    for (int partition = 0; partition < topic.partitions; ++partition) {
      const int records = topic.records[partition];
      for (int i = 0; i < records; ++i) {
        int64_t timestamp = start_ms - history_ms + history_ms * (i + 1) / records;
        std::string key = "k" + std::to_string(i);
        // The value varies a little so that compression does not make it unrealistically small.
        value[static_cast<std::size_t>(i) % value.size()] = static_cast<char>('a' + i % 26);
        if (!produce_one(producer, handle.get(), partition, value, key, timestamp, deadline_ms,
                         report)) {
          break;
        }
      }
      rd_kafka_poll(producer, 0);
    }
  }
  int remaining_ms = static_cast<int>(std::max<int64_t>(deadline_ms - now_ms(), 1000));
  if (rd_kafka_flush(producer, remaining_ms) != RD_KAFKA_RESP_ERR_NO_ERROR &&
      report.first_error.empty()) {
    report.first_error = "flush timed out";
  }
  // Destroyed here, not after `report` is returned, because its callbacks write into `report`.
  made.handle.reset();
  return report;
}

}  // namespace lagwatch::bench
