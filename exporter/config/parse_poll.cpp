#include <cmath>
#include <cstdint>
#include <sstream>

#include "config/sections.h"

namespace lagwatch::config::detail {
namespace {

constexpr Duration kMinInterval = std::chrono::seconds(1);
constexpr Duration kMinRequestTimeout = std::chrono::milliseconds(100);
constexpr int64_t kMaxInFlightLimit = 1024;
// Same bound as parse_duration(): keeps the seconds -> milliseconds conversion exact.
constexpr double kMaxSeconds = 1e9;

// A duration is a string with a unit or a plain number of seconds; absent leaves `out` alone.
std::optional<Error> read_duration(const TableReader& poll, std::string_view key, Duration& out) {
  const toml::node* node = poll.find(key);
  if (node == nullptr) {
    return std::nullopt;
  }
  const std::string path = poll.key_path(key);
  std::optional<Duration> duration;
  std::string spelled;
  if (const auto* text = node->as_string()) {
    spelled = text->get();
    duration = parse_duration(spelled);
  } else if (const auto* integer = node->as_integer()) {
    spelled = std::to_string(integer->get());
    if (std::abs(static_cast<double>(integer->get())) <= kMaxSeconds) {
      duration = std::chrono::seconds(integer->get());
    }
  } else if (const auto* number = node->as_floating_point()) {
    std::ostringstream shortest;
    shortest << number->get();
    spelled = shortest.str();
    if (std::abs(number->get()) <= kMaxSeconds) {
      duration = Duration(std::llround(number->get() * 1000.0));
    }
  } else {
    return poll.type_error(*node, path, "a duration string (\"15s\") or a number of seconds");
  }
  if (!duration) {
    return poll.error_at(*node, path,
                         "invalid duration \"" + spelled +
                             "\": expected a number with unit ms, s, m or h (\"500ms\", "
                             "\"15s\"), or a number of seconds");
  }
  out = *duration;
  return std::nullopt;
}

std::optional<Error> check_at_least(const TableReader& poll, std::string_view key, Duration value,
                                    Duration minimum) {
  if (value >= minimum || poll.find(key) == nullptr) {
    return std::nullopt;
  }
  return poll.error_at(
      *poll.find(key), poll.key_path(key),
      "must be at least " + format_duration(minimum) + ", found " + format_duration(value));
}

std::optional<Error> read_max_in_flight(const TableReader& poll, int& out) {
  const toml::node* node = poll.find("max_in_flight");
  if (node == nullptr) {
    return std::nullopt;
  }
  const auto* integer = node->as_integer();
  if (integer == nullptr) {
    return poll.type_error(*node, poll.key_path("max_in_flight"), "an integer");
  }
  if (integer->get() < 1 || integer->get() > kMaxInFlightLimit) {
    return poll.error_at(*node, poll.key_path("max_in_flight"),
                         "must be between 1 and " + std::to_string(kMaxInFlightLimit) + ", found " +
                             std::to_string(integer->get()));
  }
  out = static_cast<int>(integer->get());
  return std::nullopt;
}

}  // namespace

std::optional<Error> parse_poll(const TableReader& root, Config& config) {
  std::optional<TableReader> poll;
  if (auto error = root.read_table("poll", poll)) {
    return error;
  }
  if (!poll) {
    return std::nullopt;
  }
  if (auto error = poll->reject_unknown_keys({"interval", "request_timeout", "max_in_flight"})) {
    return error;
  }
  if (auto error = read_duration(*poll, "interval", config.poll_interval)) {
    return error;
  }
  if (auto error = check_at_least(*poll, "interval", config.poll_interval, kMinInterval)) {
    return error;
  }
  if (auto error = read_duration(*poll, "request_timeout", config.request_timeout)) {
    return error;
  }
  if (auto error =
          check_at_least(*poll, "request_timeout", config.request_timeout, kMinRequestTimeout)) {
    return error;
  }
  return read_max_in_flight(*poll, config.max_in_flight);
}

}  // namespace lagwatch::config::detail
