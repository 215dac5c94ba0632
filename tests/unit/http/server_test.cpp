// Runs the real HTTP server on a loopback port while content is swapped concurrently: under
// TSan this checks the publish/serve hand-over, and every response must be one whole body.

#include "http/server.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "client.h"

namespace lagwatch::http {
namespace {

using namespace lagwatch::http::testing;

// The plain body is served as pieces viewing into `parts`, as the exposition publishes it.
struct Published {
  Published(std::vector<std::string> parts_in, std::string gzip_in, std::string html_in,
            bool ready_in)
      : parts(std::move(parts_in)),
        gzip(std::move(gzip_in)),
        html(std::move(html_in)),
        ready(ready_in) {
    for (const auto& part : parts) pieces.emplace_back(part);
  }
  Published(const Published&) = delete;
  Published& operator=(const Published&) = delete;

  std::string text() const {
    std::string joined;
    for (const auto& part : parts) joined += part;
    return joined;
  }

  std::vector<std::string> parts;
  std::vector<std::string_view> pieces;
  std::string gzip;
  std::string html;
  bool ready;
  std::string api_clusters = "{\"clusters\":[]}\n";
  std::string api_groups = "{\"groups\":[]}\n";
  std::map<std::string, std::string> documents;  // by "cluster\ngroup"
};

class Source {
 public:
  void set(std::shared_ptr<const Published> p) {
    std::lock_guard lock(mutex_);
    current_ = std::move(p);
  }
  Content get() const {
    std::lock_guard lock(mutex_);
    auto p = current_;
    const Published* published = p.get();
    return Content{p,
                   p->pieces,
                   p->gzip,
                   p->html,
                   p->ready,
                   p->ready ? "ready\ncluster a: up\n" : "not ready: waiting for a\n",
                   p->api_clusters,
                   p->api_groups,
                   [published](std::string_view cluster, std::string_view group) {
                     const auto it = published->documents.find(std::string(cluster) + '\n' +
                                                               std::string(group));
                     return it == published->documents.end()
                                ? nullptr
                                : std::make_shared<const std::string>(it->second);
                   }};
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const Published> current_;
};

// 2000 lines of version n, split into pieces of 500 lines with empty pieces in between.
std::shared_ptr<const Published> version(int n, bool ready) {
  std::vector<std::string> parts(1);
  for (int i = 0; i < 2000; ++i) {
    if (i % 500 == 0) parts.emplace_back();
    parts.back() += "m{v=\"" + std::to_string(n) + "\"} " + std::to_string(i) + "\n";
  }
  parts.emplace_back();
  return std::make_shared<Published>(std::move(parts), "GZ" + std::to_string(n),
                                     "<html>" + std::to_string(n) + "</html>", ready);
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    source.set(version(0, false));
    auto started = Server::start(ServerSettings{.listen_address = "127.0.0.1:0"},
                                 [this] { return source.get(); });
    ASSERT_TRUE(started) << started.error().message;
    server = std::move(started).value();
    port = server->port();
    ASSERT_GT(port, 0);
  }
  Source source;
  std::unique_ptr<Server> server;
  int port = 0;
};

TEST_F(ServerTest, EndpointsAnswer) {
  EXPECT_NE(request(port, "GET /healthz HTTP/1.1\r\n").find("200 OK"), std::string::npos);
  const std::string unready = request(port, "GET /readyz HTTP/1.1\r\n");
  EXPECT_NE(unready.find("503"), std::string::npos);
  EXPECT_EQ(body_of(unready), "not ready: waiting for a\n");
  source.set(version(1, true));
  const std::string ready = request(port, "GET /readyz HTTP/1.1\r\n");
  EXPECT_NE(ready.find("200 OK"), std::string::npos);
  EXPECT_EQ(body_of(ready), "ready\ncluster a: up\n");
  EXPECT_EQ(body_of(request(port, "GET / HTTP/1.1\r\n")), "<html>1</html>");
  EXPECT_NE(request(port, "GET /nope HTTP/1.1\r\n").find("404"), std::string::npos);
  EXPECT_NE(request(port, "POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n").find("405"),
            std::string::npos);
}

TEST_F(ServerTest, ApiServesPreparedJsonAnd404ForUnknownGroups) {
  auto published = std::make_shared<Published>(std::vector<std::string>{}, "", "", true);
  published->api_groups = "{\"groups\":[{\"name\":\"g\"}]}\n";
  published->documents["prod/eu\nmy group"] = "{\"name\":\"my group\"}\n";
  source.set(published);

  const std::string clusters = request(port, "GET /api/v1/clusters HTTP/1.1\r\n");
  EXPECT_EQ(status_of(clusters), 200);
  EXPECT_EQ(header_value(clusters, "Content-Type"), "application/json");
  EXPECT_EQ(body_of(clusters), "{\"clusters\":[]}\n");
  EXPECT_EQ(body_of(request(port, "GET /api/v1/groups HTTP/1.1\r\n")), published->api_groups);

  const std::string found = request(port, "GET /api/v1/groups/prod%2feu/my%20group HTTP/1.1\r\n");
  EXPECT_EQ(status_of(found), 200);
  EXPECT_EQ(header_value(found, "Content-Type"), "application/json");
  EXPECT_EQ(body_of(found), "{\"name\":\"my group\"}\n");
  for (const char* missing :
       {"/api/v1/groups/prod%2Feu/other", "/api/v1/groups/prod/eu/my%20group",
        "/api/v1/groups/prod%2Feu/my+group", "/api/v1/groups/prod%2Feu/my%2", "/api/v1/groups/x"}) {
    const std::string response = request(port, std::string("GET ") + missing + " HTTP/1.1\r\n");
    EXPECT_EQ(status_of(response), 404) << missing;
    EXPECT_EQ(header_value(response, "Content-Type"), "application/json") << missing;
  }
}

TEST_F(ServerTest, GzipOnlyWhenAsked) {
  const std::string plain = request(port, "GET /metrics HTTP/1.1\r\n");
  EXPECT_EQ(plain.find("Content-Encoding"), std::string::npos);
  EXPECT_EQ(body_of(plain), version(0, false)->text());
  const std::string packed =
      request(port, "GET /metrics HTTP/1.1\r\nAccept-Encoding: gzip, br\r\n");
  EXPECT_NE(packed.find("Content-Encoding: gzip"), std::string::npos);
  EXPECT_EQ(body_of(packed), "GZ0");
  const std::string refused =
      request(port, "GET /metrics HTTP/1.1\r\nAccept-Encoding: gzip;q=0\r\n");
  EXPECT_EQ(refused.find("Content-Encoding"), std::string::npos);
}

TEST_F(ServerTest, ServesAMultiPieceBodyWhole) {
  // Short pieces, empty ones, and one larger than socket buffers, so writes go out piecewise.
  std::string large;
  for (int i = 0; i < 40000; ++i) large += "large{i=\"" + std::to_string(i) + "\"} 1\n";
  std::vector<std::string> parts = {
      "", "# HELP m x\n# TYPE m gauge\n", "m{c=\"a\"} 1\n", "", large, "m{c=\"b\"} 2\n", "self 1\n",
      ""};
  const auto published =
      std::make_shared<const Published>(std::move(parts), "GZ", "<html></html>", true);
  const std::string expected = published->text();
  ASSERT_GT(expected.size(), 500000u);
  source.set(published);

  const std::string plain = request(port, "GET /metrics HTTP/1.1\r\n");
  EXPECT_NE(plain.find("200 OK"), std::string::npos);
  EXPECT_EQ(header_value(plain, "Content-Length"), std::to_string(expected.size()));
  EXPECT_EQ(body_of(plain), expected);

  const std::string head = request(port, "HEAD /metrics HTTP/1.1\r\n");
  EXPECT_NE(head.find("200 OK"), std::string::npos);
  EXPECT_EQ(header_value(head, "Content-Length"), std::to_string(expected.size()));
  EXPECT_EQ(body_of(head), "");

  // The compressed body stays one piece.
  const std::string packed = request(port, "GET /metrics HTTP/1.1\r\nAccept-Encoding: gzip\r\n");
  EXPECT_EQ(header_value(packed, "Content-Length"), "2");
  EXPECT_EQ(body_of(packed), "GZ");
}

TEST_F(ServerTest, EmptyBodyHasZeroLength) {
  source.set(std::make_shared<const Published>(std::vector<std::string>{}, "", "", false));
  const std::string plain = request(port, "GET /metrics HTTP/1.1\r\n");
  EXPECT_NE(plain.find("200 OK"), std::string::npos);
  EXPECT_EQ(header_value(plain, "Content-Length"), "0");
  EXPECT_EQ(body_of(plain), "");
}

TEST_F(ServerTest, ConcurrentScrapesDuringPublishingSeeWholeBodies) {
  std::atomic<bool> stop{false};
  std::thread publisher([&] {
    for (int n = 1; n < 200 && !stop; ++n) source.set(version(n, true));
  });
  std::atomic<int> whole{0};
  std::atomic<int> broken{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 4; ++c) {
    clients.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        const std::string body = body_of(request(port, "GET /metrics HTTP/1.1\r\n"));
        // A whole body has 2000 lines of one version.
        const std::string first = body.substr(0, body.find('}'));
        const bool ok = std::count(body.begin(), body.end(), '\n') == 2000 &&
                        body.find(first + "} 1999\n") != std::string::npos;
        (ok ? whole : broken)++;
      }
    });
  }
  for (auto& t : clients) t.join();
  stop = true;
  publisher.join();
  EXPECT_EQ(broken.load(), 0);
  EXPECT_EQ(whole.load(), 100);
}

