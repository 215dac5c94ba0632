// lagwatch: Kafka consumer group lag exporter. Wires config, pollers, exposition and HTTP.

#include <sys/resource.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "config/config.h"
#include "describe/describe_command.h"
#include "http/probe.h"
#include "http/server.h"
#include "kafka/client.h"
#include "lagwatch/version.h"
#include "log/log.h"
#include "memory/allocator.h"
#include "metrics/exposition.h"
#include "metrics/self_metrics.h"
#include "poll/pollers.h"
#include "poll/property_check.h"

namespace {

constexpr const char* kUsage = R"(Usage: lagwatch [OPTIONS]
       lagwatch describe [--url URL] [--cluster NAME] [GROUP]

Exports Kafka consumer group lag to Prometheus. Polls every configured cluster in the
background and serves the last result on /metrics.

Options:
  --config FILE         run with this TOML configuration file
  --check-config FILE   validate FILE, print the effective configuration (secrets
                        redacted) and exit 0, or print the error and exit 1
  --shard I/N           watch only the groups of shard I of N (0 <= I < N) on every
                        cluster, overriding the file's shard settings
  --probe URL           GET URL (http:// on a loopback address, e.g.
                        http://127.0.0.1:8793/healthz) and exit 0 on a 2xx status,
                        1 otherwise; for container health checks without curl
  --web.config.file F   serve over TLS and/or with basic auth as the Prometheus web
                        configuration file F says (overrides [server] web_config_file)
  --log.format FORMAT   logfmt or json, overriding [log] format
  --log.level LEVEL     debug, info, warn or error, overriding [log] level
  --version             print the version and exit
  --help                print this help and exit

Commands:
  describe              read the JSON API of a running lagwatch (--url, default
                        http://127.0.0.1:8793) and print every group, or with GROUP
                        its partitions, like kafka-consumer-groups --describe

Endpoints: /metrics (gzip when asked), /healthz, /readyz, / (status page),
/api/v1/clusters, /api/v1/groups, /api/v1/groups/CLUSTER/GROUP (JSON).
Signals: SIGHUP reloads the configuration and secret files; SIGTERM and SIGINT stop.
See config/lagwatch.example.toml for every configuration key.
)";

struct Options {
  std::string config_path;
  bool check_only = false;
  std::optional<lagwatch::config::Shard> shard;
  std::optional<std::string> web_config_file;
  std::optional<lagwatch::log::Format> log_format;
  std::optional<lagwatch::log::Level> log_level;
};

int usage_error(const std::string& message) {
  std::fprintf(stderr, "lagwatch: %s\nTry 'lagwatch --help'.\n", message.c_str());
  return 2;
}

// Returns an exit code when the program should stop right away.
std::optional<int> parse_args(int argc, char** argv, Options& options) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args.front() == "describe") {
    const std::string listen = lagwatch::config::Config{}.listen_address;
    return lagwatch::describe::describe_main(
        {args.begin() + 1, args.end()}, "http://127.0.0.1:" + listen.substr(listen.rfind(':') + 1));
  }
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    auto value = [&](const char* flag) -> std::optional<std::string> {
      const std::string prefix = std::string(flag) + "=";
      if (arg.rfind(prefix, 0) == 0) return arg.substr(prefix.size());
      if (i + 1 < args.size()) return args[++i];
      return std::nullopt;
    };
    auto is = [&](const char* flag) {
      return arg == flag || arg.rfind(std::string(flag) + "=", 0) == 0;
    };
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (arg == "--version") {
      std::printf("lagwatch %s (revision %s) librdkafka %s\n", lagwatch::kVersion,
                  lagwatch::kRevision, lagwatch::kafka::library_version().c_str());
      return 0;
    }
    if (is("--config") || is("--check-config")) {
      options.check_only = is("--check-config");
      auto path = value(options.check_only ? "--check-config" : "--config");
      if (!path) return usage_error(arg + " needs a file");
      options.config_path = *path;
    } else if (is("--probe")) {
      auto url = value("--probe");
      if (!url) return usage_error("--probe needs a URL");
      return lagwatch::http::probe_main(*url);
    } else if (is("--shard")) {
      auto text = value("--shard");
      if (!text) return usage_error("--shard needs I/N");
      options.shard = lagwatch::config::parse_shard(*text);
      if (!options.shard)
        return usage_error("--shard: expected I/N with 0 <= I < N, got \"" + *text + "\"");
    } else if (is("--web.config.file")) {
      auto path = value("--web.config.file");
      if (!path) return usage_error("--web.config.file needs a file");
      options.web_config_file = *path;
    } else if (is("--log.format")) {
      auto text = value("--log.format");
      if (!text) return usage_error("--log.format needs logfmt or json");
      options.log_format = lagwatch::log::parse_format(*text);
      if (!options.log_format)
        return usage_error("--log.format: expected logfmt or json, got \"" + *text + "\"");
    } else if (is("--log.level")) {
      auto text = value("--log.level");
      if (!text) return usage_error("--log.level needs debug, info, warn or error");
      options.log_level = lagwatch::log::parse_level(*text);
      if (!options.log_level) {
        return usage_error("--log.level: expected debug, info, warn or error, got \"" + *text +
                           "\"");
      }
    } else {
      return usage_error("unknown argument \"" + arg + "\"");
    }
  }
  if (options.config_path.empty()) return usage_error("--config FILE is required");
  return std::nullopt;
}

