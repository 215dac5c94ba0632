#include "common/kafka_handles.h"

#include <array>

namespace lagwatch::bench {

HandleOrError make_kafka_handle(rd_kafka_type_t type, const KafkaSettings& settings,
                                const std::function<void(rd_kafka_conf_t*)>& configure) {
  std::array<char, 512> errstr{};
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  for (const auto& [key, value] : settings) {
    if (rd_kafka_conf_set(conf, key.c_str(), value.c_str(), errstr.data(), errstr.size()) !=
        RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      return {nullptr, key + ": " + errstr.data()};
    }
  }
  if (configure) configure(conf);
  // rd_kafka_new takes ownership of conf only when it succeeds.
  rd_kafka_t* raw = rd_kafka_new(type, conf, errstr.data(), errstr.size());
  if (raw == nullptr) {
    rd_kafka_conf_destroy(conf);
    return {nullptr, errstr.data()};
  }
  return {KafkaHandle(raw), {}};
}

AdminOptionsHandle make_admin_options(rd_kafka_t* handle, rd_kafka_admin_op_t op, int timeout_ms) {
  AdminOptionsHandle options(rd_kafka_AdminOptions_new(handle, op));
  std::array<char, 256> errstr{};
  rd_kafka_AdminOptions_set_request_timeout(options.get(), timeout_ms, errstr.data(),
                                            errstr.size());
  return options;
}

EventHandle next_event(rd_kafka_queue_t* queue, int timeout_ms) {
  return EventHandle(rd_kafka_queue_poll(queue, timeout_ms));
}

}  // namespace lagwatch::bench
