#include <cstdint>

#include "config/sections.h"

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