TEST_F(ServerTest, OnlyTheDocumentedPathsAnswer) {
  source.set(version(1, true));
  for (const char* path : {"/metrics", "/healthz", "/readyz", "/", "/metrics?x=1"}) {
    EXPECT_EQ(status_of(request(port, std::string("GET ") + path + " HTTP/1.1\r\n")), 200) << path;
  }
  for (const char* path : {"/metricsfoo", "/metrics/", "/metrics%00.html", "/metrics%2f",
                           "/healthz/", "/readyz.json", "//metrics", "/index.html", "/Metrics"}) {
    const std::string response = request(port, std::string("GET ") + path + " HTTP/1.1\r\n");
    EXPECT_EQ(status_of(response), 404) << path;
    EXPECT_EQ(response.find("m{v="), std::string::npos) << path;
  }
}

TEST_F(ServerTest, MethodNotAllowedNamesAllowAndClosesWithoutWaitingForTheBody) {
  for (const char* method : {"POST", "PUT", "DELETE", "OPTIONS", "PATCH", "get"}) {
    const int fd = connect_to(port);
    ASSERT_GE(fd, 0);
    // A body is announced and never sent, and the client does not ask to close: the server must
    // answer and close on its own instead of waiting for the body.
    ASSERT_TRUE(send_all(
        fd,
        std::string(method) + " /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n"));
    const Received received = read_until_closed(fd);
    close(fd);
    EXPECT_EQ(status_of(received.bytes), 405) << method;
    EXPECT_EQ(header_value(received.bytes, "Allow"), "GET, HEAD") << method;
    EXPECT_TRUE(received.closed) << method;
  }
}

