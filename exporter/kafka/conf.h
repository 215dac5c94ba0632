#pragma once
// Shared by every librdkafka handle lagwatch creates (admin client, __consumer_offsets reader,
// record sampler): setting properties without ever echoing a secret, and one log format.

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "kafka/result.h"

namespace lagwatch::kafka::detail {

// librdkafka's error text may quote the value: for secrets only the name is reported.
std::optional<Error> set_property(rd_kafka_conf_t* conf, const std::string& name,
                                  const std::string& value, bool secret);

// A log_cb sending librdkafka's lines through lagwatch's logger, tagged with the handle's name
// (its client.id), so the reader's and the sampler's lines can be told apart.
void forward_log(const rd_kafka_t* rk, int level, const char* facility, const char* message);

using StatisticsCallback = std::function<void(std::string_view json)>;

class ConnectionErrors;

// What librdkafka's callbacks of one handle reach through the handle's single opaque pointer.
struct HandleHooks {
  StatisticsCallback on_statistics;    // may be empty
  ConnectionErrors* errors = nullptr;  // set by ConnectionErrors::attach
};

// Makes `hooks` the handle's opaque and routes its statistics JSON to hooks->on_statistics every
// `interval` (nothing when that is empty). `*hooks` must outlive the handle made from `conf`.
std::optional<Error> install_statistics(rd_kafka_conf_t* conf, HandleHooks* hooks,
                                        std::chrono::milliseconds interval);

}  // namespace lagwatch::kafka::detail
