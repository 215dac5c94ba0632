#include "http/server.h"

#include <fcntl.h>
#include <gnutls/gnutls.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "http/internal/basic_auth.h"
#include "http/internal/connection_table.h"
#include "http/internal/tls_credentials.h"
#include "http/request.h"

namespace lagwatch::http {

struct Server::Impl {
  Impl(const ServerSettings& settings_in, ContentSource source_in)
      : settings(settings_in),
        source(std::move(source_in)),
        table(static_cast<size_t>(std::max(1, settings_in.max_connections)),
              settings_in.header_timeout, settings_in.idle_timeout),
        auth(settings_in.web.basic_auth_users) {}

  void run();
  void close_sockets(const std::vector<int>& fds);

  ServerSettings settings;
  ContentSource source;
  MHD_Daemon* daemon = nullptr;
  int port = 0;
  // Touched only by the serving thread (every callback runs on it).
  ConnectionTable table;
  BasicAuth auth;
  std::vector<int> to_close;
  std::unique_ptr<TlsCredentials> credentials;  // with TLS only
  // Handed to libmicrohttpd; kept for the daemon's lifetime.
  std::string client_ca, priorities;
  std::atomic<bool> stopping{false};
  std::thread thread;
};

namespace {

using Clock = ConnectionTable::Clock;

// The listening socket for "host:port"; -1 and `error` set on failure.
int listen_on(const std::string& address, std::string& error) {
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos) {
    error = "expected host:port";
    return -1;
  }
  std::string host = address.substr(0, colon);
  const std::string port = address.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (const int code =
          getaddrinfo(host.empty() ? nullptr : host.c_str(), port.c_str(), &hints, &found);
      code != 0) {
    error = gai_strerror(code);
    return -1;
  }
  int fd = -1;
  for (const addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
    fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) {
      error = std::strerror(errno);
      continue;
    }
    const int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 1024) == 0) break;
    error = std::strerror(errno);
    ::close(fd);
    fd = -1;
  }
  freeaddrinfo(found);
  return fd;
}

int bound_port(int fd) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) return 0;
  if (address.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6*>(&address)->sin6_port);
  }
  return ntohs(reinterpret_cast<const sockaddr_in*>(&address)->sin_port);
}

Server::Impl& impl_of(void* cls) { return *static_cast<Server::Impl*>(cls); }

// The server whose loop runs on this thread. GnuTLS asks for the certificate from inside
// MHD_run_wait, on the serving thread, through a callback that carries no context of its own.
thread_local Server::Impl* serving_here = nullptr;

int certificate_for_handshake(gnutls_session_t, const gnutls_cert_retr_st*, gnutls_pcert_st** chain,
                              unsigned* length, gnutls_ocsp_data_st** ocsp, unsigned* ocsp_length,
                              gnutls_privkey_t* key, unsigned* flags) {
  *ocsp = nullptr;
  *ocsp_length = 0;
  if (serving_here == nullptr || !serving_here->credentials) return -1;
  serving_here->credentials->refresh();
  if (serving_here->credentials->copy_for_handshake(chain, length, key) != GNUTLS_E_SUCCESS) {
    return -1;
  }
  *flags = GNUTLS_CERT_RETR_DEINIT_ALL;
  return 0;
}

ConnectionTable::Entry* entry_of(MHD_Connection* connection) {
  const MHD_ConnectionInfo* info =
      MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
  return info == nullptr ? nullptr : static_cast<ConnectionTable::Entry*>(info->socket_context);
}

void on_connection(void* cls, MHD_Connection* connection, void** socket_context,
                   MHD_ConnectionNotificationCode code) {
  Server::Impl& impl = impl_of(cls);
  if (code == MHD_CONNECTION_NOTIFY_STARTED) {
    const MHD_ConnectionInfo* info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
    const int fd = info == nullptr ? -1 : info->connect_fd;
    // Every response is written whole at once; nothing is gained by holding back a last segment.
    const int on = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    *socket_context = impl.table.opened(fd, Clock::now(), impl.to_close);
    if (!impl.client_ca.empty()) {
      // Ask for a client certificate without naming the CAs: the names would be those of the
      // CA file as first read, and a client that picks its certificate by them (Go's, as in
      // Prometheus) would send none once the file holds a replaced CA.
      const MHD_ConnectionInfo* tls =
          MHD_get_connection_info(connection, MHD_CONNECTION_INFO_GNUTLS_SESSION);
      if (tls != nullptr && tls->tls_session != nullptr) {
        gnutls_certificate_send_x509_rdn_sequence(static_cast<gnutls_session_t>(tls->tls_session),
                                                  1);
      }
    }
  } else if (*socket_context != nullptr) {
    impl.table.closed(static_cast<ConnectionTable::Entry*>(*socket_context));
    *socket_context = nullptr;
  }
}

