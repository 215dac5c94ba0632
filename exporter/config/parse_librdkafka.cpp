#include <algorithm>
#include <vector>

#include "config/secret_source.h"
#include "config/sections.h"

namespace lagwatch::config::detail {
namespace {

constexpr std::string_view kExpectedValue = "a string, { env = \"NAME\" } or { file = \"PATH\" }";

struct Entry {
  const toml::key* key;
  const toml::node* node;
};

// toml++ tables iterate in key order; errors should come in file order like everywhere else.
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

class PropertyCollector {
 public:
  PropertyCollector(const TableReader& section, std::map<std::string, PropertyValue>& out)
      : section_(section), out_(out) {}

  // Unquoted dotted keys (sasl.password = ...) arrive as nested tables: they are flattened back
  // into the property name librdkafka knows.
  std::optional<Error> collect(const toml::table& table, const std::string& prefix) {
    for (const auto& [key, node] : entries_in_file_order(table)) {
      const std::string name =
          prefix.empty() ? std::string(key->str()) : prefix + "." + std::string(key->str());
      if (auto error = collect_one(name, *key, *node)) {
        return error;
      }
    }
    return std::nullopt;
  }

 private:
  std::optional<Error> collect_one(const std::string& name, const toml::key& key,
                                   const toml::node& node) {
    const std::string path = section_.key_path(name);
    if (key.str().empty()) {
      return section_.error_at(node, path, "property names must not be empty");
    }
    if (name == "bootstrap.servers") {
      return section_.error_at(node, path, "set bootstrap_servers of the cluster instead");
    }
    if (const auto* text = node.as_string()) {
      return store(name, line_of(key.source()),
                   {PropertyValue::Source::kInline, "", text->get(), is_secret_property(name)});
    }
    const auto* table = node.as_table();
    if (table == nullptr || table->empty()) {
      return section_.type_error(node, path, kExpectedValue);
    }
    if (table->contains("env") || table->contains("file")) {
      return collect_reference(name, key, *table);
    }
    return collect(*table, name);
  }

  std::optional<Error> collect_reference(const std::string& name, const toml::key& key,
                                         const toml::table& reference) {
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
    return store(name, line_of(key.source()),
                 {from_env ? PropertyValue::Source::kEnv : PropertyValue::Source::kFile,
                  text->get(), *value, true});
  }

  std::optional<Error> store(const std::string& name, int line, PropertyValue value) {
    const auto [previous, inserted] = line_of_property_.emplace(name, line);
    if (!inserted) {
      return section_.error(line, section_.key_path(name),
                            "set twice (first on line " + std::to_string(previous->second) + ")");
    }
    out_[name] = std::move(value);
    return std::nullopt;
  }

  const TableReader& section_;
  std::map<std::string, PropertyValue>& out_;
  std::map<std::string, int> line_of_property_;
};

}  // namespace

std::optional<Error> parse_librdkafka(const TableReader& cluster,
                                      std::map<std::string, PropertyValue>& out) {
  std::optional<TableReader> section;
  if (auto error = cluster.read_table("librdkafka", section)) {
    return error;
  }
  if (!section) {
    return std::nullopt;
  }
  return PropertyCollector(*section, out).collect(section->table(), "");
}

}  // namespace lagwatch::config::detail
