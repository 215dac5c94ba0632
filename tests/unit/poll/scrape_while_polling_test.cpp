// /metrics scraped over loopback while the poller publishes, polls back to back: the poller's
// thread, its std::async and the HTTP server's thread together, as the daemon runs them
// (scripts/test.sh runs this under TSan).

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "../http/client.h"
#include "fake_admin.h"
#include "http/server.h"
#include "metrics/exposition.h"
#include "metrics/self_metrics.h"
#include "poll/pollers.h"

namespace lagwatch::poll {
namespace {

constexpr int64_t kHigh = 1000;
const std::string kLagSeries = "lagwatch_group_lag{kafka_cluster=\"c\",group=\"billing\"} ";

// The group's lag in a /metrics body, or nullopt before the first successful poll.
std::optional<int64_t> lag_in(const std::string& body) {
  const size_t at = body.find(kLagSeries);
  if (at == std::string::npos) return std::nullopt;
  return std::stoll(body.substr(at + kLagSeries.size()));
}

TEST(ScrapeWhilePolling, EveryScrapeGetsAWholeBodyAndThePollsInOrder) {
  testing::FakeCluster kafka;
  kafka.set_topic("orders", {{0, kHigh}});
  kafka.set_group("billing", {});
  kafka.commit("billing", "orders", 0, 0);

  metrics::SelfMetrics self;
  metrics::Exposition exposition({}, self);
  auto started =
      http::Server::start(http::ServerSettings{.listen_address = "127.0.0.1:0"}, [&exposition] {
        auto body = exposition.current();
        // Only /metrics is scraped here.
        return http::Content{.owner = body,
                             .metrics_text = body->text_pieces(),
                             .metrics_gzip = body->gzip,
                             .status_html = {},
                             .ready = true,
                             .readiness = {},
                             .api_clusters = {},
                             .api_groups = {},
                             .group_document = {}};
      });
  ASSERT_TRUE(started) << started.error().message;
  const auto server = std::move(started).value();

  Pollers pollers(exposition, self, kafka.factory());
  config::ClusterConfig cluster;
  cluster.name = "c";
  cluster.bootstrap_servers = "fake:9092";
  cluster.read_consumer_offsets = false;
  cluster.exact_max_samples = 0;
  pollers.apply(PollSettings{config::Duration(0), config::Duration(1000), 4}, {cluster});
  kafka.release();

  // Once its lag shows, the group commits while it is scraped: a later scrape never shows an
  // older poll's lag, and the last commit shows up eventually, so polls were published between
  // the scrapes.
  constexpr int64_t kCommits = 200;
  constexpr int kScrapeLimit = 20000;  // bounds the wait for the last commit to show
  int64_t committed = 0;
  std::optional<int64_t> last_lag;
  int scrapes = 0;
  for (; scrapes < kScrapeLimit; ++scrapes) {
    if (last_lag && committed < kCommits) kafka.commit("billing", "orders", 0, ++committed);
    const std::string response =
        http::testing::request(server->port(), "GET /metrics HTTP/1.1\r\n");
    ASSERT_EQ(http::testing::status_of(response), 200) << response;
    const std::string body = http::testing::body_of(response);
    // lagwatch's own metrics come last: a body cut short would lack them.
    ASSERT_NE(body.find("lagwatch_build_info{"), std::string::npos) << body;
    const auto lag = lag_in(body);
    if (!lag) {
      ASSERT_FALSE(last_lag) << "the group's series vanished:\n" << body;
      continue;
    }
    ASSERT_GE(*lag, kHigh - committed);
    if (last_lag) {
      ASSERT_LE(*lag, *last_lag) << "an older poll's lag came back";
    }
    last_lag = lag;
    if (committed == kCommits && *lag == kHigh - kCommits) break;
  }
  EXPECT_EQ(last_lag, kHigh - kCommits) << "after " << scrapes << " scrapes";
  pollers.stop();
}

}  // namespace
}  // namespace lagwatch::poll
