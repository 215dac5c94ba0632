#pragma once

#include <librdkafka/rdkafka.h>

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace lagwatch::bench {

struct KafkaDeleter {
  void operator()(rd_kafka_t* handle) const { rd_kafka_destroy(handle); }
};
struct QueueDeleter {
  void operator()(rd_kafka_queue_t* queue) const { rd_kafka_queue_destroy(queue); }
};
struct EventDeleter {
  void operator()(rd_kafka_event_t* event) const { rd_kafka_event_destroy(event); }
};
struct AdminOptionsDeleter {
  void operator()(rd_kafka_AdminOptions_t* options) const {
    rd_kafka_AdminOptions_destroy(options);
  }
};
struct PartitionListDeleter {
  void operator()(rd_kafka_topic_partition_list_t* list) const {
    rd_kafka_topic_partition_list_destroy(list);
  }
};

using KafkaHandle = std::unique_ptr<rd_kafka_t, KafkaDeleter>;
using QueueHandle = std::unique_ptr<rd_kafka_queue_t, QueueDeleter>;
using EventHandle = std::unique_ptr<rd_kafka_event_t, EventDeleter>;
using AdminOptionsHandle = std::unique_ptr<rd_kafka_AdminOptions_t, AdminOptionsDeleter>;
using PartitionListHandle = std::unique_ptr<rd_kafka_topic_partition_list_t, PartitionListDeleter>;

using KafkaSettings = std::vector<std::pair<std::string, std::string>>;

struct HandleOrError {
  KafkaHandle handle;
  std::string error;
};

// Builds a client from key/value settings; a rejected setting is reported, not thrown.
// `configure` may install callbacks or an opaque before the handle is created.
HandleOrError make_kafka_handle(rd_kafka_type_t type, const KafkaSettings& settings,
                                const std::function<void(rd_kafka_conf_t*)>& configure = {});

// Admin options with one request timeout for every call of a run; the options are copied by
// librdkafka on each call, so one object can serve many in-flight requests.
AdminOptionsHandle make_admin_options(rd_kafka_t* handle, rd_kafka_admin_op_t op, int timeout_ms);

// Waits for the next event on an admin result queue; nullptr when nothing came in time.
EventHandle next_event(rd_kafka_queue_t* queue, int timeout_ms);

}  // namespace lagwatch::bench
