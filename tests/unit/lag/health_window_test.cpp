// Persistence on low-traffic topics, window bounds and spacing, policy handling.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "health_test_support.h"
#include "lag/health.h"

namespace lagwatch::lag {
namespace {

using namespace test_support;
using S = HealthStatus;
using Why = HealthReason;
using std::chrono::seconds;

// A live consumer on a topic receiving a message every third poll: lag flickers 0/1.
TEST(HealthLowTraffic, LiveConsumerNeverFlaps) {
  PartitionHealth health(kPolicy);
  std::int64_t high_watermark = 0;
  std::int64_t committed = 0;
  for (int i = 0; i < 300; ++i) {
    if (i % 3 == 0) {
      ++high_watermark;
    } else {
      committed = high_watermark;
    }
    health.observe(observation_of({10.0 * i, committed, high_watermark}));
    EXPECT_EQ(health.evaluate(at(10.0 * i)).status, S::kOk) << "poll " << i;
  }
}

// Same topic, but the consumer commits only every fourth poll: lag stays > 0 for 3 polls out of 4,
// which is shorter than the window.
TEST(HealthLowTraffic, SlowCommitsShorterThanTheWindowNeverFlap) {
  PartitionHealth health(kPolicy);
  std::int64_t high_watermark = 0;
  std::int64_t committed = 0;
  for (int i = 0; i < 300; ++i) {
    ++high_watermark;
    if (i % 4 == 3) committed = high_watermark;
    health.observe(observation_of({10.0 * i, committed, high_watermark}));
    EXPECT_EQ(health.evaluate(at(10.0 * i)).status, S::kOk) << "poll " << i;
  }
}

// A dead consumer on the same trickle is still caught, STALL first then STOP.
TEST(HealthLowTraffic, DeadConsumerIsStillDetected) {
  PartitionHealth health(kPolicy);
  std::vector<S> verdicts;
  for (int i = 0; i < 20; ++i) {
    health.observe(observation_of({10.0 * i, 0, 1 + i / 3}));
    verdicts.push_back(health.evaluate(at(10.0 * i)).status);
  }
  const std::vector<S> expected = {S::kOk,    S::kOk,    S::kOk,    S::kOk,    S::kStall,
                                   S::kStall, S::kStall, S::kStall, S::kStall, S::kStall,
                                   S::kStop,  S::kStop,  S::kStop,  S::kStop,  S::kStop,
                                   S::kStop,  S::kStop,  S::kStop,  S::kStop,  S::kStop};
  EXPECT_EQ(verdicts, expected);
}

TEST(HealthWindow, FastPollsCannotShrinkTheTimeSpan) {
  PartitionHealth health(kPolicy);
  // Polls every second with a stuck consumer: 5 observations arrive after 4 s, but the window must
  // span 40 s before judging.
  for (int i = 0; i < 40; ++i) {
    health.observe(observation_of({1.0 * i, 100, 200}));
    EXPECT_EQ(health.evaluate(at(i)), (HealthVerdict{S::kOk, Why::kWindowNotFull})) << "t=" << i;
  }
  // Once full it stays full: no flicker back to "not full" when the oldest slot is dropped.
  for (int i = 40; i < 90; ++i) {
    health.observe(observation_of({1.0 * i, 100, 200}));
    EXPECT_TRUE(health.window_full()) << "t=" << i;
    EXPECT_EQ(health.evaluate(at(i)), (HealthVerdict{S::kStall, Why::kNoProgress})) << "t=" << i;
  }
}

TEST(HealthWindow, FastPollsKeepWindowBoundedWithSpacedSlots) {
  PartitionHealth health(kPolicy);
  for (int i = 0; i <= 200; ++i) {
    health.observe(observation_of({1.0 * i, i, 1'000}));
    const auto window = health.window();
    ASSERT_LE(window.size(), 6u) << "t=" << i;
    // Every gap except the newest (still open) one is >= 40 s / 4 = 10 s.
    for (std::size_t k = 1; k + 1 < window.size(); ++k) {
      EXPECT_GE(window[k].time - window[k - 1].time, seconds{10}) << "t=" << i;
    }
    EXPECT_EQ(window.back().time, at(i));
  }
}

TEST(HealthWindow, ObserveReportsWhatHappened) {
  PartitionHealth health(kPolicy);
  EXPECT_EQ(health.observe(observation_of({0, 1, 2})), ObserveResult::kStored);
  EXPECT_EQ(health.observe(observation_of({0, 1, 2})), ObserveResult::kRejectedStaleTime);
  EXPECT_EQ(health.observe(observation_of({-5, 1, 2})), ObserveResult::kRejectedStaleTime);
  EXPECT_EQ(health.observe(observation_of({1, 1, 2})), ObserveResult::kStored);
  EXPECT_EQ(health.observe(observation_of({2, 1, 2})), ObserveResult::kReplacedNewest);
  EXPECT_EQ(health.observe(observation_of({20, 1, 2})), ObserveResult::kReplacedNewest);
  EXPECT_EQ(health.observe(observation_of({21, 1, 2})), ObserveResult::kStored);
  EXPECT_EQ(health.observe(observation_of({22, 0, 1})), ObserveResult::kRestarted);
  EXPECT_EQ(health.window().size(), 1u);
}

TEST(HealthWindow, StaysBounded) {
  PartitionHealth health(kPolicy);
  for (int i = 0; i < 1'000; ++i) health.observe(observation_of({10.0 * i, i, 2 * i}));
  EXPECT_EQ(health.window().size(), 5u);
  EXPECT_EQ(health.window().front().time, at(9'950));
}

TEST(HealthWindow, DefaultsFitTheDefaultPollInterval) {
  const HealthPolicy defaults;
  EXPECT_EQ(defaults.window_size, 10u);
  EXPECT_EQ(defaults.min_span, seconds{120});
  EXPECT_EQ(defaults.stop_after, seconds{300});
  PartitionHealth health;
  for (int i = 0; i < 10; ++i) health.observe(observation_of({15.0 * i, 100, 200}));
  EXPECT_TRUE(health.window_full());
  EXPECT_EQ(health.evaluate(at(135)).status, S::kStall);
  EXPECT_EQ(health.evaluate(at(300)).status, S::kStop);
}

TEST(HealthWindow, TooSmallPolicyIsRaised) {
  PartitionHealth health(HealthPolicy{0, seconds{-5}, seconds{-5}});
  EXPECT_EQ(health.policy().window_size, 2u);
  EXPECT_EQ(health.policy().min_span, seconds{0});
  EXPECT_EQ(health.policy().stop_after, seconds{0});
  health.observe(observation_of({0, 100, 200}));
  health.observe(observation_of({1, 100, 200}));
  EXPECT_EQ(health.evaluate(at(1)).status, S::kStall);
  EXPECT_EQ(health.evaluate(at(2)).status, S::kStop);
}

TEST(HealthWindow, ResetForgetsEverything) {
  PartitionHealth health(kPolicy);
  for (const Poll& p :
       concat(linear(5, 0, 10, 100, 10, 300, 0), linear(5, 50, 10, 50, 0, 300, 0))) {
    health.observe(observation_of(p));
  }
  health.reset();
  EXPECT_TRUE(health.window().empty());
  for (const Poll& p : linear(5, 100, 10, 60, 10, 300, 0)) health.observe(observation_of(p));
  EXPECT_EQ(health.evaluate(at(140)), (HealthVerdict{S::kOk, Why::kProgressing}));
}

TEST(HealthReasonNames, AreStable) {
  EXPECT_EQ(to_string(Why::kWindowNotFull), "window_not_full");
  EXPECT_EQ(to_string(Why::kCaughtUp), "caught_up");
  EXPECT_EQ(to_string(Why::kProgressing), "progressing");
  EXPECT_EQ(to_string(Why::kLagGrowing), "lag_growing");
  EXPECT_EQ(to_string(Why::kNoProgress), "no_progress");
  EXPECT_EQ(to_string(Why::kNoCommitActivity), "no_commit_activity");
  EXPECT_EQ(to_string(Why::kRewound), "rewound");
  EXPECT_EQ(to_string(Why::kUnreadable), "unreadable");
}

}  // namespace
}  // namespace lagwatch::lag