// The configuration file with the command line's overrides, validated; or why it is not valid.
lagwatch::Result<lagwatch::config::Config> load_configuration(const Options& options) {
  using namespace lagwatch;
  auto parsed = config::load_file(options.config_path);
  if (!parsed) return parsed.error();
  auto cfg = std::move(parsed).value();
  if (auto checked = poll::check_librdkafka_properties(cfg); !checked) return checked.error();
  if (options.shard) {
    for (auto& cluster : cfg.clusters) cluster.shard = *options.shard;
  }
  if (options.web_config_file) cfg.web_config_file = *options.web_config_file;
  if (options.log_format) cfg.log.format = *options.log_format;
  if (options.log_level) cfg.log.level = *options.log_level;
  return cfg;
}

lagwatch::poll::PollSettings poll_settings(const lagwatch::config::Config& cfg) {
  return {cfg.poll_interval, cfg.request_timeout, cfg.max_in_flight,
          cfg.broker_wide_describe_min_groups, cfg.earliest_offsets_refresh};
}

// SIGHUP: the file is read and validated again; a bad one is logged and the running
// configuration kept. The endpoint's address and web configuration are bound at start.
void reload(const Options& options, lagwatch::config::Config& running,
            lagwatch::poll::Pollers& pollers, lagwatch::metrics::Exposition& exposition) {
  using namespace lagwatch;
  auto loaded = load_configuration(options);
  if (!loaded) {
    log::error("reload refused, keeping the running configuration: invalid configuration: " +
               loaded.error().to_string());
    return;
  }
  auto next = std::move(loaded).value();
  if (next.listen_address != running.listen_address ||
      next.web_config_file != running.web_config_file ||
      next.readiness_grace != running.readiness_grace) {
    log::warn("reload: [server] settings take effect only at start");
    next.listen_address = running.listen_address;
    next.web_config_file = running.web_config_file;
  }
  next.readiness_grace = running.readiness_grace;
  log::set_format(next.log.format);
  log::set_min_level(next.log.level);
  const auto outcome = pollers.apply(poll_settings(next), next.clusters);
  exposition.set_configuration(config::describe_redacted(next));
  running = std::move(next);
  log::info("configuration reloaded from " + options.config_path + ": " + outcome.to_string());
}

}  // namespace

int main(int argc, char** argv) {
  using namespace lagwatch;
  memory::tune_allocator();
  Options options;
  if (auto code = parse_args(argc, argv, options)) return *code;

  auto loaded = load_configuration(options);
  if (!loaded) {
    std::fprintf(stderr, "lagwatch: invalid configuration: %s\n",
                 loaded.error().to_string().c_str());
    return 1;
  }
  auto cfg = std::move(loaded).value();
  http::WebConfig web;
  if (!cfg.web_config_file.empty()) {
    auto web_loaded = http::load_web_config(cfg.web_config_file);
    if (!web_loaded) {
      std::fprintf(stderr, "lagwatch: invalid web configuration: %s\n",
                   web_loaded.error().to_string().c_str());
      return 1;
    }
    web = std::move(web_loaded).value();
  }
  if (options.check_only) {
    std::printf("%s", config::describe_redacted(cfg).c_str());
    if (!cfg.web_config_file.empty()) {
      std::printf("# endpoint: %s%s (web configuration %s)\n", web.tls ? "TLS" : "plain HTTP",
                  web.basic_auth_users.empty() ? "" : ", basic auth", cfg.web_config_file.c_str());
    }
    std::printf("configuration OK: %s\n", options.config_path.c_str());
    return 0;
  }

  // Signals are taken synchronously by the main thread; every other thread blocks them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  // Every held connection is a descriptor: allow as many as the hard limit does, so the
  // connection bound, not the descriptor limit, decides what happens to a flood of them.
  if (rlimit files{}; getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
  }

  log::set_format(cfg.log.format);
  log::set_min_level(cfg.log.level);
  log::info(std::string("lagwatch ") + kVersion + " starting; configuration " +
            options.config_path);
  metrics::SelfMetrics self(kafka::library_version());
  metrics::Exposition exposition({}, self, cfg.readiness_grace);
  exposition.set_configuration(config::describe_redacted(cfg));

  auto started = http::Server::start(
      http::ServerSettings{.listen_address = cfg.listen_address, .web = std::move(web)},
      [&exposition] {
        auto body = exposition.current();
        const metrics::Body* published = body.get();
        return http::Content{
            .owner = body,
            .metrics_text = body->text_pieces(),
            .metrics_gzip = body->gzip,
            .status_html = body->status_html,
            .ready = body->ready,
            .readiness = body->readiness,
            .api_clusters = body->api_clusters,
            .api_groups = body->api_groups,
            .group_document = [published](std::string_view cluster, std::string_view group) {
              return published->group_document(cluster, group);
            }};
      });
  if (!started) {
    log::error(started.error().message);
    return 1;
  }
  auto server = std::move(started).value();
  log::info(
      "serving on " + cfg.listen_address + " (port " + std::to_string(server->port()) +
      (cfg.web_config_file.empty() ? ")" : ", web configuration " + cfg.web_config_file + ")"));

  poll::Pollers pollers(exposition, self);
  pollers.apply(poll_settings(cfg), cfg.clusters);

  int signal = 0;
  while (sigwait(&signals, &signal) == 0 && signal == SIGHUP) {
    log::info("received SIGHUP, reloading " + options.config_path);
    reload(options, cfg, pollers, exposition);
  }
  log::info(std::string("received ") + strsignal(signal) + ", stopping");
  pollers.stop();  // a cycle in progress ends within its request timeouts
  server.reset();
  log::info("stopped");
  return 0;
}
