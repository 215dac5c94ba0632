#include "kafka/internal/fanout.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "kafka/internal/errors.h"
#include "kafka/internal/handles.h"

namespace lagwatch::kafka::detail {

std::optional<Error> event_error(rd_kafka_event_t* event) {
  const rd_kafka_resp_err_t code = rd_kafka_event_error(event);
  if (code == RD_KAFKA_RESP_ERR_NO_ERROR) return std::nullopt;
  return error_from(code, rd_kafka_event_error_string(event));
}

void run_fanout(rd_kafka_t* rk, const FanoutRequests& requests, int max_in_flight,
                std::chrono::milliseconds request_timeout) {
  if (requests.count == 0) return;
  QueuePtr queue(rd_kafka_queue_new(rk));
  std::vector<bool> done(requests.count, false);
  size_t next = 0;
  size_t in_flight = 0;
  size_t completed = 0;
  const auto limit = static_cast<size_t>(std::max(1, max_in_flight));
  // librdkafka always answers an admin request by its own timeout; this margin only guards
  // against a lost reply so a cycle can never hang.
  const auto stall_limit = request_timeout + std::chrono::seconds(5);
  auto last_progress = std::chrono::steady_clock::now();

  while (completed < requests.count) {
    while (next < requests.count && in_flight < limit) {
      AdminOptionsPtr options(rd_kafka_AdminOptions_new(rk, requests.op));
      char errstr[256];
      rd_kafka_AdminOptions_set_request_timeout(
          options.get(), static_cast<int>(request_timeout.count()), errstr, sizeof errstr);
      rd_kafka_AdminOptions_set_opaque(options.get(),
                                       reinterpret_cast<void*>(static_cast<uintptr_t>(next)));
      requests.issue(next, options.get(), queue.get());
      ++next;
      ++in_flight;
    }
    EventPtr event(rd_kafka_queue_poll(queue.get(), 200));
    if (!event) {
      if (std::chrono::steady_clock::now() - last_progress > stall_limit) break;
      continue;
    }
    const auto index =
        static_cast<size_t>(reinterpret_cast<uintptr_t>(rd_kafka_event_opaque(event.get())));
    if (index >= requests.count || done[index]) continue;
    done[index] = true;
    ++completed;
    --in_flight;
    last_progress = std::chrono::steady_clock::now();
    requests.complete(index, event.get());
  }
  for (size_t i = 0; i < requests.count; ++i) {
    if (!done[i]) {
      requests.abandon(
          i, error_from(RD_KAFKA_RESP_ERR__TIMED_OUT, "no reply within the request timeout"));
    }
  }
}

}  // namespace lagwatch::kafka::detail
