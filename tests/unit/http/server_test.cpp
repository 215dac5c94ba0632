// Runs the real HTTP server on a loopback port while content is swapped concurrently: under
// TSan this checks the publish/serve hand-over, and every response must be one whole body.

#include "http/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace lagwatch::http {
namespace {

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
    return Content{p, p->pieces, p->gzip, p->html, p->ready};
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const Published> current_;
};

std::string request(int port, const std::string& head) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval timeout{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return "<connect failed>";
  }
  const std::string req = head + "Host: localhost\r\nConnection: close\r\n\r\n";
  (void)!write(fd, req.data(), req.size());
  std::string response;
  char buffer[65536];
  for (int i = 0; i < 100000; ++i) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n <= 0) break;
    response.append(buffer, static_cast<size_t>(n));
  }
  close(fd);
  return response;
}

std::string body_of(const std::string& response) {
  const size_t at = response.find("\r\n\r\n");
  return at == std::string::npos ? "" : response.substr(at + 4);
}

std::string header_value(const std::string& response, const std::string& name) {
  const size_t at = response.find("\r\n" + name + ": ");
  if (at == std::string::npos) return "<missing>";
  const size_t from = at + name.size() + 4;
  return response.substr(from, response.find("\r\n", from) - from);
}

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
    std::string error;
    server = Server::start(
        ServerSettings{"127.0.0.1:0", 8}, [this] { return source.get(); }, error);
    ASSERT_NE(server, nullptr) << error;
    port = server->port();
    ASSERT_GT(port, 0);
  }
  Source source;
  std::unique_ptr<Server> server;
  int port = 0;
};

TEST_F(ServerTest, EndpointsAnswer) {
  EXPECT_NE(request(port, "GET /healthz HTTP/1.1\r\n").find("200 OK"), std::string::npos);
  EXPECT_NE(request(port, "GET /readyz HTTP/1.1\r\n").find("503"), std::string::npos);
  source.set(version(1, true));
  EXPECT_NE(request(port, "GET /readyz HTTP/1.1\r\n").find("200 OK"), std::string::npos);
  EXPECT_EQ(body_of(request(port, "GET / HTTP/1.1\r\n")), "<html>1</html>");
  EXPECT_NE(request(port, "GET /nope HTTP/1.1\r\n").find("404"), std::string::npos);
  EXPECT_NE(request(port, "POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n").find("405"),
            std::string::npos);
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

TEST(ServerStart, ReportsBindFailure) {
  std::string error;
  auto first = Server::start(
      ServerSettings{"127.0.0.1:0", 2}, [] { return Content{}; }, error);
  ASSERT_NE(first, nullptr);
  const std::string taken = "127.0.0.1:" + std::to_string(first->port());
  auto second = Server::start(
      ServerSettings{taken, 2}, [] { return Content{}; }, error);
  EXPECT_EQ(second, nullptr);
  EXPECT_NE(error.find(taken), std::string::npos);
}

}  // namespace
}  // namespace lagwatch::http
