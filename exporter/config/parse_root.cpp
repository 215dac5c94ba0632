// The root table's sections besides [[clusters]]: [server], [poll], [log] and [metrics].

#include <cstddef>
#include <cstdint>

#include "config/internal/sections.h"

namespace lagwatch::config::detail {
namespace {

constexpr Duration kMinInterval = std::chrono::seconds(1);
constexpr Duration kMinRequestTimeout = std::chrono::milliseconds(100);
constexpr std::int64_t kMaxInFlightLimit = 1024;
constexpr std::int64_t kMaxBrokerWideDescribeMinGroups = 1'000'000'000;

}  // namespace

Status parse_server(const TableReader& root, Config& config) {
  std::optional<TableReader> server;
  if (auto status = root.read_section(
          "server", {"listen_address", "web_config_file", "readiness_grace"}, server);
      !status || !server) {
    return status;
  }
  if (auto status =
          server->read_duration("readiness_grace", Duration::zero(), config.readiness_grace);
      !status) {
    return status;
  }
  if (auto status = server->read_string("web_config_file", config.web_config_file); !status) {
    return status;
  }
  if (auto status = server->read_string("listen_address", config.listen_address); !status) {
    return status;
  }
  if (!is_valid_listen_address(config.listen_address)) {
    return server->error_at(*server->find("listen_address"), server->key_path("listen_address"),
                            "invalid listen address \"" + config.listen_address +
                                "\": expected host:port with port 1-65535");
  }
  return {};
}

Status parse_poll(const TableReader& root, Config& config) {
  std::optional<TableReader> poll;
  if (auto status =
          root.read_section("poll",
                            {"interval", "request_timeout", "max_in_flight",
                             "broker_wide_describe_min_groups", "earliest_offsets_refresh"},
                            poll);
      !status || !poll) {
    return status;
  }
  if (auto status = poll->read_duration("interval", kMinInterval, config.poll_interval); !status) {
    return status;
  }
  if (auto status =
          poll->read_duration("request_timeout", kMinRequestTimeout, config.request_timeout);
      !status) {
    return status;
  }
  std::int64_t max_in_flight = config.max_in_flight;
  if (auto status = poll->read_integer("max_in_flight", 1, kMaxInFlightLimit, max_in_flight);
      !status) {
    return status;
  }
  config.max_in_flight = static_cast<int>(max_in_flight);
  if (auto status =
          poll->read_integer("broker_wide_describe_min_groups", 0, kMaxBrokerWideDescribeMinGroups,
                             config.broker_wide_describe_min_groups);
      !status) {
    return status;
  }
  if (auto status = poll->read_duration("earliest_offsets_refresh", Duration::zero(),
                                        config.earliest_offsets_refresh);
      !status) {
    return status;
  }
  return {};
}

Status parse_log(const TableReader& root, LogSettings& out) {
  std::optional<TableReader> section;
  if (auto status = root.read_section("log", {"format", "level"}, section); !status || !section) {
    return status;
  }
  auto format = static_cast<std::size_t>(out.format);
  if (auto status = section->read_choice("format", log::kFormatNames, format); !status) {
    return status;
  }
  out.format = static_cast<log::Format>(format);
  auto level = static_cast<std::size_t>(out.level);
  if (auto status = section->read_choice("level", log::kLevelNames, level); !status) {
    return status;
  }
  out.level = static_cast<log::Level>(level);
  return {};
}

Status parse_metrics(const TableReader& root, Config& config) {
  std::optional<TableReader> metrics;
  if (auto status = root.read_section("metrics", {"kafka_exporter_names"}, metrics);
      !status || !metrics) {
    return status;
  }
  return metrics->read_bool("kafka_exporter_names", config.kafka_exporter_names);
}

}  // namespace lagwatch::config::detail
