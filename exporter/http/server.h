#pragma once
// The HTTP endpoints. This layer knows only bytes prepared elsewhere: it never renders metrics
// and never talks to Kafka, so a scrape costs one copy of the current body.

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace lagwatch::http {

// What the server serves right now. `owner` keeps the viewed bytes alive during a response.
struct Content {
  std::shared_ptr<const void> owner;
  // The plain body is the concatenation of these pieces, so it need not exist as one string.
  std::span<const std::string_view> metrics_text;
  std::string_view metrics_gzip;
  std::string_view landing_html;
  bool ready = false;
};

using ContentSource = std::function<Content()>;

struct ServerSettings {
  std::string listen_address;  // host:port
  int threads = 16;
};

class Server {
 public:
  // Binds and starts serving; on failure returns nullptr and sets `error`.
  static std::unique_ptr<Server> start(const ServerSettings& settings, ContentSource source,
                                       std::string& error);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The port actually bound (useful with port 0).
  int port() const;
  const ContentSource& source() const { return source_; }

 private:
  Server(void* context, ContentSource source);
  void* context_;  // mg_context
  ContentSource source_;
};

}  // namespace lagwatch::http
