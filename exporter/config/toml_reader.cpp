#include "config/internal/toml_reader.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <sstream>
#include <utility>

namespace lagwatch::config::detail {
namespace {

// Same bound as parse_duration(): keeps the seconds -> milliseconds conversion exact.
constexpr double kMaxSeconds = 1e9;

}  // namespace

std::string type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string:
      return "string";
    case toml::node_type::integer:
      return "integer";
    case toml::node_type::floating_point:
      return "float";
    case toml::node_type::boolean:
      return "boolean";
    case toml::node_type::date:
      return "date";
    case toml::node_type::time:
      return "time";
    case toml::node_type::date_time:
      return "date-time";
    case toml::node_type::array:
      return "array";
    case toml::node_type::table:
      return "table";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

int line_of(const toml::source_region& region) { return static_cast<int>(region.begin.line); }

std::vector<Entry> entries_in_file_order(const toml::table& table) {
  std::vector<Entry> entries;
  for (const auto& [key, node] : table) {
    entries.push_back({&key, &node});
  }
  std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return line_of(a.key->source()) < line_of(b.key->source());
  });
  return entries;
}

TableReader::TableReader(const toml::table& table, std::string path, std::string file)
    : table_(&table), path_(std::move(path)), file_(std::move(file)) {}

std::string TableReader::key_path(std::string_view key) const {
  if (path_.empty()) {
    return std::string(key);
  }
  return path_ + "." + std::string(key);
}

Error TableReader::error(int line, std::string key_path, std::string message) const {
  return Error::config(file_, line, std::move(key_path), std::move(message));
}

Error TableReader::error_at(const toml::node& node, std::string key_path,
                            std::string message) const {
  return error(line_of(node.source()), std::move(key_path), std::move(message));
}

Error TableReader::type_error(const toml::node& node, std::string key_path,
                              std::string_view expected) const {
  return error_at(node, std::move(key_path),
                  "expected " + std::string(expected) + ", found " + type_name(node));
}

TableReader TableReader::child(const toml::table& table, std::string key_path) const {
  return TableReader(table, std::move(key_path), file_);
}

Status TableReader::reject_unknown_keys(std::initializer_list<std::string_view> allowed) const {
  const toml::key* first_unknown = nullptr;
  for (const auto& [key, node] : *table_) {
    const bool known = std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end();
    if (!known &&
        (first_unknown == nullptr || line_of(key.source()) < line_of(first_unknown->source()))) {
      first_unknown = &key;
    }
  }
  if (first_unknown == nullptr) {
    return {};
  }
  std::string message = "unknown key (allowed:";
  for (const auto name : allowed) {
    message += ' ';
    message += name;
    message += ',';
  }
  message.back() = ')';
  return error(line_of(first_unknown->source()), key_path(first_unknown->str()),
               std::move(message));
}

Status TableReader::read_string(std::string_view key, std::string& out) const {
  const toml::node* node = find(key);
  if (node == nullptr) {
    return {};
  }
  const auto* value = node->as_string();
  if (value == nullptr) {
    return type_error(*node, key_path(key), "a string");
  }
  out = value->get();
  return {};
}

Status TableReader::read_string_array(std::string_view key, std::vector<std::string>& out) const {
  const toml::node* node = find(key);
  if (node == nullptr) {
    return {};
  }
  const auto* array = node->as_array();
  if (array == nullptr) {
    return type_error(*node, key_path(key), "an array of strings");
  }
  std::vector<std::string> values;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::node& element = *array->get(i);
    const auto* value = element.as_string();
    if (value == nullptr) {
      return type_error(element, key_path(key) + "[" + std::to_string(i) + "]", "a string");
    }
    values.push_back(value->get());
  }
  out = std::move(values);
  return {};
}

Status TableReader::read_table(std::string_view key, std::optional<TableReader>& out) const {
  const toml::node* node = find(key);
  if (node == nullptr) {
    return {};
  }
  const auto* table = node->as_table();
  if (table == nullptr) {
    return type_error(*node, key_path(key), "a table");
  }
  out = child(*table, key_path(key));
  return {};
}

Status TableReader::read_section(std::string_view key,
                                 std::initializer_list<std::string_view> allowed,
                                 std::optional<TableReader>& out) const {
  if (auto status = read_table(key, out); !status || !out) {
    return status;
  }
  return out->reject_unknown_keys(allowed);
}

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
  if (auto status = read_string(key, text); !status) {
    return status;
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
