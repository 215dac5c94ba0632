#pragma once

#include <librdkafka/rdkafka.h>

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "kafka/internal/handles.h"

namespace lagwatch::bench {

// The exporter's owners (one set of deleters), under the names the benchmarks use.
using KafkaHandle = kafka::detail::KafkaPtr;
using QueueHandle = kafka::detail::QueuePtr;
using EventHandle = kafka::detail::EventPtr;
using AdminOptionsHandle = kafka::detail::AdminOptionsPtr;
using PartitionListHandle = kafka::detail::PartitionListPtr;

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
