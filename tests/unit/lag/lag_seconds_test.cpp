#include "lag/lag_seconds.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace lagwatch::lag {

void PrintTo(const LagSeconds& lag, std::ostream* os) {
  *os << "{" << lag.seconds << "s, " << to_string(lag.quality) << "}";
}

namespace {

using Q = LagSeconds::Quality;

TimePoint at(double seconds) { return from_unix_seconds(seconds); }

WatermarkHistory history_of(const std::vector<std::pair<std::int64_t, double>>& points) {
  WatermarkHistory history;
  for (const auto& [offset, time] : points) history.record(offset, at(time));
  return history;
}

struct LookupCase {
  std::string name;
  std::vector<std::pair<std::int64_t, double>> points;
  std::int64_t committed;
  double now;
  double expected_seconds;
  Q expected_quality;
};

// Names the case in gtest output instead of dumping its bytes.
void PrintTo(const LookupCase& c, std::ostream* os) { *os << c.name; }

class LookupTest : public testing::TestWithParam<LookupCase> {};

TEST_P(LookupTest, GivesExpectedLag) {
  const LookupCase& c = GetParam();
  const LagSeconds lag = lag_seconds(history_of(c.points), c.committed, at(c.now));
  EXPECT_EQ(lag.quality, c.expected_quality);
  EXPECT_NEAR(lag.seconds, c.expected_seconds, 1e-6);
}

// kafka-lag-exporter's published vectors give t(x); our lag is now - t(x). With the table
// (100,30) (200,60) (200,700) (300,730) (300,9000) (400,9030) and now = 10000 every vector that
// lies inside the table is reproduced exactly, including the end-of-flat-stretch ones (200 -> 700,
// 300 -> 9000).
const std::vector<std::pair<std::int64_t, double>> kReference = {
    {100, 30}, {200, 60}, {200, 120}, {200, 700}, {300, 730}, {300, 9000}, {400, 9030}};

INSTANTIATE_TEST_SUITE_P(
    ReferenceVectors, LookupTest,
    testing::Values(
        LookupCase{"x199", kReference, 199, 10'000, 10'000 - 59.7, Q::kInterpolated},
        LookupCase{"x200_end_of_flat_stretch", kReference, 200, 10'000, 10'000 - 700,
                   Q::kInterpolated},
        LookupCase{"x201", kReference, 201, 10'000, 10'000 - 700.3, Q::kInterpolated},
        LookupCase{"x250", kReference, 250, 10'000, 10'000 - 715, Q::kInterpolated},
        LookupCase{"x299", kReference, 299, 10'000, 10'000 - 729.7, Q::kInterpolated},
        LookupCase{"x300_end_of_flat_stretch", kReference, 300, 10'000, 10'000 - 9000,
                   Q::kInterpolated},
        LookupCase{"x301", kReference, 301, 10'000, 10'000 - 9000.3, Q::kInterpolated},
        // Two points (100,100) (200,200): inside the table, lag = now - x.
        LookupCase{"two_points_x150", {{100, 100}, {200, 200}}, 150, 1'000, 850, Q::kInterpolated},
        LookupCase{"two_points_x190", {{100, 100}, {200, 200}}, 190, 1'000, 810, Q::kInterpolated},
        LookupCase{"two_points_x110", {{100, 100}, {200, 200}}, 110, 1'000, 890, Q::kInterpolated},
        LookupCase{"two_points_x100_oldest_offset",
                   {{100, 100}, {200, 200}},
                   100,
                   1'000,
                   900,
                   Q::kInterpolated}),
    [](const testing::TestParamInfo<LookupCase>& case_info) { return case_info.param.name; });

// Where we deliberately differ from the reference.
INSTANTIATE_TEST_SUITE_P(
    DeliberateDifferences, LookupTest,
    testing::Values(
        // Reference extrapolates to t = 10 / 0: unbounded for reprocessing from far back.
        LookupCase{"older_than_history_is_lower_bound_x10",
                   {{100, 100}, {200, 200}},
                   10,
                   1'000,
                   900,
                   Q::kLowerBound},
        LookupCase{"older_than_history_is_lower_bound_x0",
                   {{100, 100}, {200, 200}},
                   0,
                   1'000,
                   900,
                   Q::kLowerBound},
        // Reference gives t = -100; a negative offset is "no commit" in Kafka.
        LookupCase{
            "negative_offset_is_unknown", {{100, 100}, {200, 200}}, -100, 1'000, 0, Q::kUnknown},
        // Reference extrapolates to t = 300, a negative lag when now < 300.
        LookupCase{"above_newest_is_caught_up", {{100, 100}, {200, 200}}, 300, 250, 0, Q::kExact},
        // Reference gives -inf and +inf on a flat table.
        LookupCase{"flat_table_below_is_lower_bound",
                   {{100, 100}, {100, 400}},
                   99,
                   1'000,
                   900,
                   Q::kLowerBound},
        LookupCase{
            "flat_table_above_is_caught_up", {{100, 100}, {100, 400}}, 101, 1'000, 0, Q::kExact},
        // A `now` before t(x) (clock stepped back) clamps instead of going negative.
        LookupCase{"now_before_t_of_x_clamps_to_zero",
                   {{100, 100}, {200, 200}},
                   150,
                   120,
                   0,
                   Q::kInterpolated},
        LookupCase{"now_before_oldest_clamps_lower_bound",
                   {{100, 100}, {200, 200}},
                   50,
                   20,
                   0,
                   Q::kLowerBound}),
    [](const testing::TestParamInfo<LookupCase>& case_info) { return case_info.param.name; });

INSTANTIATE_TEST_SUITE_P(
    Cases, LookupTest,
    testing::Values(
        LookupCase{"empty_history_is_unknown", {}, 10, 1'000, 0, Q::kUnknown},
        LookupCase{"one_point_caught_up", {{100, 100}}, 100, 1'000, 0, Q::kExact},
        LookupCase{"one_point_ahead_is_caught_up", {{100, 100}}, 150, 1'000, 0, Q::kExact},
        LookupCase{"one_point_behind_is_unknown", {{100, 100}}, 99, 1'000, 0, Q::kUnknown},
        LookupCase{
            "equal_to_newest_is_caught_up", {{100, 100}, {200, 200}}, 200, 1'000, 0, Q::kExact},
        // Flat stretch (100, 10..50) then (200, 60): message 100 appeared after 50, not at 10.
        LookupCase{"flat_stretch_dates_from_its_end",
                   {{100, 10}, {100, 30}, {100, 50}, {200, 60}},
                   100,
                   100,
                   50,
                   Q::kInterpolated},
        LookupCase{"after_flat_stretch_interpolates_on_rising_segment",
                   {{100, 10}, {100, 50}, {200, 60}},
                   150,
                   100,
                   45,
                   Q::kInterpolated},
        // A rising segment right before a flat stretch still dates offsets inside it.
        LookupCase{"before_flat_stretch_uses_rising_segment",
                   {{0, 0}, {100, 10}, {100, 500}},
                   50,
                   1'000,
                   995,
                   Q::kInterpolated}),
    [](const testing::TestParamInfo<LookupCase>& case_info) { return case_info.param.name; });

TEST(LagSecondsIdleTopic, CaughtUpConsumerStaysAtZeroWhileProducerIsIdle) {
  WatermarkHistory history;
  history.record(100, at(0));
  history.record(200, at(10));
  for (int t = 20; t <= 10'000; t += 10) {
    history.record(200, at(t));
    EXPECT_EQ(lag_seconds(history, 200, at(t)), (LagSeconds{0.0, Q::kExact})) << "t=" << t;
  }
}

TEST(LagSecondsIdleTopic, ConsumerBehindOnIdleTopicAgesInRealTime) {
  WatermarkHistory history;
  history.record(100, at(0));
  history.record(200, at(10));
  double previous = -1;
  for (int t = 20; t <= 1'000; t += 10) {
    history.record(200, at(t));
    const LagSeconds lag = lag_seconds(history, 150, at(t));
    EXPECT_EQ(lag.quality, Q::kInterpolated);
    // Message 150 was written at t = 5: its age is exactly the elapsed time since then.
    EXPECT_NEAR(lag.seconds, t - 5.0, 1e-9) << "t=" << t;
    EXPECT_GT(lag.seconds, previous);
    previous = lag.seconds;
  }
}

TEST(LagSecondsBounds, WrappedHistoryGivesLowerBoundForOffsetsItForgot) {
  WatermarkHistory history(3);
  for (int i = 0; i < 10; ++i) history.record(100 * i, at(10 * i));
  // Oldest kept point is (700, 70); offset 250 is older than the history.
  EXPECT_EQ(lag_seconds(history, 250, at(100)), (LagSeconds{30.0, Q::kLowerBound}));
  EXPECT_EQ(lag_seconds(history, 750, at(100)).quality, Q::kInterpolated);
}

TEST(LagSecondsBounds, RecreatedTopicIsDatedFromTheNewLog) {
  WatermarkHistory history;
  history.record(5'000, at(0));
  history.record(6'000, at(10));
  history.record_or_restart(0, at(20));
  history.record_or_restart(100, at(30));
  EXPECT_EQ(lag_seconds(history, 0, at(40)), (LagSeconds{20.0, Q::kInterpolated}));
  EXPECT_EQ(lag_seconds(history, 100, at(40)), (LagSeconds{0.0, Q::kExact}));
}

TEST(LagSecondsBounds, HugeOffsetsAndTimesStayFiniteAndPrecise) {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  WatermarkHistory history;
  const double t0 = 4'102'444'800.0;  // year 2100
  history.record(0, at(t0));
  history.record(kMax, at(t0 + 1.0));
  const LagSeconds lag = lag_seconds(history, kMax / 2, at(t0 + 10.0));
  EXPECT_TRUE(std::isfinite(lag.seconds));
  EXPECT_NEAR(lag.seconds, 9.5, 1e-6);
  EXPECT_EQ(lag.quality, Q::kInterpolated);
}

TEST(LagSecondsBounds, SubSecondPollsKeepNanosecondPrecision) {
  WatermarkHistory history;
  // Built from ticks: a double of Unix seconds could not even represent t0 + 1 ms exactly.
  const TimePoint t0 = at(1'700'000'000.0);
  const TimePoint t1 = t0 + std::chrono::milliseconds(1);
  history.record(0, t0);
  history.record(1'000, t1);
  const LagSeconds lag = lag_seconds(history, 500, t1);
  EXPECT_NEAR(lag.seconds, 0.0005, 1e-9);
}

TEST(LagSecondsQuality, NamesAreStable) {
  EXPECT_EQ(to_string(Q::kExact), "exact");
  EXPECT_EQ(to_string(Q::kInterpolated), "interpolated");
  EXPECT_EQ(to_string(Q::kLowerBound), "lower_bound");
  EXPECT_EQ(to_string(Q::kUnknown), "unknown");
}

TEST(TimePointConversion, RoundTripsUnixSecondsAndRejectsNonFinite) {
  EXPECT_DOUBLE_EQ(to_unix_seconds(from_unix_seconds(1'700'000'000.25)), 1'700'000'000.25);
  EXPECT_EQ(from_unix_seconds(std::numeric_limits<double>::quiet_NaN()), TimePoint{});
  EXPECT_EQ(from_unix_seconds(std::numeric_limits<double>::infinity()), TimePoint{});
}

}  // namespace
}  // namespace lagwatch::lag
