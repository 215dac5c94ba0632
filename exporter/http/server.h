#pragma once
// The HTTP endpoints. This layer knows only bytes prepared elsewhere: it never renders metrics
// and never talks to Kafka, so a scrape costs one copy of the current body.
//
// One thread serves every connection from an epoll loop, so connections that send nothing, or
// half a request, hold no worker: they only hold a socket, until they time out or the connection
// bound drops the one idle longest to make room for a new one.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "error/result.h"
#include "http/web_config.h"

namespace lagwatch::http {

// What the server serves right now. `owner` keeps the viewed bytes alive during a response.
struct Content {
  std::shared_ptr<const void> owner;
  // The plain body is the concatenation of these pieces, so it need not exist as one string.
  std::span<const std::string_view> metrics_text;
  std::string_view metrics_gzip;
  std::string_view status_html;  // the "/" page
  bool ready = false;
  std::string_view readiness;     // the /readyz body, whatever the verdict
  std::string_view api_clusters;  // /api/v1/clusters, JSON
  std::string_view api_groups;    // /api/v1/groups, JSON
  // The JSON of /api/v1/groups/{cluster}/{group} (names decoded); null: unknown.
  std::function<std::shared_ptr<const std::string>(std::string_view cluster,
                                                   std::string_view group)>
      group_document;
};

using ContentSource = std::function<Content()>;

struct ServerSettings {
  std::string listen_address;  // host:port
  // Connections held at once. A new connection beyond it closes the connection that has waited
  // longest for a request (never one being answered).
  int max_connections = 1024;
  // A new connection must send its whole request head within this.
  std::chrono::milliseconds header_timeout = std::chrono::seconds(5);
  // A kept-alive connection waiting for its next request longer than this is closed; so is any
  // connection on which nothing moves for this long.
  std::chrono::milliseconds idle_timeout = std::chrono::seconds(120);
  // TLS, basic auth (on /metrics, / and /api/v1; /healthz and /readyz stay open for probes) and
  // extra response headers. Empty: plain HTTP, no auth.
  WebConfig web = {};
};

class Server {
 public:
  // Binds and starts serving.
  static Result<std::unique_ptr<Server>> start(const ServerSettings& settings,
                                               ContentSource source);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The port actually bound (useful with port 0).
  int port() const;
  const ContentSource& source() const;

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace lagwatch::http
