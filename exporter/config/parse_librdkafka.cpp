#include <algorithm>
#include <vector>

#include "config/internal/sections.h"
#include "config/secret_source.h"

namespace lagwatch::config::detail {
namespace {

constexpr std::string_view kExpectedValue = "a string, { env = \"NAME\" } or { file = \"PATH\" }";

class PropertyCollector {
 public:
  PropertyCollector(const TableReader& section, std::map<std::string, PropertyValue>& out)
      : section_(section), out_(out) {}

  // Unquoted dotted keys (sasl.password = ...) arrive as nested tables: they are flattened back
  // into the property name librdkafka knows. Depth-first in file order with an explicit stack:
  // a key with any number of dots nests that deep, and must not recurse that deep.
  Status collect(const toml::table& root) {
    struct Level {
      std::vector<Entry> entries;
      std::size_t next = 0;
      std::size_t prefix_size = 0;  // of `name`: the dotted key of this table
    };
    std::vector<Level> stack;
    stack.push_back({entries_in_file_order(root), 0, 0});
    std::string name;
    while (!stack.empty()) {
      Level& level = stack.back();
      if (level.next == level.entries.size()) {
        stack.pop_back();
        continue;
      }
      const Entry entry = level.entries[level.next++];
      name.resize(level.prefix_size);
      if (stack.size() > 1) {
        name += '.';
      }
      name += entry.key->str();
      const toml::table* nested = nullptr;
      if (auto status = collect_one(name, *entry.key, *entry.node, nested); !status) {
        return status;
      }
      if (nested != nullptr) {
        stack.push_back({entries_in_file_order(*nested), 0, name.size()});
      }
    }
    return {};
  }

 private:
  // Stores a property, or sets `nested` to a table of further dotted parts to descend into.
  Status collect_one(const std::string& name, const toml::key& key, const toml::node& node,
                     const toml::table*& nested) {
    if (key.str().empty()) {
      return section_.error_at(node, section_.key_path(name), "property names must not be empty");
    }
    if (name == "bootstrap.servers") {
      return section_.error_at(node, section_.key_path(name),
                               "set bootstrap_servers of the cluster instead");
    }
    const int line = line_of(key.source());
    if (const auto* text = node.as_string()) {
      return store(
          name, {PropertyValue::Source::kInline, "", text->get(), is_secret_property(name), line});
    }
    const auto* table = node.as_table();
    if (table == nullptr || table->empty()) {
      return section_.type_error(node, section_.key_path(name), kExpectedValue);
    }
    if (table->contains("env") || table->contains("file")) {
      return collect_reference(name, line, *table);
    }
    nested = table;
    return {};
  }

  Status collect_reference(const std::string& name, int line, const toml::table& reference) {
    const std::string path = section_.key_path(name);
    if (reference.size() != 1) {
      return section_.error_at(reference, path,
                               "a secret reference takes exactly one key: env or file");
    }
    const bool from_env = reference.contains("env");
    const std::string_view kind = from_env ? "env" : "file";
    const toml::node& target = *reference.get(kind);
    const auto* text = target.as_string();
    if (text == nullptr) {
      return section_.type_error(target, path + "." + std::string(kind), "a string");
    }
    if (text->get().empty()) {
      return section_.error_at(target, path + "." + std::string(kind), "must not be empty");
    }
    std::string problem;
    const auto value = from_env ? read_secret_from_env(text->get(), problem)
                                : read_secret_from_file(text->get(), problem);
    if (!value) {
      return section_.error_at(target, path, problem);
    }
    return store(name, {from_env ? PropertyValue::Source::kEnv : PropertyValue::Source::kFile,
                        text->get(), *value, true, line});
  }

  Status store(const std::string& name, PropertyValue value) {
    const int line = value.line;
    const auto [previous, inserted] = out_.try_emplace(name, std::move(value));
    if (!inserted) {
      return section_.error(
          line, section_.key_path(name),
          "set twice (first on line " + std::to_string(previous->second.line) + ")");
    }
    return {};
  }

  const TableReader& section_;
  std::map<std::string, PropertyValue>& out_;
};

}  // namespace

Status parse_librdkafka(const TableReader& cluster, std::map<std::string, PropertyValue>& out) {
  std::optional<TableReader> section;
  if (auto status = cluster.read_table("librdkafka", section); !status) {
    return status;
  }
  if (!section) {
    return {};
  }
  return PropertyCollector(*section, out).collect(section->table());
}

}  // namespace lagwatch::config::detail
