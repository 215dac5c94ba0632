#pragma once
// Shared by every librdkafka handle lagwatch creates (admin client, __consumer_offsets reader,
// record sampler): setting properties without ever echoing a secret, and one log format.

#include <librdkafka/rdkafka.h>

#include <optional>
#include <string>

#include "kafka/result.h"

namespace lagwatch::kafka::detail {

// librdkafka's error text may quote the value: for secrets only the name is reported.
std::optional<Error> set_property(rd_kafka_conf_t* conf, const std::string& name,
                                  const std::string& value, bool secret);

// A log_cb sending librdkafka's lines through lagwatch's logger, tagged with the handle's name
// (its client.id), so the reader's and the sampler's lines can be told apart.
void forward_log(const rd_kafka_t* rk, int level, const char* facility, const char* message);

}  // namespace lagwatch::kafka::detail