void on_completed(void* cls, MHD_Connection* connection, void**, MHD_RequestTerminationCode) {
  if (auto* entry = entry_of(connection)) impl_of(cls).table.request_finished(entry, Clock::now());
}

// Targets reach the handler exactly as sent: "%00" stays three characters.
size_t keep_escapes(void*, MHD_Connection*, char* text) { return std::strlen(text); }

MHD_Result queue(const Server::Impl& impl, MHD_Connection* connection, unsigned status,
                 MHD_Response* response) {
  if (response == nullptr) return MHD_NO;
  for (const auto& [name, value] : impl.settings.web.headers) {
    MHD_add_response_header(response, name.c_str(), value.c_str());
  }
  const MHD_Result result = MHD_queue_response(connection, status, response);
  MHD_destroy_response(response);
  return result;
}

MHD_Response* text_response(std::string_view body, const char* content_type) {
  // Only string literals come here: MHD may keep pointing at them.
  MHD_Response* response = MHD_create_response_from_buffer(
      body.size(), const_cast<char*>(body.data()), MHD_RESPMEM_PERSISTENT);
  if (response != nullptr) {
    MHD_add_response_header(response, "Content-Type", content_type);
    MHD_add_response_header(response, "Cache-Control", "no-store");
  }
  return response;
}

// Up to this many pieces go out straight from where they are, in vectored writes without a
// copy, so a client that reads slowly costs no buffer here. More pieces (libmicrohttpd 0.9.75
// fails on vectors of thousands) are copied through a small buffer as the socket takes them.
constexpr size_t kMaxVectors = 256;
constexpr size_t kCopyBlock = 16 * 1024;

struct PieceStream {
  std::shared_ptr<const void> owner;
  std::vector<std::string_view> pieces;
  size_t piece = 0;
  size_t offset = 0;  // within pieces[piece]
};

ssize_t read_pieces(void* cls, uint64_t, char* buffer, size_t max) {
  auto& stream = *static_cast<PieceStream*>(cls);
  size_t copied = 0;
  while (copied < max && stream.piece < stream.pieces.size()) {
    const std::string_view piece = stream.pieces[stream.piece];
    const size_t n = std::min(max - copied, piece.size() - stream.offset);
    std::memcpy(buffer + copied, piece.data() + stream.offset, n);
    copied += n;
    stream.offset += n;
    if (stream.offset == piece.size()) {
      ++stream.piece;
      stream.offset = 0;
    }
  }
  if (copied == 0) return MHD_CONTENT_READER_END_OF_STREAM;
  return static_cast<ssize_t>(copied);
}

// A response of the concatenated `pieces`; `owner` keeps them alive until the response is done.
MHD_Response* pieces_response(std::span<const std::string_view> pieces,
                              const std::shared_ptr<const void>& owner, const char* content_type) {
  std::vector<MHD_IoVec> vectors;
  uint64_t size = 0;
  for (const std::string_view piece : pieces) {
    if (piece.empty()) continue;
    vectors.push_back(MHD_IoVec{piece.data(), piece.size()});
    size += piece.size();
  }
  MHD_Response* response = nullptr;
  if (vectors.size() <= kMaxVectors) {
    auto* keep = new std::shared_ptr<const void>(owner);
    response = MHD_create_response_from_iovec(
        vectors.data(), static_cast<unsigned>(vectors.size()),
        [](void* kept) { delete static_cast<std::shared_ptr<const void>*>(kept); }, keep);
    if (response == nullptr) delete keep;
  } else {
    auto* stream = new PieceStream{owner, {pieces.begin(), pieces.end()}};
    response =
        MHD_create_response_from_callback(size, kCopyBlock, read_pieces, stream,
                                          [](void* cls) { delete static_cast<PieceStream*>(cls); });
    if (response == nullptr) delete stream;
  }
  if (response == nullptr) return nullptr;
  MHD_add_response_header(response, "Content-Type", content_type);
  MHD_add_response_header(response, "Cache-Control", "no-store");
  return response;
}

