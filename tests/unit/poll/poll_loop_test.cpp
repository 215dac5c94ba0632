// The poll loop as it runs in production (Pollers' thread per cluster, the describe stage on its
// std::async beside the offset fetches) against a scripted cluster: what a failed stage, a
// partial failure, an outage and the recovery after it leave on /metrics and /readyz.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "fake_admin.h"
#include "metrics/exposition.h"
#include "metrics/self_metrics.h"
#include "poll/pollers.h"

namespace lagwatch::poll {
namespace {

using testing::Call;
using testing::FakeCluster;
using testing::kTimedOut;
using testing::kTransportFailure;

// The value of the sample `series` (name and labels exactly as rendered), or nullopt when the
// exposition has no such series.
std::optional<std::string> sample(const std::string& text, const std::string& series) {
  const std::string prefix = series + " ";
  for (size_t at = 0; at < text.size();) {
    const size_t end = std::min(text.find('\n', at), text.size());
    if (text.compare(at, prefix.size(), prefix) == 0) {
      return text.substr(at + prefix.size(), end - at - prefix.size());
    }
    at = end + 1;
  }
  return std::nullopt;
}

std::string group_lag(const std::string& group) {
  return "lagwatch_group_lag{kafka_cluster=\"c\",group=\"" + group + "\"}";
}

std::string stage_counter(const std::string& counter, const std::string& stage) {
  return "lagwatch_poll_stage_" + counter + "_total{kafka_cluster=\"c\",stage=\"" + stage + "\"}";
}

const std::string kUp = "lagwatch_up{kafka_cluster=\"c\"}";

class PollLoop : public ::testing::Test {
 protected:
  // Topic "orders" (2 partitions, high watermarks 100 and 50); group "billing" 30 and 40
  // behind, group "audit" 5 behind on partition 0.
  PollLoop() {
    kafka_.set_topic("orders", {{0, 100}, {0, 50}});
    kafka_.set_group("billing", {});
    kafka_.commit("billing", "orders", 0, 70);
    kafka_.commit("billing", "orders", 1, 10);
    kafka_.set_group("audit", {});
    kafka_.commit("audit", "orders", 0, 95);
  }

  ~PollLoop() override {
    kafka_.release();
    pollers_.stop();
  }

  void start() {
    // Interval 0: the fake's gate, not a timer, decides when the next poll runs.
    pollers_.apply(PollSettings{config::Duration(0), config::Duration(1000), 4}, {cluster_});
  }

  // Runs one poll to its end and returns the /metrics text published after it.
  std::string poll() {
    EXPECT_TRUE(kafka_.step()) << "the poll did not end";
    return text();
  }

  std::string text() const { return exposition_.current()->joined_text(); }
  bool ready() const { return exposition_.current()->ready; }
  std::string readiness() const { return exposition_.current()->readiness; }

