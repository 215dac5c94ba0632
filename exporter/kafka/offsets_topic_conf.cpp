#include "kafka/offsets_topic_conf.h"

#include <optional>
#include <string>
#include <utility>

#include "kafka/conf.h"
#include "log/log.h"

namespace lagwatch::kafka {
namespace {

// Prefetch is bounded per partition (the legacy API applies queued.* to each partition's queue):
// 50 partitions x 1 MiB stays well under 100 MiB even when the thread falls behind.
const std::pair<const char*, const char*> kDefaults[] = {
    {"client.id", "lagwatch-offsets-reader"},
    {"enable.partition.eof", "true"},
    {"enable.auto.commit", "false"},
    {"enable.auto.offset.store", "false"},
    {"queued.min.messages", "1000"},
    {"queued.max.messages.kbytes", "1024"},
    {"fetch.message.max.bytes", "1048576"},
    {"fetch.max.bytes", "4194304"},
    {"fetch.wait.max.ms", "500"},
    // When a partition's queue is full librdkafka waits this long before fetching it again
    // (default 1 s): the replay then sleeps most of the time. 10 ms keeps the same memory bound
    // and replays 1M records in ~1 s instead of ~19 s (bench/offsets_reader).
    {"fetch.queue.backoff.ms", "10"},
    {"log.connection.close", "false"},
    {"reconnect.backoff.max.ms", "5000"},
    {"allow.auto.create.topics", "false"},
};

}  // namespace

using detail::forward_log;
using detail::set_property;

Result<detail::ConfPtr> offsets_topic_conf(const ClientSettings& settings,
                                           detail::HandleHooks* hooks) {
  detail::ConfPtr conf(rd_kafka_conf_new());
  for (const auto& [name, value] : kDefaults) {
    if (auto error = set_property(conf.get(), name, value, false)) return *error;
  }
  if (auto error = detail::install_statistics(conf.get(), hooks, settings.statistics_interval)) {
    return *error;
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
  // Forced: read_uncommitted would apply offsets of open and aborted transactions.
  if (auto error = set_property(conf.get(), "isolation.level", "read_committed", false)) {
    return *error;
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
