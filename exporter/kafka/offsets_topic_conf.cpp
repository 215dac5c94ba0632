#include "kafka/offsets_topic_conf.h"

#include <optional>
#include <string>
#include <utility>

#include "log/log.h"

namespace lagwatch::kafka {
namespace {

// Prefetch is bounded per partition (the legacy API applies queued.* to each partition's queue):
// 50 partitions x 1 MiB stays well under 100 MiB even when the thread falls behind.
// read_committed: offsets committed inside an aborted transaction never took effect.
const std::pair<const char*, const char*> kDefaults[] = {
    {"client.id", "lagwatch-offsets-reader"}, {"enable.partition.eof", "true"},
    {"enable.auto.commit", "false"},          {"enable.auto.offset.store", "false"},
    {"isolation.level", "read_committed"},    {"queued.min.messages", "1000"},
    {"queued.max.messages.kbytes", "1024"},   {"fetch.message.max.bytes", "1048576"},
    {"fetch.max.bytes", "4194304"},           {"fetch.wait.max.ms", "500"},
    {"log.connection.close", "false"},        {"reconnect.backoff.max.ms", "5000"},
    {"allow.auto.create.topics", "false"},
};

std::optional<Error> set_property(rd_kafka_conf_t* conf, const std::string& name,
                                  const std::string& value, bool secret) {
  char errstr[512];
  if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), errstr, sizeof errstr) ==
      RD_KAFKA_CONF_OK) {
    return std::nullopt;
  }
  // librdkafka's message may quote the value: never show it for secrets.
  std::string message = secret ? "invalid librdkafka property \"" + name + "\" (value hidden)"
                               : "invalid librdkafka property \"" + name + "\": " + errstr;
  return Error{static_cast<int>(RD_KAFKA_RESP_ERR__INVALID_ARG), message};
}

// Syslog levels: 0-3 errors, 4 warnings, 5-6 notices, 7 debug.
void forward_log(const rd_kafka_t*, int level, const char* facility, const char* message) {
  const log::Level ours = level <= 4   ? log::Level::kWarn
                          : level <= 6 ? log::Level::kInfo
                                       : log::Level::kDebug;
  log::write(ours, std::string("librdkafka offsets reader ") + facility + ": " + message);
}

}  // namespace

Result<detail::ConfPtr> offsets_topic_conf(const ClientSettings& settings) {
  detail::ConfPtr conf(rd_kafka_conf_new());
  for (const auto& [name, value] : kDefaults) {
    if (auto error = set_property(conf.get(), name, value, false)) return *error;
  }
  if (auto error =
          set_property(conf.get(), "bootstrap.servers", settings.bootstrap_servers, false)) {
    return *error;
  }
  for (const auto& property : settings.properties) {
    // A group.id would make this handle look like a member of the user's group.
    if (property.name == "group.id") continue;
    if (auto error = set_property(conf.get(), property.name, property.value, property.secret)) {
      return *error;
    }
  }
  rd_kafka_conf_set_log_cb(conf.get(), forward_log);
  return conf;
}

Result<OffsetsTopicConfPtr> offsets_topic_topic_conf() {
  OffsetsTopicConfPtr conf(rd_kafka_topic_conf_new());
  char errstr[512];
  // The compacted topic is not truncated from the front in practice; should a position still fall
  // out of range, re-reading from the start at worst restarts some counters, while jumping to the
  // end would silently skip state changes.
  if (rd_kafka_topic_conf_set(conf.get(), "auto.offset.reset", "earliest", errstr, sizeof errstr) !=
      RD_KAFKA_CONF_OK) {
    return Error{static_cast<int>(RD_KAFKA_RESP_ERR__INVALID_ARG), errstr};
  }
  return conf;
}

}  // namespace lagwatch::kafka
