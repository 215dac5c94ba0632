#pragma once
// Runs many asynchronous admin requests over one private result queue, with at most
// `max_in_flight` outstanding: one slow coordinator delays only its own requests.

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>

#include "error/result.h"
#include "kafka/internal/errors.h"

namespace lagwatch::kafka::detail {

struct FanoutRequests {
  size_t count = 0;
  rd_kafka_admin_op_t op = RD_KAFKA_ADMIN_OP_ANY;
  // Issues request `index` with the given options (carrying the index as opaque) on `queue`.
  std::function<void(size_t index, const rd_kafka_AdminOptions_t* options, rd_kafka_queue_t* queue)>
      issue;
  // Consumes the result event of request `index`.
  std::function<void(size_t index, rd_kafka_event_t* event)> complete;
  // Called for a request that produced no result in time.
  std::function<void(size_t index, const Error& error)> abandon;
};

void run_fanout(rd_kafka_t* rk, const FanoutRequests& requests, int max_in_flight,
                std::chrono::milliseconds request_timeout);

// The error carried by an admin result event, if any.
std::optional<Error> event_error(rd_kafka_event_t* event);

}  // namespace lagwatch::kafka::detail
