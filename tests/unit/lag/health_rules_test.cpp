// Table of scenarios, one per health rule and per known false alarm of Burrow's rules.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <ostream>
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

struct ScenarioCase {
  std::string name;
  std::vector<Poll> polls;
  double now;
  HealthVerdict expected;
  HealthPolicy policy = kPolicy;
};

// Names the case in gtest output instead of dumping its bytes.
void PrintTo(const ScenarioCase& c, std::ostream* os) { *os << c.name; }

class ScenarioTest : public testing::TestWithParam<ScenarioCase> {};

TEST_P(ScenarioTest, GivesExpectedVerdict) {
  const ScenarioCase& c = GetParam();
  PartitionHealth health(c.policy);
  for (const Poll& poll : c.polls) health.observe(observation_of(poll));
  EXPECT_EQ(health.evaluate(at(c.now)), c.expected);
}

const auto kCaseName = [](const testing::TestParamInfo<ScenarioCase>& case_info) {
  return case_info.param.name;
};

INSTANTIATE_TEST_SUITE_P(
    Ok, ScenarioTest,
    testing::Values(
        ScenarioCase{"window_not_full_by_count",
                     linear(4, 0, 10, 100, 0, 200, 0),
                     30,
                     {S::kOk, Why::kWindowNotFull}},
        ScenarioCase{"caught_up_idle_topic",
                     linear(50, 0, 10, 100, 0, 100, 0),
                     490,
                     {S::kOk, Why::kCaughtUp}},
        // Burrow's false alarm: no commit for a day, but nothing to read.
        ScenarioCase{"caught_up_idle_topic_a_day_later",
                     linear(50, 0, 10, 100, 0, 100, 0),
                     86'400,
                     {S::kOk, Why::kCaughtUp}},
        ScenarioCase{"caught_up_with_ancient_commit_time",
                     with_commit_times(linear(10, 0, 10, 100, 0, 100, 0), -100'000),
                     90,
                     {S::kOk, Why::kCaughtUp}},
        // Burrow warns when lag never decreases; a constant backlog kept pace with is fine.
        ScenarioCase{"constant_backlog_keeping_pace",
                     linear(10, 0, 10, 100, 10, 150, 10),
                     90,
                     {S::kOk, Why::kProgressing}},
        ScenarioCase{
            "lag_shrinking", linear(10, 0, 10, 100, 20, 400, 10), 90, {S::kOk, Why::kProgressing}},
        ScenarioCase{
            "lag_growing_with_one_dip",
            {{0, 100, 150}, {10, 105, 160}, {20, 130, 170}, {30, 135, 180}, {40, 140, 190}},
            40,
            {S::kOk, Why::kProgressing}},
        ScenarioCase{
            "lag_growing_but_zero_inside_window",
            {{0, 100, 100}, {10, 101, 103}, {20, 102, 105}, {30, 103, 107}, {40, 104, 109}},
            40,
            {S::kOk, Why::kProgressing}},
        ScenarioCase{
            "stuck_but_lag_zero_at_start_of_window",
            {{0, 100, 100}, {10, 100, 101}, {20, 100, 102}, {30, 100, 103}, {40, 100, 104}},
            40,
            {S::kOk, Why::kProgressing}}),
    kCaseName);

// Consumers that keep up, whose lag rises for a few polls within one commit's worth of messages:
// never WARN, whatever the window.
INSTANTIATE_TEST_SUITE_P(
    KeepingUp, ScenarioTest,
    testing::Values(
        // 10 msg per poll, committing every poll, lag 3..10.
        ScenarioCase{
            "commit_batch_sawtooth_rising",
            {{0, 100, 103}, {10, 110, 114}, {20, 120, 126}, {30, 130, 138}, {40, 140, 150}},
            40,
            {S::kOk, Why::kProgressing}},
        // 5 msg per poll (commit every 0.5 s at 10 msg/s, polled every second), lag 1..3.
        ScenarioCase{
            "small_lag_jitter",
            {{0, 100, 101}, {10, 105, 106}, {20, 110, 112}, {30, 115, 117}, {40, 120, 123}},
            40,
            {S::kOk, Why::kProgressing}},
        // A trickle: one message consumed per poll, lag creeping up by a few messages.
        ScenarioCase{
            "few_messages_of_jitter",
            {{0, 100, 101}, {10, 101, 103}, {20, 102, 105}, {30, 103, 106}, {40, 104, 108}},
            40,
            {S::kOk, Why::kProgressing}},
        // The same sawtooth seen by a longer window.
        ScenarioCase{"commit_batch_sawtooth_long_window",
                     {{0, 100, 103},
                      {10, 110, 113},
                      {20, 120, 124},
                      {30, 130, 135},
                      {40, 140, 145},
                      {50, 150, 156},
                      {60, 160, 167},
                      {70, 170, 178},
                      {80, 180, 189},
                      {90, 190, 200}},
                     90,
                     {S::kOk, Why::kProgressing},
                     {10, seconds{90}, seconds{300}}}),
    kCaseName);

INSTANTIATE_TEST_SUITE_P(
    WarnStallStop, ScenarioTest,
    testing::Values(
        ScenarioCase{"lag_growing_every_step",
                     linear(5, 0, 10, 100, 5, 150, 10),
                     40,
                     {S::kWarn, Why::kLagGrowing}},
        // Falling behind by more than a commit's worth of messages over the window.
        ScenarioCase{
            "lag_growing_beyond_one_commit_batch",
            {{0, 100, 103}, {10, 110, 116}, {20, 120, 129}, {30, 130, 142}, {40, 140, 155}},
            40,
            {S::kWarn, Why::kLagGrowing}},
        ScenarioCase{"slow_consumer_in_a_long_window",
                     linear(10, 0, 10, 100, 8, 110, 10),
                     90,
                     {S::kWarn, Why::kLagGrowing},
                     {10, seconds{90}, seconds{300}}},
        ScenarioCase{"stall_while_data_arrives",
                     linear(5, 0, 10, 100, 0, 200, 10),
                     40,
                     {S::kStall, Why::kNoProgress}},
        ScenarioCase{"stall_with_persistent_lag_and_no_new_data",
                     linear(5, 0, 10, 100, 0, 200, 0),
                     40,
                     {S::kStall, Why::kNoProgress}},
        ScenarioCase{"stall_just_before_stop_threshold",
                     linear(10, 0, 10, 100, 0, 200, 0),
                     99,
                     {S::kStall, Why::kNoProgress}},
        ScenarioCase{"stop_after_stop_threshold",
                     linear(10, 0, 10, 100, 0, 200, 0),
                     100,
                     {S::kStop, Why::kNoCommitActivity}},
        // stop_after below twice the window span: the window decides (2 x 40 s).
        ScenarioCase{"short_stop_after_still_needs_twice_the_window",
                     linear(8, 0, 10, 100, 0, 200, 0),
                     79,
                     {S::kStall, Why::kNoProgress},
                     {5, seconds{40}, seconds{10}}},
        ScenarioCase{"short_stop_after_stops_at_twice_the_window",
                     linear(8, 0, 10, 100, 0, 200, 0),
                     80,
                     {S::kStop, Why::kNoCommitActivity},
                     {5, seconds{40}, seconds{10}}},
        // Re-committing the same offset: alive but stuck, never STOP.
        ScenarioCase{"recent_commit_time_stays_stall",
                     with_commit_times(linear(30, 0, 10, 100, 0, 200, 0), std::nullopt),
                     290,
                     {S::kStall, Why::kNoProgress}},
        // Known to have stopped committing long ago: STOP as soon as the window shows the stall.
        ScenarioCase{"old_commit_time_stops_at_once",
                     with_commit_times(linear(5, 0, 10, 100, 0, 200, 0), -1'000),
                     40,
                     {S::kStop, Why::kNoCommitActivity}}),
    kCaseName);

INSTANTIATE_TEST_SUITE_P(
    Rewind, ScenarioTest,
    testing::Values(
        ScenarioCase{"rewind_not_recovered",
                     concat(linear(5, 0, 10, 100, 10, 300, 0), linear(5, 50, 10, 50, 10, 300, 0)),
                     90,
                     {S::kRewind, Why::kRewound}},
        // Long after the rewind left the window, still not back where it was.
        ScenarioCase{"rewind_outlives_the_window",
                     concat(linear(5, 0, 10, 100, 10, 300, 0), linear(20, 50, 10, 50, 2, 300, 0)),
                     240,
                     {S::kRewind, Why::kRewound}},
        ScenarioCase{"rewind_then_recover",
                     concat(linear(5, 0, 10, 100, 10, 300, 0), linear(6, 50, 10, 50, 20, 300, 0)),
                     100,
                     {S::kOk, Why::kProgressing}},
        ScenarioCase{"second_rewind_measured_against_first_position",
                     {{0, 100, 300},
                      {10, 110, 300},
                      {20, 120, 300},
                      {30, 130, 300},
                      {40, 140, 300},
                      {50, 50, 300},
                      {60, 60, 300},
                      {70, 20, 300},
                      {80, 30, 300},
                      {90, 130, 300}},
                     90,
                     {S::kRewind, Why::kRewound}},
        ScenarioCase{"second_rewind_recovered_at_first_position",
                     {{0, 100, 300},
                      {10, 110, 300},
                      {20, 120, 300},
                      {30, 130, 300},
                      {40, 140, 300},
                      {50, 50, 300},
                      {60, 60, 300},
                      {70, 20, 300},
                      {80, 30, 300},
                      {90, 140, 300}},
                     90,
                     {S::kOk, Why::kProgressing}},
        ScenarioCase{"rewind_then_stuck_is_stall",
                     concat(linear(5, 0, 10, 100, 10, 300, 0), linear(5, 50, 10, 50, 0, 300, 0)),
                     90,
                     {S::kStall, Why::kNoProgress}},
        ScenarioCase{"rewind_before_window_full",
                     {{0, 100, 300}, {10, 110, 300}, {20, 50, 300}},
                     20,
                     {S::kOk, Why::kWindowNotFull}},
        // The topic was deleted and re-created: the consumer's return to 0 is not a rewind.
        ScenarioCase{"recreated_topic_is_not_a_rewind",
                     concat(linear(5, 0, 10, 1'000, 10, 1'100, 10), linear(5, 50, 10, 0, 2, 10, 2)),
                     90,
                     {S::kOk, Why::kProgressing}},
        ScenarioCase{"recreated_topic_restarts_the_window",
                     concat(linear(5, 0, 10, 1'000, 0, 1'100, 0), linear(2, 50, 10, 0, 0, 10, 0)),
                     60,
                     {S::kOk, Why::kWindowNotFull}}),
    kCaseName);

}  // namespace
}  // namespace lagwatch::lag