// Every Accept-Encoding field of the request, joined into one list as RFC 9110 combines them.
std::string accept_encoding(MHD_Connection* connection, bool& present) {
  struct Collected {
    std::string value;
    bool present = false;
  } collected;
  MHD_get_connection_values(
      connection, MHD_HEADER_KIND,
      [](void* cls, MHD_ValueKind, const char* key, const char* value) -> MHD_Result {
        if (strcasecmp(key, "Accept-Encoding") == 0) {
          auto& out = *static_cast<Collected*>(cls);
          if (out.present) out.value += ", ";
          out.value += value == nullptr ? "" : value;
          out.present = true;
        }
        return MHD_YES;
      },
      &collected);
  present = collected.present;
  return collected.value;
}

// Why the client certificate does not satisfy client_auth_type, or nullptr when it does. The TLS
// handshake asked for a certificate (when a client CA is configured); here it is checked.
const char* client_certificate_refusal(const Server::Impl& impl, MHD_Connection* connection) {
  const auto& tls = impl.settings.web.tls;
  if (!tls || tls->client_auth == ClientAuth::kNone || tls->client_auth == ClientAuth::kRequest) {
    return nullptr;
  }
  const MHD_ConnectionInfo* info =
      MHD_get_connection_info(connection, MHD_CONNECTION_INFO_GNUTLS_SESSION);
  if (info == nullptr || info->tls_session == nullptr) return "no TLS session\n";
  auto* session = static_cast<gnutls_session_t>(info->tls_session);
  unsigned count = 0;
  const bool given = gnutls_certificate_get_peers(session, &count) != nullptr && count > 0;
  if (!given) {
    return tls->client_auth == ClientAuth::kVerifyIfGiven ? nullptr
                                                          : "client certificate required\n";
  }
  if (tls->client_auth == ClientAuth::kRequireAny) return nullptr;
  // The files were looked at when this connection's handshake asked for the certificate: not
  // again on every request of a kept-alive connection.
  return impl.credentials->trusts_peer(session) ? nullptr : "client certificate not trusted\n";
}

constexpr const char* kMetricsType = "text/plain; version=0.0.4; charset=utf-8";
constexpr const char* kJsonType = "application/json";

