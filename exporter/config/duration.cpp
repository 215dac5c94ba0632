#include <charconv>
#include <cmath>
#include <cstdint>
#include <string_view>

#include "config/config.h"

namespace lagwatch::config {
namespace {

// About 31 years: anything longer is a typo, and the bound keeps the double -> int64 cast exact.
constexpr double kMaxMilliseconds = 1e12;

// Digits with at most one '.', which must have a digit on each side. Rejects signs, exponents and
// whitespace, which std::from_chars would otherwise partly accept.
bool is_plain_decimal(std::string_view text) {
  const auto dot = text.find('.');
  const auto all_digits = [](std::string_view part) {
    return !part.empty() && part.find_first_not_of("0123456789") == std::string_view::npos;
  };
  if (dot == std::string_view::npos) {
    return all_digits(text);
  }
  return all_digits(text.substr(0, dot)) && all_digits(text.substr(dot + 1));
}

}  // namespace

std::optional<Duration> parse_duration(const std::string& text) {
  std::string_view number = text;
  double unit_ms = 1000.0;
  const std::size_t unit_start = number.find_first_not_of("0123456789.");
  if (unit_start != std::string_view::npos) {
    const std::string_view unit = number.substr(unit_start);
    if (unit == "ms") {
      unit_ms = 1.0;
    } else if (unit == "s") {
      unit_ms = 1000.0;
    } else if (unit == "m") {
      unit_ms = 60'000.0;
    } else if (unit == "h") {
      unit_ms = 3'600'000.0;
    } else {
      return std::nullopt;
    }
    number = number.substr(0, unit_start);
  }
  if (!is_plain_decimal(number)) {
    return std::nullopt;
  }
  double value = 0;
  const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (error != std::errc{} || end != number.data() + number.size()) {
    return std::nullopt;
  }
  const double milliseconds = std::round(value * unit_ms);
  if (!(milliseconds <= kMaxMilliseconds)) {
    return std::nullopt;
  }
  return Duration(static_cast<int64_t>(milliseconds));
}

std::string format_duration(Duration duration) {
  const int64_t ms = duration.count();
  if (ms == 0) {
    return "0s";
  }
  if (ms % 3'600'000 == 0) {
    return std::to_string(ms / 3'600'000) + "h";
  }
  if (ms % 60'000 == 0) {
    return std::to_string(ms / 60'000) + "m";
  }
  if (ms % 1000 == 0) {
    return std::to_string(ms / 1000) + "s";
  }
  return std::to_string(ms) + "ms";
}

}  // namespace lagwatch::config