TEST_F(ServerTest, WebSocketUpgradeGetsAStatusLine) {
  for (const char* path : {"/ws", "/metrics", "/"}) {
    const std::string response =
        request(port, std::string("GET ") + path +
                          " HTTP/1.1\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n");
    EXPECT_NE(status_of(response), 0) << path << ": " << response.substr(0, 200);
    EXPECT_NE(status_of(response), 101) << path;
  }
  // The same with the Connection: Upgrade a browser sends.
  const int fd = connect_to(port);
  ASSERT_TRUE(
      send_all(fd,
               "GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
               "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"));
  EXPECT_EQ(status_of(ResponseReader(fd).next()), 404);
  close(fd);
}

TEST_F(ServerTest, AcceptEncodingIsParsedNotSearched) {
  auto coded = [&](const std::string& fields) {
    const std::string response = request(port, "GET /metrics HTTP/1.1\r\n" + fields);
    return header_value(response, "Content-Encoding") == "gzip";
  };
  EXPECT_TRUE(coded("Accept-Encoding: GZIP\r\n"));
  EXPECT_TRUE(coded("Accept-Encoding: br;q=1, gzip;q=0.5\r\n"));
  EXPECT_TRUE(coded("Accept-Encoding: *\r\n"));
  EXPECT_FALSE(coded("Accept-Encoding: notgzip\r\n"));
  EXPECT_FALSE(coded("Accept-Encoding: gzip;q=0\r\n"));
  EXPECT_FALSE(coded("Accept-Encoding: gzip; q=0.000\r\n"));
  EXPECT_FALSE(coded("Accept-Encoding: identity\r\n"));
  EXPECT_FALSE(coded(""));
  // Two fields are one list.
  EXPECT_TRUE(coded("Accept-Encoding: br\r\nAccept-Encoding: gzip\r\n"));
  EXPECT_FALSE(coded("Accept-Encoding: gzip\r\nAccept-Encoding: gzip;q=0\r\n"));
}