MHD_Result handle(void* cls, MHD_Connection* connection, const char* url, const char* method,
                  const char*, const char*, size_t* upload_data_size, void** request_context) {
  Server::Impl& impl = impl_of(cls);
  static int started;
  const bool first_call = *request_context == nullptr;
  if (first_call) {
    *request_context = &started;
    if (auto* entry = entry_of(connection)) impl.table.request_started(entry);
  }
  if (!method_allowed(method == nullptr ? "" : method)) {
    // Answered at once, without reading any body, and the connection is closed after it.
    MHD_Response* response = text_response("method not allowed\n", "text/plain");
    if (response != nullptr) {
      MHD_add_response_header(response, "Allow", std::string(kAllowedMethods).c_str());
      MHD_add_response_header(response, "Connection", "close");
    }
    return queue(impl, connection, MHD_HTTP_METHOD_NOT_ALLOWED, response);
  }
  // MHD keeps a connection open only for an answer queued once the request is complete, which
  // is the second call. A GET with a body is answered at once instead (and the connection
  // closed), so no body is ever read.
  const char* length = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "Content-Length");
  const bool has_body =
      (length != nullptr && std::strcmp(length, "0") != 0) ||
      MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "Transfer-Encoding") != nullptr;
  if (first_call && !has_body) return MHD_YES;
  if (upload_data_size != nullptr && *upload_data_size != 0) {
    *upload_data_size = 0;  // not reached: a body is answered on the first call
    return MHD_YES;
  }
  if (const char* refusal = client_certificate_refusal(impl, connection)) {
    MHD_Response* response = text_response(refusal, "text/plain");
    if (response != nullptr) MHD_add_response_header(response, "Connection", "close");
    return queue(impl, connection, MHD_HTTP_FORBIDDEN, response);
  }
  const Route where = route(url == nullptr ? "" : url);
  if (where == Route::kNotFound) {
    return queue(impl, connection, MHD_HTTP_NOT_FOUND, text_response("not found\n", "text/plain"));
  }
  const bool guarded = where != Route::kHealthz && where != Route::kReadyz;
  if (guarded && impl.auth.enabled()) {
    const char* header = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "Authorization");
    const auto verdict = impl.auth.check(
        header == nullptr ? std::nullopt : parse_basic_authorization(header), Clock::now());
    if (verdict == BasicAuth::Verdict::kDenied) {
      MHD_Response* response = text_response("unauthorized\n", "text/plain");
      if (response != nullptr) {
        MHD_add_response_header(response, "WWW-Authenticate",
                                "Basic realm=\"lagwatch\", charset=\"UTF-8\"");
      }
      return queue(impl, connection, MHD_HTTP_UNAUTHORIZED, response);
    }
    if (verdict == BasicAuth::Verdict::kThrottled) {
      MHD_Response* response = text_response("too many password checks, retry\n", "text/plain");
      if (response != nullptr) MHD_add_response_header(response, "Retry-After", "1");
      return queue(impl, connection, MHD_HTTP_TOO_MANY_REQUESTS, response);
    }
  }
  switch (where) {
    case Route::kHealthz:
      return queue(impl, connection, MHD_HTTP_OK, text_response("ok\n", "text/plain"));
    case Route::kReadyz: {
      const Content content = impl.source();
      return queue(impl, connection, content.ready ? MHD_HTTP_OK : MHD_HTTP_SERVICE_UNAVAILABLE,
                   pieces_response(std::span<const std::string_view>(&content.readiness, 1),
                                   content.owner, "text/plain; charset=utf-8"));
    }
    case Route::kRoot: {
      const Content content = impl.source();
      return queue(impl, connection, MHD_HTTP_OK,
                   pieces_response(std::span<const std::string_view>(&content.status_html, 1),
                                   content.owner, "text/html; charset=utf-8"));
    }
    case Route::kApiClusters:
    case Route::kApiGroups: {
      const Content content = impl.source();
      const std::string_view* document =
          where == Route::kApiClusters ? &content.api_clusters : &content.api_groups;
      return queue(impl, connection, MHD_HTTP_OK,
                   pieces_response(std::span<const std::string_view>(document, 1), content.owner,
                                   kJsonType));
    }
    case Route::kApiGroup: {
      const Content content = impl.source();
      const auto target = group_target(url);
      std::shared_ptr<const std::string> document;
      if (target && content.group_document) {
        document = content.group_document(target->cluster, target->group);
      }
      if (!document) {
        return queue(impl, connection, MHD_HTTP_NOT_FOUND,
                     text_response("{\"error\":\"no such cluster or group\"}\n", kJsonType));
      }
      const std::string_view bytes = *document;
      return queue(
          impl, connection, MHD_HTTP_OK,
          pieces_response(std::span<const std::string_view>(&bytes, 1), document, kJsonType));
    }
    case Route::kMetrics: {
      const Content content = impl.source();
      bool present = false;
      const std::string accepted = accept_encoding(connection, present);
      const bool gzip =
          negotiate_coding(accepted, present) == Coding::kGzip && !content.metrics_gzip.empty();
      MHD_Response* response =
          gzip ? pieces_response(std::span<const std::string_view>(&content.metrics_gzip, 1),
                                 content.owner, kMetricsType)
               : pieces_response(content.metrics_text, content.owner, kMetricsType);
      if (response != nullptr) {
        if (gzip) MHD_add_response_header(response, "Content-Encoding", "gzip");
        MHD_add_response_header(response, "Vary", "Accept-Encoding");
      }
      return queue(impl, connection, MHD_HTTP_OK, response);
    }
    case Route::kNotFound:
      break;
  }
  return MHD_NO;
}

}  // namespace

void Server::Impl::close_sockets(const std::vector<int>& fds) {
  // The server sees end of input on each at once and closes it; the socket stays open until then,
  // so its number cannot be reused under us.
  for (const int fd : fds) shutdown(fd, SHUT_RDWR);
}

