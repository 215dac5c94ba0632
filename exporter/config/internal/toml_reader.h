#pragma once
// Internal to the config module: typed access to a toml++ table that reports every problem as an
// Error naming the file, the line and the dotted key.

#include <toml++/toml.h>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace lagwatch::config::detail {

// "string", "integer", "float", "boolean", "date", "time", "date-time", "array" or "table".
std::string type_name(const toml::node& node);
int line_of(const toml::source_region& region);

struct Entry {
  const toml::key* key;
  const toml::node* node;
};

// toml++ tables iterate in key order; errors should come in file order like everywhere else.
std::vector<Entry> entries_in_file_order(const toml::table& table);

class TableReader {
 public:
  // `path` is the table's dotted key ("" for the document root, "clusters[0]" for a cluster).
  TableReader(const toml::table& table, std::string path, std::string file);

  const toml::table& table() const { return *table_; }
  const std::string& path() const { return path_; }
  // Line of the table's header; used for keys that are missing from it.
  int line() const { return line_of(table_->source()); }
  std::string key_path(std::string_view key) const;

  Error error(int line, std::string key_path, std::string message) const;
  Error error_at(const toml::node& node, std::string key_path, std::string message) const;
  // "expected EXPECTED, found TYPE".
  Error type_error(const toml::node& node, std::string key_path, std::string_view expected) const;
  // The reader of a sub-table found at `key_path`.
  TableReader child(const toml::table& table, std::string key_path) const;

  // Reports the unknown key that comes first in the file.
  Status reject_unknown_keys(std::initializer_list<std::string_view> allowed) const;

  // nullptr when the key is absent.
  const toml::node* find(std::string_view key) const { return table_->get(key); }

  // The read_* functions leave `out` untouched when the key is absent.
  Status read_string(std::string_view key, std::string& out) const;
  Status read_string_array(std::string_view key, std::vector<std::string>& out) const;
  Status read_table(std::string_view key, std::optional<TableReader>& out) const;
  // read_table() for a section whose keys must all be in `allowed`; the unknown key that comes
  // first in the file is the error.
  Status read_section(std::string_view key, std::initializer_list<std::string_view> allowed,
                      std::optional<TableReader>& out) const;
  Status read_bool(std::string_view key, bool& out) const;
  // An integer in [minimum, maximum].
  Status read_integer(std::string_view key, std::int64_t minimum, std::int64_t maximum,
                      std::int64_t& out) const;
  // A string that is one of `allowed`; `index` is its position there.
  Status read_choice(std::string_view key, std::span<const std::string_view> allowed,
                     std::size_t& index) const;
  // A string with a unit ("15s") or a number of seconds, at least `minimum`.
  Status read_duration(std::string_view key, Duration minimum, Duration& out) const;

 private:
  const toml::table* table_;
  std::string path_;
  std::string file_;
};

}  // namespace lagwatch::config::detail
