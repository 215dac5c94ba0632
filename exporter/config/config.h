#pragma once
// Validated, typed configuration. Parsing never throws: errors come back as values that name the
// file, the line and the key.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "error/result.h"
#include "log/format.h"

namespace re2 {
class RE2;
}

namespace lagwatch::config {

using Duration = std::chrono::milliseconds;

// A compiled allow/deny filter. An empty allow list allows everything; deny wins over allow.
// Patterns are RE2 regular expressions (the syntax Prometheus uses) matched against the whole
// name, in time linear in the name's length and without recursion: no back references, no
// lookaround. Names are UTF-8; `.` is one character. Copies share the compiled expressions,
// which are safe to use from several threads.
class NameFilter {
 public:
  NameFilter() = default;
  // For patterns known to be valid (e.g. taken from a parsed Config). If one does not compile,
  // the filter matches no name at all: failing closed exports nothing rather than too much.
  NameFilter(std::vector<std::string> allow_patterns, std::vector<std::string> deny_patterns);
  // Like the constructor, but reports the first pattern that does not compile (allow patterns
  // first), e.g. `invalid regular expression "(": unbalanced parentheses`.
  static Result<NameFilter> compile(std::vector<std::string> allow_patterns,
                                    std::vector<std::string> deny_patterns);

  bool matches(const std::string& name) const;
  const std::vector<std::string>& allow_patterns() const { return allow_patterns_; }
  const std::vector<std::string>& deny_patterns() const { return deny_patterns_; }

