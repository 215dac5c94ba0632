#include <charconv>
#include <string_view>

#include "config/config.h"

namespace lagwatch::config {
namespace {

std::optional<uint32_t> parse_unsigned(std::string_view digits) {
  // from_chars alone would accept a leading '+' in some implementations and never whitespace;
  // requiring only digits keeps "I/N" strict.
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  uint32_t value = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error != std::errc{} || end != digits.data() + digits.size()) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

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

}  // namespace lagwatch::config
