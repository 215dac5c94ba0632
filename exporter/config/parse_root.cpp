// The root table's sections besides [[clusters]]: [server], [poll], [log] and [metrics].

#include <cstddef>
#include <cstdint>

#include "config/internal/sections.h"

namespace lagwatch::config::detail {

Status parse_server(const TableReader& root, Config& config) {
  std::optional<TableReader> server;
  if (auto error = root.read_table("server", server); !error) {
    return error;
  }
  if (!server) {
    return {};
  }
  if (auto error =
          server->reject_unknown_keys({"listen_address", "web_config_file", "readiness_grace"});
      !error) {
    return error;
  }
  if (auto error =
          server->read_duration("readiness_grace", Duration::zero(), config.readiness_grace);
      !error) {
    return error;
  }
  if (auto error = server->read_string("web_config_file", config.web_config_file); !error) {
    return error;
  }
  if (auto error = server->read_string("listen_address", config.listen_address); !error) {
    return error;
  }
  if (!is_valid_listen_address(config.listen_address)) {
    return server->error_at(*server->find("listen_address"), server->key_path("listen_address"),
                            "invalid listen address \"" + config.listen_address +
                                "\": expected host:port with port 1-65535");
  }
  return {};
}

}  // namespace lagwatch::config::detail

namespace lagwatch::config::detail {
namespace {

constexpr Duration kMinInterval = std::chrono::seconds(1);
constexpr Duration kMinRequestTimeout = std::chrono::milliseconds(100);
constexpr std::int64_t kMaxInFlightLimit = 1024;
constexpr std::int64_t kMaxBrokerWideDescribeMinGroups = 1'000'000'000;

}  // namespace

Status parse_poll(const TableReader& root, Config& config) {
  std::optional<TableReader> poll;
  if (auto error = root.read_table("poll", poll); !error) {
    return error;
  }
  if (!poll) {
    return {};
  }
  if (auto error = poll->reject_unknown_keys(
          {"interval", "request_timeout", "max_in_flight", "broker_wide_describe_min_groups"});
      !error) {
    return error;
  }
  if (auto error = poll->read_duration("interval", kMinInterval, config.poll_interval); !error) {
    return error;
  }
  if (auto error =
          poll->read_duration("request_timeout", kMinRequestTimeout, config.request_timeout);
      !error) {
    return error;
  }
  std::int64_t max_in_flight = config.max_in_flight;
  if (auto error = poll->read_integer("max_in_flight", 1, kMaxInFlightLimit, max_in_flight);
      !error) {
    return error;
  }
  config.max_in_flight = static_cast<int>(max_in_flight);
  if (auto error =
          poll->read_integer("broker_wide_describe_min_groups", 0, kMaxBrokerWideDescribeMinGroups,
                             config.broker_wide_describe_min_groups);
      !error) {
    return error;
  }
  return {};
}

}  // namespace lagwatch::config::detail

namespace lagwatch::config::detail {

Status parse_log(const TableReader& root, LogSettings& out) {
  std::optional<TableReader> section;
  if (auto error = root.read_table("log", section); !error) {
    return error;
  }
  if (!section) {
    return {};
  }
  if (auto error = section->reject_unknown_keys({"format", "level"}); !error) {
    return error;
  }
  auto format = static_cast<std::size_t>(out.format);
  if (auto error = section->read_choice("format", log::kFormatNames, format); !error) {
    return error;
  }
  out.format = static_cast<log::Format>(format);
  auto level = static_cast<std::size_t>(out.level);
  if (auto error = section->read_choice("level", log::kLevelNames, level); !error) {
    return error;
  }
  out.level = static_cast<log::Level>(level);
  return {};
}

}  // namespace lagwatch::config::detail

namespace lagwatch::config::detail {

Status parse_metrics(const TableReader& root, Config& config) {
  std::optional<TableReader> metrics;
  if (auto error = root.read_table("metrics", metrics); !error) {
    return error;
  }
  if (!metrics) {
    return {};
  }
  if (auto error = metrics->reject_unknown_keys({"kafka_exporter_names"}); !error) {
    return error;
  }
  return metrics->read_bool("kafka_exporter_names", config.kafka_exporter_names);
}

}  // namespace lagwatch::config::detail