  config::ClusterConfig cluster_ = [] {
    config::ClusterConfig cluster;
    cluster.name = "c";
    cluster.bootstrap_servers = "fake:9092";
    cluster.read_consumer_offsets = false;  // the reader's own tests cover it
    cluster.exact_max_samples = 0;          // no record sampler: it would need a broker
    return cluster;
  }();
  FakeCluster kafka_;
  metrics::SelfMetrics self_;
  // Grace 0: a cluster without a successful poll holds readiness back for good.
  metrics::Exposition exposition_{{}, self_, std::chrono::milliseconds(0)};
  Pollers pollers_{exposition_, self_, kafka_.factory()};
};

TEST_F(PollLoop, APollExportsLagAndUp) {
  start();
  const std::string metrics = poll();
  EXPECT_EQ(sample(metrics, group_lag("billing")), "70") << metrics;
  EXPECT_EQ(sample(metrics, group_lag("audit")), "5");
  EXPECT_EQ(sample(metrics, "lagwatch_group_members{kafka_cluster=\"c\",group=\"billing\"}"), "1");
  EXPECT_EQ(sample(metrics, kUp), "1");
  EXPECT_TRUE(ready()) << readiness();
  EXPECT_EQ(kafka_.handles_made(), 1);
  EXPECT_EQ(kafka_.calls(Call::kDescribeGroups), 1);
  EXPECT_EQ(kafka_.calls(Call::kListGroupOffsets), 1);
}

TEST_F(PollLoop, WithoutAHandleNothingIsSentAndReadinessWaits) {
  kafka_.fail_handles(Error{-186, "bootstrap.servers: bad value"});
  start();
  const std::string metrics = poll();
  EXPECT_EQ(sample(metrics, kUp), "0") << metrics;
  EXPECT_FALSE(sample(metrics, group_lag("billing")));
  EXPECT_FALSE(ready());
  EXPECT_NE(readiness().find("no successful poll yet"), std::string::npos) << readiness();
  EXPECT_NE(readiness().find("bootstrap.servers: bad value"), std::string::npos) << readiness();
  EXPECT_EQ(kafka_.calls(Call::kMetadata), 0);

  kafka_.heal();
  const std::string recovered = poll();
  EXPECT_EQ(sample(recovered, kUp), "1") << recovered;
  EXPECT_EQ(sample(recovered, group_lag("billing")), "70");
  EXPECT_TRUE(ready()) << readiness();
  EXPECT_EQ(kafka_.handles_made(), 1);
}

TEST_F(PollLoop, AnOutageKeepsServingTheLastDataWithUpZero) {
  start();
  poll();
  // Every request fails now: the poll stops at its first one.
  for (Call call : {Call::kMetadata, Call::kListGroups, Call::kDescribeTopics,
                    Call::kDescribeGroups, Call::kListGroupOffsets, Call::kWatermarks}) {
    kafka_.fail(call, kTransportFailure);
  }
  const std::string down = poll();
  EXPECT_EQ(sample(down, kUp), "0") << down;
  EXPECT_EQ(sample(down, group_lag("billing")), "70");
  EXPECT_EQ(sample(down, stage_counter("failures", "metadata")), "1");
  EXPECT_EQ(kafka_.calls(Call::kListGroups), 1);  // the first poll's only
  // A cluster that had a successful poll keeps the pod ready, and /readyz says why it is down.
  EXPECT_TRUE(ready());
  EXPECT_NE(readiness().find("down, serving the data of its last successful poll"),
            std::string::npos)
      << readiness();
  EXPECT_NE(readiness().find("metadata: Local: Broker transport failure"), std::string::npos)
      << readiness();
  const std::string still_down = poll();
  EXPECT_EQ(sample(still_down, stage_counter("failures", "metadata")), "2");
  EXPECT_EQ(kafka_.handles_made(), 1);  // a refused connection keeps its handle

  kafka_.heal();
  kafka_.set_high("orders", 0, 130);
  const std::string up = poll();
  EXPECT_EQ(sample(up, kUp), "1") << up;
  EXPECT_EQ(sample(up, group_lag("billing")), "100");
  EXPECT_EQ(sample(up, stage_counter("attempts", "metadata")), "4");
  EXPECT_EQ(sample(up, stage_counter("failures", "metadata")), "2");
  EXPECT_NE(readiness().find("cluster c: up"), std::string::npos) << readiness();
  EXPECT_EQ(readiness().find("last error"), std::string::npos) << readiness();
}

TEST_F(PollLoop, AFailedGroupListingFailsThePollAndKeepsTheData) {
  start();
  poll();
  kafka_.fail(Call::kListGroups, kTimedOut);
  kafka_.set_high("orders", 0, 200);
  const std::string metrics = poll();
  EXPECT_EQ(sample(metrics, kUp), "0") << metrics;
  EXPECT_EQ(sample(metrics, group_lag("billing")), "70");
  EXPECT_EQ(sample(metrics, stage_counter("failures", "list_groups")), "1");
  EXPECT_NE(readiness().find("list groups: Local: Timed out"), std::string::npos) << readiness();
  EXPECT_EQ(kafka_.calls(Call::kDescribeGroups), 1);
}

TEST_F(PollLoop, OneGroupsFailedDescribeLeavesTheOthersAndItsOwnLag) {
  kafka_.fail_group(Call::kDescribeGroups, "audit", kTimedOut);
  start();
  const std::string metrics = poll();
  EXPECT_EQ(sample(metrics, kUp), "1") << metrics;
  EXPECT_EQ(sample(metrics, group_lag("billing")), "70");
  EXPECT_EQ(sample(metrics, group_lag("audit")), "5");
  EXPECT_TRUE(sample(metrics, "lagwatch_group_members{kafka_cluster=\"c\",group=\"billing\"}"));
  // Never described: no member count rather than a made-up one.
  EXPECT_FALSE(sample(metrics, "lagwatch_group_members{kafka_cluster=\"c\",group=\"audit\"}"));
  EXPECT_EQ(sample(metrics, stage_counter("attempts", "describe_groups")), "2");
  EXPECT_EQ(sample(metrics, stage_counter("failures", "describe_groups")), "1");

  kafka_.heal();
  kafka_.set_group("audit", {kafka::GroupState::kStable, 3, {{{"orders", 0}, 95}}});
  const std::string recovered = poll();
  EXPECT_EQ(sample(recovered, "lagwatch_group_members{kafka_cluster=\"c\",group=\"audit\"}"), "3");
  EXPECT_EQ(sample(recovered, stage_counter("failures", "describe_groups")), "1");
}

TEST_F(PollLoop, AFailedDescribeKeepsTheLastDescription) {
  kafka_.set_group("audit", {kafka::GroupState::kStable, 2, {{{"orders", 0}, 95}}});
  start();
  poll();
  kafka_.fail(Call::kDescribeGroups, kTimedOut);
  kafka_.set_group("audit", {kafka::GroupState::kStable, 5, {{{"orders", 0}, 99}}});
  const std::string metrics = poll();
  EXPECT_EQ(sample(metrics, kUp), "1") << metrics;
  EXPECT_EQ(sample(metrics, "lagwatch_group_members{kafka_cluster=\"c\",group=\"audit\"}"), "2");
  EXPECT_EQ(sample(metrics, group_lag("audit")), "1");  // offsets are fresh
  EXPECT_EQ(sample(metrics, stage_counter("failures", "describe_groups")), "2");
}

TEST_F(PollLoop, AFailedOffsetFetchKeepsTheGroupsLastCommitAgainstFreshWatermarks) {
  start();
  poll();
  kafka_.fail_group(Call::kListGroupOffsets, "billing", kTimedOut);
  kafka_.commit("billing", "orders", 0, 100);  // not seen: the fetch fails
  kafka_.set_high("orders", 0, 110);
  const std::string metrics = poll();
  EXPECT_EQ(sample(metrics, kUp), "1") << metrics;
  EXPECT_EQ(sample(metrics, group_lag("billing")), "80");  // (110 - 70) + (50 - 10)
  EXPECT_EQ(sample(metrics, group_lag("audit")), "15");
  EXPECT_EQ(sample(metrics, stage_counter("failures", "group_offsets")), "1");

  kafka_.heal();
  EXPECT_EQ(sample(poll(), group_lag("billing")), "50");
}

TEST_F(PollLoop, AGroupWhoseFirstOffsetFetchFailsHasNoLagYet) {
  kafka_.fail_group(Call::kListGroupOffsets, "audit", kTimedOut);
  start();
  const std::string metrics = poll();
  EXPECT_EQ(sample(metrics, group_lag("billing")), "70") << metrics;
  EXPECT_FALSE(sample(metrics, group_lag("audit")));
  kafka_.heal();
  EXPECT_EQ(sample(poll(), group_lag("audit")), "5");
}

TEST_F(PollLoop, FailedWatermarksKeepTheLastOnesAndThePollSucceeds) {
  start();
  poll();
  kafka_.fail(Call::kWatermarks, kTransportFailure);
  kafka_.commit("billing", "orders", 0, 90);
  const std::string metrics = poll();
  EXPECT_EQ(sample(metrics, kUp), "1") << metrics;
  EXPECT_EQ(sample(metrics, group_lag("billing")), "50");  // (100 - 90) + (50 - 10)
  EXPECT_EQ(sample(metrics, stage_counter("failures", "watermarks")), "1");
  EXPECT_EQ(kafka_.handles_made(), 1);  // only a timeout renews the handle
}

// librdkafka can keep timing out every ListOffsets of a handle after a topic was re-created:
// the poller then makes a new admin handle for its next poll.
TEST_F(PollLoop, AWatermarkTimeoutRenewsTheAdminHandle) {
  start();
  poll();
  kafka_.fail(Call::kWatermarks, kTimedOut);
  const std::string metrics = poll();
  EXPECT_EQ(sample(metrics, kUp), "1") << metrics;
  EXPECT_EQ(kafka_.handles_made(), 1);
  EXPECT_EQ(kafka_.handles_alive(), 0);  // dropped at the end of that poll

  kafka_.heal();
  kafka_.set_high("orders", 1, 60);
  const std::string renewed = poll();
  EXPECT_EQ(kafka_.handles_made(), 2);
  EXPECT_EQ(kafka_.handles_alive(), 1);
  EXPECT_EQ(sample(renewed, group_lag("billing")), "80") << renewed;
  EXPECT_EQ(sample(renewed, stage_counter("attempts", "watermarks")), "3");
  EXPECT_EQ(sample(renewed, stage_counter("failures", "watermarks")), "1");
}

// A topic a group commits to but the metadata does not list is described after the watermarks:
// the handle a watermark timeout renews must still be there for that request.
TEST_F(PollLoop, AWatermarkTimeoutStillDescribesUnlistedTopics) {
  kafka_.commit("audit", "retired", 0, 5);
  start();
  poll();
  const int described = kafka_.calls(Call::kDescribeTopics);
  kafka_.fail(Call::kWatermarks, kTimedOut);
  const std::string metrics = poll();
  EXPECT_EQ(sample(metrics, kUp), "1") << metrics;
  EXPECT_EQ(kafka_.calls(Call::kDescribeTopics), described + 2);  // topic IDs, then "retired"
  kafka_.heal();
  EXPECT_EQ(sample(poll(), kUp), "1");
  EXPECT_EQ(kafka_.handles_made(), 2);
}

// A refused connection re-reads the cluster's secret files: a rotated password gets a new handle
// made with it, an unchanged one keeps the handle (see AnOutageKeepsServingTheLastDataWithUpZero).
TEST_F(PollLoop, AFailedConnectionWithARotatedSecretFileMakesANewHandle) {
  const auto password = std::filesystem::path(::testing::TempDir()) / "poll_loop_password";
  std::ofstream(password, std::ios::trunc) << "old\n";
  cluster_.librdkafka["sasl.password"] = {.source = config::PropertyValue::Source::kFile,
                                          .reference = password.string(),
                                          .value = "old",
                                          .secret = true};
  start();
  poll();
  EXPECT_EQ(kafka_.property_of_last_handle("sasl.password"), "old");

  std::ofstream(password, std::ios::trunc) << "new\n";
  kafka_.fail(Call::kMetadata, Error{-169, "Local: Authentication failure"});
  EXPECT_EQ(sample(poll(), kUp), "0");
  EXPECT_EQ(kafka_.handles_alive(), 0);

  kafka_.heal();
  const std::string metrics = poll();
  EXPECT_EQ(sample(metrics, kUp), "1") << metrics;
  EXPECT_EQ(kafka_.handles_made(), 2);
  EXPECT_EQ(kafka_.property_of_last_handle("sasl.password"), "new");
  std::filesystem::remove(password);
}

TEST_F(PollLoop, AGroupNoLongerListedVanishes) {
  start();
  EXPECT_TRUE(sample(poll(), group_lag("audit")));
  kafka_.remove_group("audit");
  const std::string metrics = poll();
  EXPECT_FALSE(sample(metrics, group_lag("audit"))) << metrics;
  EXPECT_EQ(sample(metrics, group_lag("billing")), "70");
}

// Log starts: every partition's once per refresh, remembered in between.
class PollLoopLogStarts : public PollLoop {
 protected:
  void start_with_refresh(config::Duration refresh) {
    PollSettings settings{config::Duration(0), config::Duration(1000), 4};
    settings.earliest_offsets_refresh = refresh;
    pollers_.apply(settings, {cluster_});
  }
  static std::string group_loss(const std::string& group) {
    return "lagwatch_group_data_loss_messages{kafka_cluster=\"c\",group=\"" + group + "\"}";
  }
};

TEST_F(PollLoopLogStarts, AreReadOncePerRefreshAndRememberedBetweenPolls) {
  kafka_.set_low("orders", 0, 80);  // billing, at 70, lost 10
  start_with_refresh(std::chrono::hours(1));
  std::string metrics = poll();
  EXPECT_EQ(kafka_.earliest_offsets_read(), 2);
  EXPECT_EQ(sample(metrics, group_loss("billing")), "10") << metrics;
  kafka_.set_high("orders", 0, 120);
  metrics = poll();
  EXPECT_EQ(kafka_.calls(Call::kWatermarks), 2);
  EXPECT_EQ(kafka_.earliest_offsets_read(), 2) << "no log start read within the refresh";
  EXPECT_EQ(sample(metrics, group_loss("billing")), "10") << "the remembered log start counts";
  EXPECT_EQ(sample(metrics, group_lag("billing")), "90") << "the log end is read every poll";
}

TEST_F(PollLoopLogStarts, RefreshZeroReadsThemEveryPoll) {
  start_with_refresh(config::Duration(0));
  std::string metrics = poll();
  EXPECT_EQ(sample(metrics, group_loss("billing")), "0") << metrics;
  kafka_.set_low("orders", 1, 25);  // billing, at 10, lost 15
  metrics = poll();
  EXPECT_EQ(kafka_.earliest_offsets_read(), 4);
  EXPECT_EQ(sample(metrics, group_loss("billing")), "15") << metrics;
}

TEST_F(PollLoopLogStarts, ANewPartitionsLogStartIsReadAtOnce) {
  start_with_refresh(std::chrono::hours(1));
  poll();
  kafka_.set_topic("payments", {{40, 60}});
  kafka_.commit("audit", "payments", 0, 30);  // lost 10
  const std::string metrics = poll();
  EXPECT_EQ(kafka_.earliest_offsets_read(), 3) << "only the new partition's";
  EXPECT_EQ(sample(metrics, group_loss("audit")), "10") << metrics;
}

// A log end below the remembered start: the topic was deleted and re-created (no topic IDs
// here), and its log start is read again in the same poll.
TEST_F(PollLoopLogStarts, ALogEndBelowTheRememberedStartIsReadAgainAtOnce) {
  kafka_.set_low("orders", 0, 90);
  kafka_.set_high("orders", 0, 200);
  kafka_.commit("audit", "orders", 0, 95);
  start_with_refresh(std::chrono::hours(1));
  std::string metrics = poll();
  EXPECT_EQ(sample(metrics, group_loss("billing")), "20") << metrics;  // at 70, start 90
  kafka_.set_topic("orders", {{5, 10}, {0, 50}});
  kafka_.commit("billing", "orders", 0, 2);  // lost 3
  metrics = poll();
  EXPECT_EQ(kafka_.earliest_offsets_read(), 3) << "partition 0's again, partition 1's remembered";
  EXPECT_EQ(sample(metrics, group_loss("billing")), "3") << metrics;
}

}  // namespace
}  // namespace lagwatch::poll
