#include "lag/watermark_history.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

namespace lagwatch::lag {

// Readable failure messages for point comparisons.
void PrintTo(const WatermarkPoint& point, std::ostream* os) {
  *os << "(" << point.offset << ", " << to_unix_seconds(point.time) << ")";
}

namespace {

TimePoint at(double seconds) { return from_unix_seconds(seconds); }

struct Insert {
  std::int64_t offset;
  double time;
  RecordResult expected;
};

struct Point {
  std::int64_t offset;
  double time;
};

struct InsertionCase {
  std::string name;
  std::vector<Insert> inserts;
  std::vector<Point> expected_points;
};

// Names the case in gtest output instead of dumping its bytes.
void PrintTo(const InsertionCase& c, std::ostream* os) { *os << c.name; }

std::vector<WatermarkPoint> to_points(const std::vector<Point>& points) {
  std::vector<WatermarkPoint> result;
  for (const Point& p : points) result.push_back({p.offset, at(p.time)});
  return result;
}

class InsertionTest : public testing::TestWithParam<InsertionCase> {};

TEST_P(InsertionTest, KeepsExpectedPoints) {
  const InsertionCase& c = GetParam();
  WatermarkHistory history;
  for (std::size_t i = 0; i < c.inserts.size(); ++i) {
    const Insert& insert = c.inserts[i];
    EXPECT_EQ(history.record(insert.offset, at(insert.time)), insert.expected) << "insert #" << i;
  }
  const auto points = history.points();
  EXPECT_EQ(std::vector<WatermarkPoint>(points.begin(), points.end()),
            to_points(c.expected_points));
}

using R = RecordResult;

INSTANTIATE_TEST_SUITE_P(
    Rules, InsertionTest,
    testing::Values(
        InsertionCase{"rising_offsets_are_appended",
                      {{100, 10, R::kAppended}, {150, 20, R::kAppended}, {300, 30, R::kAppended}},
                      {{100, 10}, {150, 20}, {300, 30}}},
        InsertionCase{"same_time_is_rejected",
                      {{100, 10, R::kAppended}, {200, 10, R::kRejectedStaleTime}},
                      {{100, 10}}},
        InsertionCase{"earlier_time_is_rejected",
                      {{100, 10, R::kAppended}, {200, 5, R::kRejectedStaleTime}},
                      {{100, 10}}},
        InsertionCase{"decreasing_offset_is_rejected",
                      {{100, 10, R::kAppended}, {99, 20, R::kRejectedOffsetWentBack}},
                      {{100, 10}}},
        InsertionCase{"negative_offset_is_rejected",
                      {{-1, 10, R::kRejectedInvalidOffset}, {-1001, 20, R::kRejectedInvalidOffset}},
                      {}},
        InsertionCase{"second_point_at_same_offset_starts_a_flat_stretch",
                      {{100, 10, R::kAppended}, {100, 20, R::kAppended}},
                      {{100, 10}, {100, 20}}},
        InsertionCase{"flat_stretch_keeps_first_and_last_point",
                      {{100, 10, R::kAppended},
                       {100, 20, R::kAppended},
                       {100, 30, R::kExtendedFlat},
                       {100, 40, R::kExtendedFlat}},
                      {{100, 10}, {100, 40}}},
        InsertionCase{"flat_stretch_after_rise_then_rise_again",
                      {{50, 5, R::kAppended},
                       {100, 10, R::kAppended},
                       {100, 20, R::kAppended},
                       {100, 30, R::kExtendedFlat},
                       {180, 40, R::kAppended}},
                      {{50, 5}, {100, 10}, {100, 30}, {180, 40}}},
        // kafka-lag-exporter's published insertion vector.
        InsertionCase{"reference_vector_keeps_three_points",
                      {{100, 30, R::kAppended},
                       {200, 60, R::kAppended},
                       {200, 120, R::kAppended},
                       {200, 700, R::kExtendedFlat}},
                      {{100, 30}, {200, 60}, {200, 700}}}),
    [](const testing::TestParamInfo<InsertionCase>& case_info) { return case_info.param.name; });

TEST(WatermarkHistoryBounds, DropsOldestBeyondCapacityAndNeverExceedsIt) {
  WatermarkHistory history(4);
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(history.record(100 * i, at(10.0 * i)), RecordResult::kAppended);
    EXPECT_LE(history.size(), 4u);
  }
  const auto points = history.points();
  EXPECT_EQ(std::vector<WatermarkPoint>(points.begin(), points.end()),
            to_points({{600, 60}, {700, 70}, {800, 80}, {900, 90}}));
}

TEST(WatermarkHistoryBounds, DefaultCapacityIs64) {
  WatermarkHistory history;
  EXPECT_EQ(history.capacity(), 64u);
  for (int i = 0; i < 200; ++i) history.record(i, at(i));
  EXPECT_EQ(history.size(), 64u);
  EXPECT_EQ(history.points().front().offset, 136);
}

TEST(WatermarkHistoryBounds, CapacityBelowTwoIsRaisedToTwo) {
  for (const std::size_t requested : {0u, 1u}) {
    WatermarkHistory history(requested);
    EXPECT_EQ(history.capacity(), 2u);
    history.record(1, at(1));
    history.record(2, at(2));
    history.record(3, at(3));
    EXPECT_EQ(history.size(), 2u);
  }
}

TEST(WatermarkHistoryBounds, IdleProducerDoesNotFillTheTable) {
  WatermarkHistory history(8);
  history.record(10, at(0));
  history.record(20, at(1));
  for (int i = 2; i < 10'000; ++i) history.record(20, at(i));
  const auto points = history.points();
  EXPECT_EQ(std::vector<WatermarkPoint>(points.begin(), points.end()),
            to_points({{10, 0}, {20, 1}, {20, 9'999}}));
}

TEST(WatermarkHistoryBounds, DroppingTheStartOfAFlatStretchKeepsItsEnd) {
  WatermarkHistory history(2);
  history.record(100, at(10));
  history.record(100, at(20));
  history.record(100, at(30));
  history.record(200, at(40));
  const auto points = history.points();
  EXPECT_EQ(std::vector<WatermarkPoint>(points.begin(), points.end()),
            to_points({{100, 30}, {200, 40}}));
}

TEST(WatermarkHistoryRestart, RecreatedTopicRestartsFromTheLowerOffset) {
  WatermarkHistory history;
  history.record(5'000, at(10));
  history.record(6'000, at(20));
  EXPECT_EQ(history.record_or_restart(3, at(30)), RecordResult::kRestarted);
  const auto points = history.points();
  EXPECT_EQ(std::vector<WatermarkPoint>(points.begin(), points.end()), to_points({{3, 30}}));
  EXPECT_EQ(history.record_or_restart(8, at(40)), RecordResult::kAppended);
  EXPECT_EQ(history.size(), 2u);
}

TEST(WatermarkHistoryRestart, StaleTimeIsRejectedEvenWithLowerOffset) {
  WatermarkHistory history;
  history.record(5'000, at(10));
  EXPECT_EQ(history.record_or_restart(3, at(10)), RecordResult::kRejectedStaleTime);
  EXPECT_EQ(history.points().front().offset, 5'000);
}

TEST(WatermarkHistoryRestart, BehavesLikeRecordOtherwise) {
  WatermarkHistory history;
  EXPECT_EQ(history.record_or_restart(10, at(1)), RecordResult::kAppended);
  EXPECT_EQ(history.record_or_restart(10, at(2)), RecordResult::kAppended);
  EXPECT_EQ(history.record_or_restart(10, at(3)), RecordResult::kExtendedFlat);
  EXPECT_EQ(history.record_or_restart(-1, at(4)), RecordResult::kRejectedInvalidOffset);
  EXPECT_EQ(history.size(), 2u);
}

TEST(WatermarkHistoryRestart, ResetEmptiesAndAcceptsAnyNextPoint) {
  WatermarkHistory history;
  history.record(100, at(100));
  history.reset();
  EXPECT_TRUE(history.empty());
  EXPECT_EQ(history.record(1, at(1)), RecordResult::kAppended);
}

TEST(RecordResultNames, AreStable) {
  EXPECT_EQ(to_string(RecordResult::kAppended), "appended");
  EXPECT_EQ(to_string(RecordResult::kExtendedFlat), "extended_flat");
  EXPECT_EQ(to_string(RecordResult::kRestarted), "restarted");
  EXPECT_EQ(to_string(RecordResult::kRejectedStaleTime), "rejected_stale_time");
  EXPECT_EQ(to_string(RecordResult::kRejectedOffsetWentBack), "rejected_offset_went_back");
  EXPECT_EQ(to_string(RecordResult::kRejectedInvalidOffset), "rejected_invalid_offset");
}

}  // namespace
}  // namespace lagwatch::lag
