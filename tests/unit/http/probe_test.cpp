// `lagwatch --probe URL` against the real HTTP server on a loopback port: 2xx passes, anything
// else (503 from /readyz, a closed port, a silent peer, a non-loopback host) fails.

#include "http/probe.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>

#include "http/server.h"

namespace lagwatch::http {
namespace {

using std::chrono::milliseconds;

constexpr milliseconds kTimeout{2000};

std::unique_ptr<Server> start_server(bool ready) {
  auto started = Server::start(ServerSettings{"127.0.0.1:0", 2}, [ready] {
    return Content{nullptr, {}, {}, {}, ready, ready ? "ready\n" : "not ready\n", {}, {}, {}};
  });
  EXPECT_TRUE(started) << started.error().message;
  return started ? std::move(started).value() : nullptr;
}

std::string url(int port, const std::string& path) {
  return "http://127.0.0.1:" + std::to_string(port) + path;
}

// A loopback port with nothing listening: bound, then closed again.
int closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  socklen_t length = sizeof(address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

TEST(ProbeUrl, ParsesHostPortAndPath) {
  auto target = parse_probe_url("http://127.0.0.1:8793/healthz");
  ASSERT_TRUE(target) << target.error().message;
  EXPECT_EQ(target->host, "127.0.0.1");
  EXPECT_EQ(target->port, "8793");
  EXPECT_EQ(target->path, "/healthz");

  target = parse_probe_url("http://localhost");
  ASSERT_TRUE(target) << target.error().message;
  EXPECT_EQ(target->port, "80");
  EXPECT_EQ(target->path, "/");

  target = parse_probe_url("http://[::1]:9000/readyz?x=1");
  ASSERT_TRUE(target) << target.error().message;
  EXPECT_EQ(target->host, "::1");
  EXPECT_EQ(target->port, "9000");
  EXPECT_EQ(target->path, "/readyz?x=1");
}

TEST(ProbeUrl, RejectsWhatItCannotProbe) {
  for (const char* bad : {"https://127.0.0.1:8793/healthz", "127.0.0.1:8793", "http://:8793/",
                          "http://h:0/", "http://h:70000/", "http://h:80x/",
                          "http://u:p@127.0.0.1/", "http://[::1/", "http://127.0.0.1:8793/a b"}) {
    const auto target = parse_probe_url(bad);
    ASSERT_FALSE(target) << bad;
    EXPECT_FALSE(target.error().message.empty()) << bad;
  }
}

TEST(Probe, PassesOn2xxFromTheRealServer) {
  auto server = start_server(true);
  ASSERT_NE(server, nullptr);
  for (const char* path : {"/healthz", "/readyz", "/metrics"}) {
    const ProbeResult result = probe(url(server->port(), path), kTimeout);
    EXPECT_TRUE(result.ok) << path << ": " << result.error;
    EXPECT_EQ(result.status, 200) << path;
  }
}

TEST(Probe, FailsOnNon2xx) {
  auto server = start_server(false);
  ASSERT_NE(server, nullptr);
  const ProbeResult ready = probe(url(server->port(), "/readyz"), kTimeout);
  EXPECT_FALSE(ready.ok);
  EXPECT_EQ(ready.status, 503);
  const ProbeResult missing = probe(url(server->port(), "/no-such-page"), kTimeout);
  EXPECT_FALSE(missing.ok);
  EXPECT_EQ(missing.status, 404);
  // Liveness does not depend on readiness.
  EXPECT_TRUE(probe(url(server->port(), "/healthz"), kTimeout).ok);
}

TEST(Probe, FailsWhenNothingListens) {
  const ProbeResult result = probe(url(closed_port(), "/healthz"), kTimeout);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.status, 0);
  EXPECT_NE(result.error.find("connect"), std::string::npos) << result.error;
}

TEST(Probe, GivesUpOnAPeerThatNeverAnswers) {
  // Listening but never accepting: the connection completes in the backlog, no byte comes back.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(::listen(fd, 4), 0);
  socklen_t length = sizeof(address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  const ProbeResult result = probe(url(ntohs(address.sin_port), "/healthz"), milliseconds(200));
  ::close(fd);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.status, 0);
  EXPECT_NE(result.error.find("in time"), std::string::npos) << result.error;
}

TEST(Probe, RefusesNonLoopbackHostsWithoutConnecting) {
  // A documentation-range address: refused before any packet is sent.
  const ProbeResult result = probe("http://192.0.2.1:8793/healthz", kTimeout);
  EXPECT_FALSE(result.ok);
  EXPECT_NE(result.error.find("not a loopback address"), std::string::npos) << result.error;
}

TEST(Probe, ExitCodeOfTheCommand) {
  auto server = start_server(false);
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(probe_main(url(server->port(), "/healthz")), 0);
  EXPECT_EQ(probe_main(url(server->port(), "/readyz")), 1);
  EXPECT_EQ(probe_main("ftp://127.0.0.1/"), 1);
}

}  // namespace
}  // namespace lagwatch::http
