// The syntaxes of single configuration values: durations, shards, listen addresses and the
// names of enumerations.

#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/config.h"
#include "config/internal/enum_names.h"

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

std::optional<uint32_t> parse_unsigned(std::string_view digits) {
  // from_chars alone would accept a leading '+' in some implementations and never whitespace;
  // requiring only digits keeps "I/N" strict.
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  uint32_t value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc{} || end != digits.data() + digits.size()) {
    return std::nullopt;
  }
  return value;
}

bool is_valid_port(std::string_view digits) {
  if (digits.empty() || digits.size() > 5 ||
      digits.find_first_not_of("0123456789") != std::string_view::npos) {
    return false;
  }
  unsigned port = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), port);
  return port >= 1 && port <= 65535;
}

bool is_valid_host(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    const std::string_view ipv6 = host.substr(1, host.size() - 2);
    return !ipv6.empty() &&
           ipv6.find_first_not_of("0123456789abcdefABCDEF:.") == std::string_view::npos;
  }
  // Host names and IPv4 addresses; a bare ':' here would mean an unbracketed IPv6 address, whose
  // port cannot be told apart from its last group.
  return !host.empty() &&
         host.find_first_not_of(
             "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_") ==
             std::string_view::npos;
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
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (ec != std::errc{} || end != number.data() + number.size()) {
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

std::optional<Shard> parse_shard(const std::string& text) {
  const std::string_view view = text;
  const auto slash = view.find('/');
  if (slash == std::string_view::npos) {
    return std::nullopt;
  }
  const auto index = parse_unsigned(view.substr(0, slash));
  const auto count = parse_unsigned(view.substr(slash + 1));
  if (!index || !count || *count == 0 || *index >= *count) {
    return std::nullopt;
  }
  return Shard{*index, *count};
}

bool is_valid_listen_address(const std::string& address) {
  const std::string_view view = address;
  const auto colon = view.rfind(':');
  if (colon == std::string_view::npos) {
    return false;
  }
  return is_valid_host(view.substr(0, colon)) && is_valid_port(view.substr(colon + 1));
}

std::string_view to_string(Granularity granularity) {
  return detail::kGranularityNames.at(static_cast<std::size_t>(granularity));
}

std::string_view to_string(LagSecondsMode mode) {
  return detail::kLagSecondsModeNames.at(static_cast<std::size_t>(mode));
}

}  // namespace lagwatch::config
