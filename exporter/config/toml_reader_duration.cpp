// TableReader::read_duration: the one place that turns a TOML value into a Duration.
#include <cmath>
#include <sstream>

#include "config/toml_reader.h"

namespace lagwatch::config::detail {
namespace {

// Same bound as parse_duration(): keeps the seconds -> milliseconds conversion exact.
constexpr double kMaxSeconds = 1e9;

}  // namespace

Status TableReader::read_duration(std::string_view key, Duration minimum, Duration& out) const {
  const toml::node* node = find(key);
  if (node == nullptr) {
    return {};
  }
  const std::string path = key_path(key);
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
    return type_error(*node, path, "a duration string (\"15s\") or a number of seconds");
  }
  if (!duration) {
    return error_at(*node, path,
                    "invalid duration \"" + spelled +
                        "\": expected a number with unit ms, s, m or h (\"500ms\", \"15s\"), or a "
                        "number of seconds");
  }
  if (*duration < minimum) {
    return error_at(
        *node, path,
        "must be at least " + format_duration(minimum) + ", found " + format_duration(*duration));
  }
  out = *duration;
  return {};
}

}  // namespace lagwatch::config::detail
