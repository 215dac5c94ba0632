#include "metrics/internal/readiness.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace lagwatch::metrics {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

constexpr double kNow = 1'800'000'000.0;

ClusterReadiness polled(const std::string& name, double ago) {
  return {name, ClusterStatus{true, kNow - ago, 3, ""}, minutes(10)};
}

ClusterReadiness never_polled(const std::string& name, std::chrono::seconds waited,
                              const std::string& error) {
  return {name, ClusterStatus{false, std::nullopt, 0, error}, waited};
}

TEST(Readiness, EveryClusterPolledIsReadyAndEachIsNamed) {
  const auto verdict = judge_readiness({polled("prod", 3.4), polled("dr", 12)}, minutes(5), kNow);
  EXPECT_TRUE(verdict.ready);
  EXPECT_EQ(verdict.text,
            "ready\n"
            "cluster prod: up, last successful poll 3 s ago\n"
            "cluster dr: up, last successful poll 12 s ago\n");
}

TEST(Readiness, AClusterNeverPolledHoldsItBackWithinTheGraceAndSaysWhy) {
  const auto verdict = judge_readiness(
      {polled("prod", 1), never_polled("dr", seconds(40), "metadata: authentication failed")},
      minutes(5), kNow);
  EXPECT_FALSE(verdict.ready);
  EXPECT_EQ(verdict.text,
            "not ready: waiting for the first successful poll of dr\n"
            "cluster prod: up, last successful poll 1 s ago\n"
            "cluster dr: no successful poll yet, waited 40 s of 300 s; last error: metadata: "
            "authentication failed\n");
}

// One dead cluster among three must not keep the other two's data out of the Service forever.
TEST(Readiness, AClusterStillDeadAfterTheGraceNoLongerHoldsItBack) {
  const auto verdict = judge_readiness(
      {polled("a", 1), never_polled("dead", seconds(301), "broker transport failure"),
       polled("c", 2)},
      minutes(5), kNow);
  EXPECT_TRUE(verdict.ready);
  EXPECT_NE(verdict.text.find("cluster dead: no successful poll within the readiness grace of "
                              "300 s, no longer waited for (lagwatch_up is 0); last error: broker "
                              "transport failure\n"),
            std::string::npos)
      << verdict.text;
}

TEST(Readiness, AGraceOfZeroWaitsForever) {
  const auto verdict =
      judge_readiness({never_polled("dead", seconds(86'400), "")}, minutes(0), kNow);
  EXPECT_FALSE(verdict.ready);
  EXPECT_EQ(verdict.text,
            "not ready: waiting for the first successful poll of dead\n"
            "cluster dead: no successful poll yet, waited 86400 s\n");
}

// Once it has exported data, a cluster that goes down keeps serving that data: still ready.
TEST(Readiness, AClusterDownAfterASuccessStaysReady) {
  ClusterReadiness down = polled("prod", 95);
  down.status.up = false;
  down.status.last_error = "list groups: timed out";
  const auto verdict = judge_readiness({down}, minutes(5), kNow);
  EXPECT_TRUE(verdict.ready);
  EXPECT_EQ(verdict.text,
            "ready\ncluster prod: down, serving the data of its last successful poll, 95 s ago; "
            "last error: list groups: timed out\n");
}

TEST(Readiness, NoClusterIsNotReady) { EXPECT_FALSE(judge_readiness({}, minutes(5), kNow).ready); }

}  // namespace
}  // namespace lagwatch::metrics
