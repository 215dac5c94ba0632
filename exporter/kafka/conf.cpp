#include "kafka/internal/conf.h"

#include "kafka/internal/errors.h"
#include "log/log.h"

namespace lagwatch::kafka::detail {

Status set_property(rd_kafka_conf_t* conf, const std::string& name, const std::string& value,
                    bool secret) {
  char errstr[512];
  if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), errstr, sizeof errstr) ==
      RD_KAFKA_CONF_OK) {
    return {};
  }
  std::string message = secret ? "invalid librdkafka property \"" + name + "\" (value hidden)"
                               : "invalid librdkafka property \"" + name + "\": " + errstr;
  return error_from(RD_KAFKA_RESP_ERR__INVALID_ARG, message);
}

// Syslog levels: 0-3 errors, 4 warnings, 5-6 notices, 7 debug.
void forward_log(const rd_kafka_t* rk, int level, const char* facility, const char* message) {
  const log::Level ours = level <= 4   ? log::Level::kWarn
                          : level <= 6 ? log::Level::kInfo
                                       : log::Level::kDebug;
  log::write(ours, message,
             {{"component", "librdkafka"}, {"client", rd_kafka_name(rk)}, {"facility", facility}});
}

namespace {

int forward_statistics(rd_kafka_t*, char* json, size_t length, void* opaque) {
  const auto* hooks = static_cast<const HandleHooks*>(opaque);
  if (hooks != nullptr && hooks->on_statistics)
    hooks->on_statistics(std::string_view(json, length));
  return 0;  // librdkafka frees the JSON
}

}  // namespace

Status install_statistics(rd_kafka_conf_t* conf, HandleHooks* hooks,
                          std::chrono::milliseconds interval) {
  rd_kafka_conf_set_opaque(conf, hooks);
  if (hooks == nullptr || !hooks->on_statistics || interval.count() <= 0) return {};
  if (auto error =
          set_property(conf, "statistics.interval.ms", std::to_string(interval.count()), false);
      !error) {
    return error;
  }
  rd_kafka_conf_set_stats_cb(conf, forward_statistics);
  return {};
}

bool is_group_membership_property(std::string_view name) {
  return name == "group.id" || name == "group.instance.id";
}

Result<ConfPtr> make_conf(const ClientSettings& settings, const HandleRecipe& recipe,
                          HandleHooks* hooks) {
  ConfPtr conf(rd_kafka_conf_new());
  for (const auto& [name, value] : recipe.defaults) {
    if (auto status = set_property(conf.get(), name, value, false); !status) return status.error();
  }
  if (auto status =
          set_property(conf.get(), "bootstrap.servers", settings.bootstrap_servers, false);
      !status) {
    return status.error();
  }
  // Before the user's properties: a "statistics.interval.ms" of theirs wins over the default.
  if (hooks != nullptr) {
    if (auto status = install_statistics(conf.get(), hooks, settings.statistics_interval);
        !status) {
      return status.error();
    }
  }
  for (const auto& property : settings.properties) {
    if (is_group_membership_property(property.name)) continue;
    if (auto status = set_property(conf.get(), property.name, property.value, property.secret);
        !status) {
      return status.error();
    }
  }
  for (const auto& [name, value] : recipe.forced) {
    if (auto status = set_property(conf.get(), name, value, false); !status) return status.error();
  }
  rd_kafka_conf_set_log_cb(conf.get(), forward_log);
  return conf;
}

Result<KafkaPtr> make_consumer(ConfPtr conf) {
  char errstr[512];
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf.get(), errstr, sizeof errstr);
  if (rk == nullptr) return error_from(RD_KAFKA_RESP_ERR__INVALID_ARG, errstr);
  static_cast<void>(conf.release());  // owned by rk now
  return KafkaPtr(rk);
}

}  // namespace lagwatch::kafka::detail
