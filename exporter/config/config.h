#pragma once
// Validated, typed configuration. Parsing never throws: errors come back as values that name the
// file, the line and the key.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <variant>
#include <vector>

namespace lagwatch::config {

using Duration = std::chrono::milliseconds;

// A compiled allow/deny filter. An empty allow list allows everything; deny wins over allow.
class NameFilter {
 public:
  NameFilter() = default;
  NameFilter(std::vector<std::string> allow_patterns, std::vector<std::string> deny_patterns);
  bool matches(const std::string& name) const;
  const std::vector<std::string>& allow_patterns() const { return allow_patterns_; }
  const std::vector<std::string>& deny_patterns() const { return deny_patterns_; }

 private:
  std::vector<std::string> allow_patterns_;
  std::vector<std::string> deny_patterns_;
  std::vector<std::regex> allow_;
  std::vector<std::regex> deny_;
};

// A librdkafka property value. Secrets keep where they came from so logs can name the source
// without the value.
struct PropertyValue {
  enum class Source { kInline, kEnv, kFile };
  Source source = Source::kInline;
  std::string reference;  // env var name or file path; empty for inline
  std::string value;      // resolved value
  bool secret = false;    // true for env/file references and for known secret keys
};

// Which shard of the cluster's groups this instance watches: groups whose stable hash modulo
// `count` equals `index`. {0, 1} watches everything.
struct Shard {
  uint32_t index = 0;
  uint32_t count = 1;
};

struct ClusterConfig {
  std::string name;
  std::string bootstrap_servers;  // comma separated
  NameFilter groups;
  NameFilter topics;
  std::map<std::string, PropertyValue> librdkafka;
  Shard shard;
};

struct Config {
  std::string source_path;
  std::string listen_address = "0.0.0.0:8793";
  Duration poll_interval = std::chrono::seconds(15);
  Duration request_timeout = std::chrono::seconds(10);
  int max_in_flight = 32;
  std::vector<ClusterConfig> clusters;
};

struct Error {
  std::string file;
  int line = 0;     // 0 when unknown (e.g. file missing)
  std::string key;  // dotted path, e.g. "clusters[1].librdkafka.sasl.password"
  std::string message;
  // "FILE:LINE: KEY: MESSAGE"
  std::string to_string() const;
};

using ParseResult = std::variant<Config, Error>;

// Reads and validates a TOML file; resolves env/file secret references.
ParseResult load_file(const std::string& path);
// Same from a string; `path` is only used in error messages.
ParseResult parse(const std::string& text, const std::string& path);

// Parses "15s", "500ms", "2m", "1h", or a number of seconds. std::nullopt when malformed.
std::optional<Duration> parse_duration(const std::string& text);

// True for property names whose values must never be printed (passwords, keys, jaas configs).
bool is_secret_property(const std::string& name);

}  // namespace lagwatch::config