void Server::Impl::run() {
  pthread_setname_np(pthread_self(), "http");
  serving_here = this;
  while (!stopping.load(std::memory_order_relaxed)) {
    const auto now = Clock::now();
    const auto deadline = std::min(table.next_deadline(), now + std::chrono::milliseconds(200));
    const auto wait = std::chrono::ceil<std::chrono::milliseconds>(deadline - now).count();
    MHD_run_wait(daemon, static_cast<int32_t>(std::max<int64_t>(0, wait)));
    table.expire(Clock::now(), to_close);
    close_sockets(to_close);
    to_close.clear();
  }
}

Result<std::unique_ptr<Server>> Server::start(const ServerSettings& settings,
                                              ContentSource source) {
  std::string why;
  const int fd = listen_on(settings.listen_address, why);
  if (fd < 0) return Error{0, "cannot listen on " + settings.listen_address + ": " + why};
  auto impl = std::make_unique<Impl>(settings, std::move(source));
  impl->port = bound_port(fd);
  const auto idle_seconds = static_cast<unsigned>(
      std::max<int64_t>(1, std::chrono::ceil<std::chrono::seconds>(settings.idle_timeout).count()));
  // MHD's own bound is a backstop above ours: ours drops the longest-waiting connection instead
  // of refusing the new one.
  const auto hard_limit = static_cast<unsigned>(std::max(1, settings.max_connections) + 64);
  std::vector<MHD_OptionItem> options = {
      {MHD_OPTION_LISTEN_SOCKET, fd, nullptr},
      {MHD_OPTION_CONNECTION_LIMIT, hard_limit, nullptr},
      {MHD_OPTION_CONNECTION_TIMEOUT, idle_seconds, nullptr},
      {MHD_OPTION_CONNECTION_MEMORY_LIMIT, 16 * 1024, nullptr},
      {MHD_OPTION_NOTIFY_CONNECTION, reinterpret_cast<intptr_t>(on_connection), impl.get()},
      {MHD_OPTION_NOTIFY_COMPLETED, reinterpret_cast<intptr_t>(on_completed), impl.get()},
      {MHD_OPTION_UNESCAPE_CALLBACK, reinterpret_cast<intptr_t>(keep_escapes), nullptr},
  };
  unsigned flags = MHD_USE_EPOLL;
  if (const auto& tls = settings.web.tls) {
    auto credentials = TlsCredentials::load(*tls);
    if (!credentials) {
      ::close(fd);
      return Error{
          0, "cannot serve TLS on " + settings.listen_address + ": " + credentials.error().message};
    }
    impl->credentials = std::move(credentials).value();
    impl->client_ca = impl->credentials->initial_client_ca();
    impl->priorities = gnutls_priorities(*tls);
    flags |= MHD_USE_TLS;
    options.push_back(
        {MHD_OPTION_HTTPS_CERT_CALLBACK2, 0, reinterpret_cast<void*>(&certificate_for_handshake)});
    options.push_back({MHD_OPTION_HTTPS_PRIORITIES, 0, impl->priorities.data()});
    if (!impl->client_ca.empty()) {
      options.push_back({MHD_OPTION_HTTPS_MEM_TRUST, 0, impl->client_ca.data()});
    }
  }
  options.push_back({MHD_OPTION_END, 0, nullptr});
  impl->daemon = MHD_start_daemon(flags, 0, nullptr, nullptr, handle, impl.get(), MHD_OPTION_ARRAY,
                                  options.data(), MHD_OPTION_END);
  if (impl->daemon == nullptr) {
    ::close(fd);
    return Error{0, "cannot serve on " + settings.listen_address +
                        (settings.web.tls ? " (is the certificate and key pair valid PEM?)" : "")};
  }
  Impl* raw = impl.get();
  impl->thread = std::thread([raw] { raw->run(); });
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() {
  impl_->stopping = true;
  if (impl_->thread.joinable()) impl_->thread.join();
  MHD_stop_daemon(impl_->daemon);
}

int Server::port() const { return impl_->port; }

const ContentSource& Server::source() const { return impl_->source; }

}  // namespace lagwatch::http