 private:
  std::vector<std::string> allow_patterns_;
  std::vector<std::string> deny_patterns_;
  std::vector<std::shared_ptr<const re2::RE2>> allow_;
  std::vector<std::shared_ptr<const re2::RE2>> deny_;
  bool compiled_ = true;
};

// A librdkafka property value. Secrets keep where they came from so logs can name the source
// without the value.
struct PropertyValue {
  enum class Source { kInline, kEnv, kFile };
  Source source = Source::kInline;
  std::string reference;  // env var name or file path; empty for inline
  std::string value;      // resolved value
  bool secret = false;    // true for env/file references and for known secret keys
  int line = 0;           // where the property's key is written
};

// Which shard of the cluster's groups this instance watches: groups whose stable hash modulo
// `count` equals `index`. {0, 1} watches everything.
struct Shard {
  uint32_t index = 0;
  uint32_t count = 1;
};

// How fine the exported group series are: one per partition, summed per topic, or per group.
enum class Granularity { kPartition, kTopic, kGroup };

// Where lag in seconds comes from: interpolated from the high watermark history, or the timestamp
// of the record at the committed offset (one fetch per partition and poll).
enum class LagSecondsMode { kEstimate, kExact };

// "partition", "topic", "group"; "estimate", "exact": the spellings used in the config file.
std::string_view to_string(Granularity granularity);
std::string_view to_string(LagSecondsMode mode);

// The per-partition health verdict's sliding window (see lag/health.h).
struct HealthSettings {
  std::size_t window = 10;  // observations judged at once
  Duration min_span = std::chrono::seconds(120);
  Duration stop_after = std::chrono::seconds(300);
};

// How committed offsets come from the __consumer_offsets reader ([clusters.consumer_offsets]).
struct ConsumerOffsetsSettings {
  bool serve_offsets = true;  // false: OffsetFetch per group on every poll
  int verify_groups = 3;      // groups per poll also fetched with OffsetFetch and compared
  // Each poll reads the end of every __consumer_offsets partition and waits up to this long for
  // the reader to get there; the groups of a partition it has not reached use OffsetFetch.
  Duration sync_wait = std::chrono::seconds(1);
};

// [clusters.series]: which series are exported beyond the default budget.
struct SeriesSettings {
  // The per-group-partition families other than committed offset, lag and lag in seconds
  // (health, data loss, last commit time, the lag-seconds flags, uncommitted): off by default
  // because each one adds a series per group-partition, the bulk of a large cluster's series,
  // while its group-level version answers most alerts.
  bool partition_details = false;
  // lagwatch_group_member_info, one series per member of every group: off by default because a
  // cluster with many consumers gets as many series, and member ids change at every restart.
  bool member_info = false;
  // The families of kafka_exporter (danielqsj/kafka_exporter) under its own names and labels, so
  // that its dashboards and alerts keep working: off by default because they repeat lagwatch's
  // own group-partition series and add a series per partition of every exported topic.
  bool kafka_exporter_names = false;
};

struct ClusterConfig {
  std::string name;
  std::string bootstrap_servers;  // comma separated
  NameFilter groups;
  NameFilter topics;
  std::map<std::string, PropertyValue> librdkafka;
  Shard shard;
  Granularity granularity = Granularity::kPartition;
  LagSecondsMode lag_seconds_mode = LagSecondsMode::kEstimate;
  // Only with kExact: the groups that use exact mode (allow list only; empty = every group).
  NameFilter exact_groups;
  int exact_max_samples = 1000;     // record fetches per poll cycle in exact mode
  std::size_t history_points = 64;  // high watermark points kept per partition
  HealthSettings health;
  // false: rebalances are counted from describe polls, which can miss some (a lower bound).
  bool read_consumer_offsets = true;
  ConsumerOffsetsSettings consumer_offsets;
  SeriesSettings series;
  // [clusters.labels]: name, value; added to every series of the cluster, lagwatch's own too.
  std::vector<std::pair<std::string, std::string>> labels;
};

// [log]: how lagwatch writes its log lines; --log.format and --log.level override it.
struct LogSettings {
  log::Format format = log::Format::kLogfmt;
  log::Level level = log::Level::kInfo;
};

struct Config {
  std::string source_path;
  LogSettings log;
  std::string listen_address = "0.0.0.0:8793";
  // A Prometheus web configuration file (TLS, basic auth) for the endpoint; empty: plain HTTP.
  // Relative to the working directory, as given.
  std::string web_config_file;
  // A cluster without a successful poll this long after its start stops holding /readyz back
  // (0: it holds it back forever).
  Duration readiness_grace = std::chrono::minutes(5);
  Duration poll_interval = std::chrono::seconds(15);
  Duration request_timeout = std::chrono::seconds(10);
  int max_in_flight = 32;
  // From this many groups on, describe broker-wide first (kafka/internal/describe_groups.h).
  std::int64_t broker_wide_describe_min_groups = 32;
  // How often every partition's log start (earliest offset) is read again; in between it is
  // remembered (0: every poll). See poll/earliest_offsets.h.
  Duration earliest_offsets_refresh = std::chrono::seconds(60);
  // [metrics] kafka_exporter_names: the default of every cluster's
  // [clusters.series] kafka_exporter_names (already applied to `clusters`).
  bool kafka_exporter_names = false;
  std::vector<ClusterConfig> clusters;
};

using ParseResult = Result<Config>;

// Reads and validates a TOML file; resolves env/file secret references. Relative secret file
// paths are relative to the working directory.
ParseResult load_file(const std::string& path);
// Same from a string; `path` is only used in error messages.
ParseResult parse(const std::string& text, const std::string& path);

// Parses "15s", "500ms", "2m", "1h", "1.5s", or a number of seconds ("15", "0.5"). std::nullopt
// when malformed, negative or absurdly large.
std::optional<Duration> parse_duration(const std::string& text);
// The shortest exact spelling that parse_duration() reads back: "1h", "2m", "15s", "1500ms".
std::string format_duration(Duration duration);

// Parses "I/N" with 0 <= I < N. std::nullopt when malformed.
std::optional<Shard> parse_shard(const std::string& text);

// True for "host:port" / "[ipv6]:port" with a non-empty host and a port in 1-65535.
bool is_valid_listen_address(const std::string& address);

// True for property names whose values must never be printed (passwords, keys, jaas configs).
bool is_secret_property(const std::string& name);

// Whether a reloaded cluster table asks for the same poller as the running one. A secret read
// from a file counts by its path, not its value: the running poller re-reads the file itself
// and reconnects, keeping its state.
bool same_cluster_settings(const ClusterConfig& running, const ClusterConfig& reloaded);

// The effective configuration as TOML-like text for logs and --check-config. Secret values are
// shown as <from env NAME>, <from file PATH> or <redacted>, never as themselves.
std::string describe_redacted(const Config& config);

}  // namespace lagwatch::config
