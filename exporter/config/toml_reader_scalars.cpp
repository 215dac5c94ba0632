// TableReader's readers of single booleans, bounded integers and string choices.
#include <algorithm>
#include <iterator>

#include "config/toml_reader.h"

namespace lagwatch::config::detail {

Status TableReader::read_bool(std::string_view key, bool& out) const {
  const toml::node* node = find(key);
  if (node == nullptr) {
    return {};
  }
  const auto* value = node->as_boolean();
  if (value == nullptr) {
    return type_error(*node, key_path(key), "a boolean");
  }
  out = value->get();
  return {};
}

Status TableReader::read_integer(std::string_view key, std::int64_t minimum, std::int64_t maximum,
                                 std::int64_t& out) const {
  const toml::node* node = find(key);
  if (node == nullptr) {
    return {};
  }
  const auto* value = node->as_integer();
  if (value == nullptr) {
    return type_error(*node, key_path(key), "an integer");
  }
  if (value->get() < minimum || value->get() > maximum) {
    return error_at(*node, key_path(key),
                    "must be between " + std::to_string(minimum) + " and " +
                        std::to_string(maximum) + ", found " + std::to_string(value->get()));
  }
  out = value->get();
  return {};
}

Status TableReader::read_choice(std::string_view key, std::span<const std::string_view> allowed,
                                std::size_t& index) const {
  std::string text;
  if (auto error = read_string(key, text); !error) {
    return error;
  }
  const toml::node* node = find(key);
  if (node == nullptr) {
    return {};
  }
  const auto found = std::find(allowed.begin(), allowed.end(), text);
  if (found != allowed.end()) {
    index = static_cast<std::size_t>(std::distance(allowed.begin(), found));
    return {};
  }
  std::string message = "unknown value \"" + text + "\" (allowed:";
  for (const auto name : allowed) {
    message += " \"";
    message += name;
    message += "\",";
  }
  message.back() = ')';
  return error_at(*node, key_path(key), std::move(message));
}

}  // namespace lagwatch::config::detail