// The ~40 ms of Nagle's algorithm meeting a delayed ACK shows only from the second request on a
// kept-alive connection (as Prometheus scrapes), never on a new one. 40 ms against well under
// 1 ms: the best of several tries tells them apart on any machine.
TEST_F(ServerTest, KeptAliveRequestsAreNotDelayed) {
  source.set(version(1, true));
  const int fd = connect_to(port);
  ASSERT_GE(fd, 0);
  ResponseReader reader(fd);
  const std::string get = "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n";
  ASSERT_TRUE(send_all(fd, get));
  ASSERT_EQ(status_of(reader.next()), 200);
  auto best = std::chrono::steady_clock::duration::max();
  for (int i = 0; i < 8; ++i) {
    const auto started = std::chrono::steady_clock::now();
    ASSERT_TRUE(send_all(fd, get));
    ASSERT_EQ(body_of(reader.next()), version(1, true)->text());
    best = std::min(best, std::chrono::steady_clock::now() - started);
  }
  close(fd);
  EXPECT_LT(best, std::chrono::milliseconds(20));
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  source.set(version(1, true));
  const int fd = connect_to(port);
  ResponseReader reader(fd);
  ASSERT_TRUE(
      send_all(fd,
               "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /readyz HTTP/1.1\r\nHost: x\r\n\r\n"
               "HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(body_of(reader.next()), "ok\n");
  EXPECT_EQ(body_of(reader.next()), "ready\ncluster a: up\n");
  const std::string head = reader.next(true);
  EXPECT_EQ(header_value(head, "Content-Length"), std::to_string(version(1, true)->text().size()));
  EXPECT_EQ(body_of(reader.next()), "<html>1</html>");
  close(fd);
}

TEST_F(ServerTest, OversizedHeadersGetAStatusAndServingGoesOn) {
  const std::string huge(256 * 1024, 'a');
  const int fd = connect_to(port);
  send_all(fd, "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + huge + "\r\n\r\n");
  const Received received = read_until_closed(fd);
  close(fd);
  const int status = status_of(received.bytes);
  EXPECT_TRUE(status == 431 || status == 413 || status == 400) << received.bytes.substr(0, 200);
  EXPECT_TRUE(received.closed);
  EXPECT_EQ(status_of(request(port, "GET /healthz HTTP/1.1\r\n")), 200);
}

// Bodies of up to a few hundred pieces are sent without a copy, longer ones through a buffer:
// both must arrive whole, around the switch too.
TEST_F(ServerTest, ServesBodiesOfManyPiecesWhole) {
  for (const int count : {255, 256, 257, 600, 5000}) {
    std::vector<std::string> parts;
    for (int i = 0; i < count; ++i) parts.push_back("p{i=\"" + std::to_string(i) + "\"} 1\n");
    const auto published =
        std::make_shared<const Published>(std::move(parts), "GZ", "<html></html>", true);
    source.set(published);
    EXPECT_EQ(body_of(request(port, "GET /metrics HTTP/1.1\r\n")), published->text()) << count;
  }
}

// Held connections that send nothing or half a request cost no worker: a scrape beside many of
// them is answered (each read waits at most 5 s, the idle connections far longer).
TEST_F(ServerTest, IdleAndHalfSentConnectionsDoNotBlockAScrape) {
  std::vector<int> held;
  for (int i = 0; i < 200; ++i) {
    const int fd = connect_to(port);
    ASSERT_GE(fd, 0);
    if (i % 2 == 1) send_all(fd, "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: ");
    held.push_back(fd);
  }
  source.set(version(2, true));
  EXPECT_EQ(body_of(request(port, "GET /metrics HTTP/1.1\r\n")), version(2, true)->text());
  for (const int fd : held) close(fd);
}

class LimitsTest : public ::testing::Test {
 protected:
  void start(const ServerSettings& settings) {
    auto started = Server::start(settings, [] {
      static const std::string_view piece = "up 1\n";
      return Content{
          nullptr, std::span<const std::string_view>(&piece, 1), "", "", true, "", "", "", {}};
    });
    ASSERT_TRUE(started) << started.error().message;
    server = std::move(started).value();
    port = server->port();
  }
  // Whether the server has closed `fd` (waits at most 5 s for it).
  static bool closed_by_server(int fd) { return read_until_closed(fd).closed; }
  // Whether `fd` is still open: nothing to read yet, no end of stream.
  static bool still_open(int fd) {
    char byte;
    const ssize_t n = recv(fd, &byte, 1, MSG_DONTWAIT);
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }
  std::unique_ptr<Server> server;
  int port = 0;
};

TEST_F(LimitsTest, AHalfSentRequestHeadIsClosedAfterTheHeaderTimeout) {
  start(ServerSettings{.listen_address = "127.0.0.1:0",
                       .header_timeout = std::chrono::milliseconds(300)});
  const int silent = connect_to(port);
  const int half = connect_to(port);
  send_all(half, "GET /metrics HTTP/1.1\r\nHost: x\r\n");
  EXPECT_TRUE(closed_by_server(silent));
  EXPECT_TRUE(closed_by_server(half));
  close(silent);
  close(half);
}

TEST_F(LimitsTest, AKeptAliveConnectionIsClosedAfterTheIdleTimeout) {
  start(ServerSettings{.listen_address = "127.0.0.1:0",
                       .header_timeout = std::chrono::seconds(60),
                       .idle_timeout = std::chrono::milliseconds(300)});
  const int fd = connect_to(port);
  send_all(fd, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(body_of(ResponseReader(fd).next()), "up 1\n");
  EXPECT_TRUE(closed_by_server(fd));
  close(fd);
}

TEST_F(LimitsTest, AtTheBoundTheLongestWaitingConnectionMakesRoom) {
  start(ServerSettings{.listen_address = "127.0.0.1:0", .max_connections = 4});
  // The server must have accepted each before the next comes, so they are ordered: a request on
  // a kept-alive connection proves it.
  std::vector<int> held;
  for (int i = 0; i < 4; ++i) {
    held.push_back(connect_to(port));
    if (i == 0) {
      send_all(held[0], "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
      ASSERT_EQ(body_of(ResponseReader(held[0]).next()), "up 1\n");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  // held[0] had its answer before held[1] connected, so it has waited longest.
  EXPECT_EQ(body_of(request(port, "GET /metrics HTTP/1.1\r\n")), "up 1\n");
  EXPECT_TRUE(closed_by_server(held[0]));
  for (int i = 1; i < 4; ++i) EXPECT_TRUE(still_open(held[i])) << i;
  // At the bound again, the next new connection drops the next longest-waiting one.
  held.push_back(connect_to(port));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(body_of(request(port, "GET /metrics HTTP/1.1\r\n")), "up 1\n");
  EXPECT_TRUE(closed_by_server(held[1]));
  for (int i = 2; i < 5; ++i) EXPECT_TRUE(still_open(held[i])) << i;
  for (const int fd : held) close(fd);
}

TEST(ServerStart, ReportsBindFailure) {
  auto first =
      Server::start(ServerSettings{.listen_address = "127.0.0.1:0"}, [] { return Content{}; });
  ASSERT_TRUE(first);
  const std::string taken = "127.0.0.1:" + std::to_string((*first)->port());
  auto second = Server::start(ServerSettings{.listen_address = taken}, [] { return Content{}; });
  ASSERT_FALSE(second);
  EXPECT_NE(second.error().message.find(taken), std::string::npos);
}

}  // namespace
}  // namespace lagwatch::http
