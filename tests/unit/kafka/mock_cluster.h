#pragma once
// librdkafka's built-in mock cluster for tests of the kafka module: real requests over loopback.

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lagwatch::kafka::test_support {

// A one-broker mock cluster and a producer writing to it.
class MockCluster {
 public:
  // `timestamp(partition, offset)` is the CreateTime each written record gets.
  explicit MockCluster(std::function<int64_t(int32_t, int64_t)> timestamp_of =
                           [](int32_t, int64_t) { return int64_t{1'700'000'000'000}; })
      : timestamp(std::move(timestamp_of)) {
    char errstr[256];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "test.mock.num.brokers", "1", errstr, sizeof errstr);
    rd_kafka_conf_set(conf, "linger.ms", "0", errstr, sizeof errstr);
    producer_.reset(rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr));
    if (!producer_) ADD_FAILURE() << errstr;
  }

  rd_kafka_mock_cluster_t* cluster() { return rd_kafka_handle_mock_cluster(producer_.get()); }
  std::string bootstraps() { return rd_kafka_mock_cluster_bootstraps(cluster()); }

  void create_topic(const std::string& topic, int partitions) {
    ASSERT_EQ(rd_kafka_mock_topic_create(cluster(), topic.c_str(), partitions, 1),
              RD_KAFKA_RESP_ERR_NO_ERROR);
  }

  // Writes `count` records to `partition`; record at offset o gets timestamp(partition, o).
  void produce(const std::string& topic, int32_t partition, int count) {
    write(topic, partition, count);
    flush();
  }

  void write(const std::string& topic, int32_t partition, int count) {
    for (int64_t offset = 0; offset < count; ++offset) {
      const std::string value = "record-" + std::to_string(offset);
      const rd_kafka_resp_err_t err = rd_kafka_producev(
          producer_.get(), RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(partition),
          RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
          RD_KAFKA_V_TIMESTAMP(timestamp(partition, offset)), RD_KAFKA_V_END);
      ASSERT_EQ(err, RD_KAFKA_RESP_ERR_NO_ERROR);
    }
  }

  // Writes one record with `key` and `value` (nullopt: a tombstone) and waits until it is stored.
  void produce_record(const std::string& topic, int32_t partition, const std::vector<uint8_t>& key,
                      const std::optional<std::vector<uint8_t>>& value) {
    void* payload = value ? const_cast<uint8_t*>(value->data()) : nullptr;
    const size_t size = value ? value->size() : 0;
    const rd_kafka_resp_err_t err = rd_kafka_producev(
        producer_.get(), RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(partition),
        RD_KAFKA_V_KEY(key.data(), key.size()), RD_KAFKA_V_VALUE(payload, size),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
    ASSERT_EQ(err, RD_KAFKA_RESP_ERR_NO_ERROR);
    flush();
  }

  void flush() { ASSERT_EQ(rd_kafka_flush(producer_.get(), 30000), RD_KAFKA_RESP_ERR_NO_ERROR); }

  const std::function<int64_t(int32_t, int64_t)> timestamp;

 private:
  struct Deleter {
    void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
  };
  std::unique_ptr<rd_kafka_t, Deleter> producer_;
};

}  // namespace lagwatch::kafka::test_support
