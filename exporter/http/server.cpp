#include "http/server.h"

#include <civetweb.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <string>

namespace lagwatch::http {

namespace {

const Server& server_of(mg_connection* conn) {
  return *static_cast<const Server*>(mg_get_request_info(conn)->user_data);
}

bool is_get_or_head(mg_connection* conn, bool& head) {
  const char* method = mg_get_request_info(conn)->request_method;
  head = std::strcmp(method, "HEAD") == 0;
  if (head || std::strcmp(method, "GET") == 0) return true;
  mg_printf(conn,
            "HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD\r\nContent-Type: text/plain\r\n"
            "Content-Length: 19\r\n\r\nmethod not allowed\n");
  return false;
}

// mg_write returns an int count, so no single call may write more than this.
constexpr size_t kMaxWrite = size_t{1} << 30;

void respond(mg_connection* conn, int status, const char* reason, const char* content_type,
             std::span<const std::string_view> body, bool head, const char* extra_headers = "") {
  size_t length = 0;
  for (const auto piece : body) length += piece.size();
  mg_printf(conn,
            "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
            "Cache-Control: no-store\r\n%s\r\n",
            status, reason, content_type, length, extra_headers);
  if (head) return;
  for (std::string_view piece : body) {
    while (!piece.empty()) {
      const size_t chunk = std::min(piece.size(), kMaxWrite);
      // A short write means the client is gone; the rest would only fail too.
      if (mg_write(conn, piece.data(), chunk) != static_cast<int>(chunk)) return;
      piece.remove_prefix(chunk);
    }
  }
}

void respond(mg_connection* conn, int status, const char* reason, const char* content_type,
             std::string_view body, bool head, const char* extra_headers = "") {
  respond(conn, status, reason, content_type, std::span<const std::string_view>(&body, 1), head,
          extra_headers);
}

bool accepts_gzip(mg_connection* conn) {
  const char* header = mg_get_header(conn, "Accept-Encoding");
  if (header == nullptr) return false;
  const std::string_view value(header);
  const size_t at = value.find("gzip");
  if (at == std::string_view::npos) return false;
  // "gzip;q=0" explicitly refuses it.
  const std::string_view rest = value.substr(at + 4);
  return !(rest.starts_with(";q=0") && !rest.starts_with(";q=0."));
}

int handle_metrics(mg_connection* conn, void*) {
  bool head = false;
  if (!is_get_or_head(conn, head)) return 405;
  const Content content = server_of(conn).source()();
  const char* type = "text/plain; version=0.0.4; charset=utf-8";
  if (accepts_gzip(conn) && !content.metrics_gzip.empty()) {
    respond(conn, 200, "OK", type, content.metrics_gzip, head,
            "Content-Encoding: gzip\r\nVary: Accept-Encoding\r\n");
  } else {
    respond(conn, 200, "OK", type, content.metrics_text, head, "Vary: Accept-Encoding\r\n");
  }
  return 200;
}

int handle_healthz(mg_connection* conn, void*) {
  bool head = false;
  if (!is_get_or_head(conn, head)) return 405;
  respond(conn, 200, "OK", "text/plain", "ok\n", head);
  return 200;
}

int handle_readyz(mg_connection* conn, void*) {
  bool head = false;
  if (!is_get_or_head(conn, head)) return 405;
  if (server_of(conn).source()().ready) {
    respond(conn, 200, "OK", "text/plain", "ready\n", head);
    return 200;
  }
  respond(conn, 503, "Service Unavailable", "text/plain",
          "not ready: some cluster has not been polled successfully yet\n", head);
  return 503;
}

int handle_root(mg_connection* conn, void*) {
  bool head = false;
  if (!is_get_or_head(conn, head)) return 405;
  if (std::strcmp(mg_get_request_info(conn)->local_uri, "/") != 0) {
    respond(conn, 404, "Not Found", "text/plain", "not found\n", head);
    return 404;
  }
  const Content content = server_of(conn).source()();
  respond(conn, 200, "OK", "text/html; charset=utf-8", content.landing_html, head);
  return 200;
}

std::once_flag library_init;

}  // namespace

std::unique_ptr<Server> Server::start(const ServerSettings& settings, ContentSource source,
                                      std::string& error) {
  std::call_once(library_init, [] { mg_init_library(0); });
  auto server = std::unique_ptr<Server>(new Server(nullptr, std::move(source)));
  const std::string threads = std::to_string(settings.threads);
  const char* options[] = {"listening_ports",
                           settings.listen_address.c_str(),
                           "num_threads",
                           threads.c_str(),
                           "request_timeout_ms",
                           "30000",
                           "enable_keep_alive",
                           "yes",
                           nullptr};
  mg_callbacks callbacks{};
  // Silence civetweb's default logging to stderr; errors come back through mg_error_data.
  callbacks.log_message = [](const mg_connection*, const char*) { return 1; };
  mg_init_data init{};
  init.callbacks = &callbacks;
  init.user_data = server.get();
  init.configuration_options = options;
  char text[256] = {0};
  mg_error_data errors{};
  errors.text = text;
  errors.text_buffer_size = sizeof text;
  mg_context* context = mg_start2(&init, &errors);
  if (context == nullptr) {
    error = "cannot listen on " + settings.listen_address + ": " + text;
    return nullptr;
  }
  server->context_ = context;
  mg_set_request_handler(context, "/metrics", handle_metrics, nullptr);
  mg_set_request_handler(context, "/healthz", handle_healthz, nullptr);
  mg_set_request_handler(context, "/readyz", handle_readyz, nullptr);
  mg_set_request_handler(context, "/", handle_root, nullptr);
  return server;
}

Server::Server(void* context, ContentSource source)
    : context_(context), source_(std::move(source)) {}

Server::~Server() {
  if (context_ != nullptr) mg_stop(static_cast<mg_context*>(context_));
}

int Server::port() const {
  mg_server_port ports[4];
  const int count = mg_get_server_ports(static_cast<mg_context*>(context_), 4, ports);
  return count > 0 ? ports[0].port : 0;
}

}  // namespace lagwatch::http
