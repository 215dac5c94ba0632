#include "config/toml_reader.h"

#include <algorithm>
#include <utility>

namespace lagwatch::config::detail {

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

}  // namespace lagwatch::config::detail
