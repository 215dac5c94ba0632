// The catch-up rule of the `__consumer_offsets` reader (exporter/kafka/offsets_topic_progress.h,
// header-only and free of librdkafka, so it is tested here beside the records it is about).

#include "kafka/internal/offsets_topic_progress.h"

#include <gtest/gtest.h>

namespace lagwatch::kafka {
namespace {

TEST(OffsetsTopicProgress, NoPartitionsIsCaughtUpAtOnce) {
  OffsetsTopicProgress progress;
  EXPECT_TRUE(progress.done());
}

TEST(OffsetsTopicProgress, EmptyPartitionNeedsNoReading) {
  OffsetsTopicProgress progress;
  EXPECT_TRUE(progress.expect(0, 0, 0));
  EXPECT_TRUE(progress.expect(1, 7, 7));  // compacted or truncated down to nothing
  EXPECT_TRUE(progress.done());
}

TEST(OffsetsTopicProgress, PartitionIsReadAtTheRecordBeforeTheWatermark) {
  OffsetsTopicProgress progress;
  EXPECT_FALSE(progress.expect(0, 0, 10));
  EXPECT_FALSE(progress.consumed(0, 3));
  EXPECT_FALSE(progress.consumed(0, 8));
  EXPECT_FALSE(progress.done());
  EXPECT_TRUE(progress.consumed(0, 9));
  EXPECT_TRUE(progress.done());
}

TEST(OffsetsTopicProgress, RecordPastTheWatermarkAlsoFinishes) {
  OffsetsTopicProgress progress;
  progress.expect(0, 0, 10);
  // Offsets 5-9 were compacted away and the next record was written after start-up.
  EXPECT_TRUE(progress.consumed(0, 12));
  EXPECT_TRUE(progress.done());
}

TEST(OffsetsTopicProgress, EndOfPartitionFinishesWhateverTheLastOffset) {
  OffsetsTopicProgress progress;
  progress.expect(0, 0, 10);
  progress.expect(1, 0, 4);
  EXPECT_TRUE(progress.reached_end(0));
  EXPECT_FALSE(progress.done());
  EXPECT_TRUE(progress.reached_end(1));
  EXPECT_TRUE(progress.done());
}

TEST(OffsetsTopicProgress, EventsOfFinishedOrUnknownPartitionsChangeNothing) {
  OffsetsTopicProgress progress;
  progress.expect(0, 0, 2);
  progress.expect(1, 0, 5);
  EXPECT_TRUE(progress.consumed(0, 1));
  EXPECT_FALSE(progress.consumed(0, 2));
  EXPECT_FALSE(progress.reached_end(0));
  EXPECT_FALSE(progress.reached_end(7));
  EXPECT_FALSE(progress.consumed(7, 100));
  EXPECT_EQ(progress.pending(), 1U);
  EXPECT_TRUE(progress.is_pending(1));
  EXPECT_FALSE(progress.is_pending(0));
}

TEST(OffsetsTopicProgress, PartitionAddedWhileReplayingIsWaitedFor) {
  OffsetsTopicProgress progress;
  progress.expect(0, 0, 1);
  EXPECT_TRUE(progress.consumed(0, 0));
  EXPECT_TRUE(progress.done());
  progress.expect(1, 0, 3);
  EXPECT_FALSE(progress.done());
}

}  // namespace
}  // namespace lagwatch::kafka

namespace lagwatch::kafka {
namespace {

TEST(OffsetsTopicProgress, RemainingCountsRecordsLeftInPendingPartitions) {
  OffsetsTopicProgress progress;
  progress.expect(0, 0, 100);
  progress.expect(1, 50, 80);
  progress.expect(2, 0, 0);  // empty: not pending
  EXPECT_EQ(progress.remaining({0, 50, 0}), 130);
  EXPECT_EQ(progress.remaining({40, 70}), 70);
  progress.consumed(0, 99);
  EXPECT_EQ(progress.remaining({100, 70}), 10);
  EXPECT_EQ(progress.remaining({}), 80);  // unknown positions count from 0
}

TEST(RecordsBehind, ZeroOnceEveryPartitionReachedItsEnd) {
  const std::vector<PartitionEnd> ends{{0, 0, 10}, {1, 5, 5}, {2, 20, 30}};
  EXPECT_EQ(records_behind(ends, {10, 5, 30}), 0);
  EXPECT_EQ(records_behind(ends, {12, 5, 31}), 0);  // read past: transaction markers
  EXPECT_EQ(records_behind(ends, {4, 0, 25}), 11);
  EXPECT_EQ(records_behind(ends, {10}), 10);  // partition 2 unread: counts from its low
  EXPECT_EQ(records_behind(ends, {0, 0, 0}), 20);
}

}  // namespace
}  // namespace lagwatch::kafka
