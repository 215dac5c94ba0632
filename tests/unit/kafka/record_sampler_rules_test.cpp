// The sampler's rules without a broker: how requests are grouped and answered in order, and
// what each kind of fetched message means for the offset being read.

#include <gtest/gtest.h>

#include "kafka/internal/record_sampler_classify.h"
#include "kafka/internal/record_sampler_plan.h"

namespace lagwatch::kafka::detail {
namespace {

using Outcome = Sample::Outcome;

Sample reading(int64_t offset) {
  Sample sample;
  sample.requested_offset = offset;
  return sample;
}

FetchedMessage record(int64_t offset, int64_t timestamp_ms,
                      rd_kafka_timestamp_type_t type = RD_KAFKA_TIMESTAMP_CREATE_TIME) {
  FetchedMessage message;
  message.offset = offset;
  message.timestamp_ms = timestamp_ms;
  message.timestamp_type = type;
  return message;
}

FetchedMessage failure(rd_kafka_resp_err_t err, int64_t offset) {
  FetchedMessage message;
  message.err = err;
  message.offset = offset;
  message.error_text = rd_kafka_err2str(err);
  return message;
}

TEST(RecordSamplerPlan, GroupsOffsetsPerPartitionDistinctAndAscending) {
  SamplePlan plan({{"a", 0, 7}, {"b", 1, 2}, {"a", 0, 3}, {"a", 0, 7}, {"a", 1, 5}});
  ASSERT_EQ(plan.partitions().size(), 3u);
  PartitionPlan* a0 = plan.find("a", 0);
  ASSERT_NE(a0, nullptr);
  EXPECT_EQ(a0->offsets, (std::vector<int64_t>{3, 7}));
  EXPECT_EQ(a0->current_offset(), 3);
  EXPECT_EQ(plan.find("b", 0), nullptr);
  EXPECT_EQ(plan.find("c", 1), nullptr);
}

TEST(RecordSamplerPlan, AnswersEveryRequestInItsOrderAndUnansweredOnesTimeOut) {
  const std::vector<SampleRequest> requests{{"a", 0, 7}, {"b", 1, 2}, {"a", 0, 3}, {"a", 0, 7}};
  SamplePlan plan(requests);
  PartitionPlan* a0 = plan.find("a", 0);
  ASSERT_NE(a0, nullptr);
  ASSERT_TRUE(apply_fetched(record(3, 1003), a0->current_sample()));
  ++a0->next;
  ASSERT_TRUE(apply_fetched(record(7, 1007), a0->current_sample()));
  ++a0->next;
  EXPECT_TRUE(a0->finished());

  const std::vector<Sample> results = plan.results(requests);
  ASSERT_EQ(results.size(), requests.size());
  for (size_t i = 0; i < requests.size(); ++i) {
    EXPECT_EQ(results[i].topic, requests[i].topic) << i;
    EXPECT_EQ(results[i].partition, requests[i].partition) << i;
    EXPECT_EQ(results[i].requested_offset, requests[i].offset) << i;
  }
  EXPECT_EQ(results[0].timestamp_ms, 1007);
  EXPECT_EQ(results[1].outcome, Outcome::kTimedOut);
  EXPECT_EQ(results[1].timestamp_ms, -1);
  EXPECT_EQ(results[2].timestamp_ms, 1003);
  EXPECT_EQ(results[3].timestamp_ms, 1007);
}

TEST(RecordSamplerClassify, RecordAtTheOffsetIsExact) {
  Sample sample = reading(5);
  ASSERT_TRUE(apply_fetched(record(5, 1234, RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME), sample));
  EXPECT_EQ(sample.outcome, Outcome::kTimestamp);
  EXPECT_EQ(sample.timestamp_ms, 1234);
  EXPECT_EQ(sample.timestamp_type, Sample::TimestampType::kLogAppendTime);
  EXPECT_EQ(sample.offset_read, 5);
  EXPECT_FALSE(sample.error.has_value());
}

TEST(RecordSamplerClassify, LaterRecordIsNotExactButKeepsItsTimestamp) {
  Sample sample = reading(5);
  ASSERT_TRUE(apply_fetched(record(9, 2000), sample));
  EXPECT_EQ(sample.outcome, Outcome::kNotExact);
  EXPECT_EQ(sample.timestamp_ms, 2000);
  EXPECT_EQ(sample.timestamp_type, Sample::TimestampType::kCreateTime);
  EXPECT_EQ(sample.offset_read, 9);
}

TEST(RecordSamplerClassify, EarlierRecordDoesNotAnswer) {
  Sample sample = reading(5);
  EXPECT_FALSE(apply_fetched(record(4, 1000), sample));
  EXPECT_EQ(sample.outcome, Outcome::kTimedOut);
  EXPECT_EQ(sample.offset_read, -1);
}

TEST(RecordSamplerClassify, RecordWithoutTimestampIsAnError) {
  Sample sample = reading(5);
  ASSERT_TRUE(apply_fetched(record(5, -1, RD_KAFKA_TIMESTAMP_NOT_AVAILABLE), sample));
  EXPECT_EQ(sample.outcome, Outcome::kError);
  ASSERT_TRUE(sample.error.has_value());
  EXPECT_EQ(sample.timestamp_ms, -1);
}

TEST(RecordSamplerClassify, EndOfPartitionIsNoRecordWithTheEndOffset) {
  Sample sample = reading(10);
  ASSERT_TRUE(apply_fetched(failure(RD_KAFKA_RESP_ERR__PARTITION_EOF, 10), sample));
  EXPECT_EQ(sample.outcome, Outcome::kNoRecord);
  EXPECT_EQ(sample.offset_read, 10);
  EXPECT_FALSE(sample.error.has_value());
}

TEST(RecordSamplerClassify, OutOfRangeInBothSpellings) {
  for (const auto err :
       {RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET, RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE}) {
    Sample sample = reading(3);
    ASSERT_TRUE(apply_fetched(failure(err, 3), sample));
    EXPECT_EQ(sample.outcome, Outcome::kOffsetOutOfRange) << rd_kafka_err2name(err);
    EXPECT_EQ(sample.timestamp_ms, -1);
  }
}

TEST(RecordSamplerClassify, OtherErrorsAreKeptWithTheirCode) {
  Sample sample = reading(3);
  ASSERT_TRUE(apply_fetched(failure(RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED, 3), sample));
  EXPECT_EQ(sample.outcome, Outcome::kError);
  ASSERT_TRUE(sample.error.has_value());
  EXPECT_EQ(sample.error->code, static_cast<int>(RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED));
}

// A partition being read at `offsets[0]`, which `message` has just answered.
PartitionPlan answered_first(std::vector<int64_t> offsets, const FetchedMessage& message) {
  PartitionPlan plan;
  plan.topic = "t";
  plan.offsets = std::move(offsets);
  for (int64_t offset : plan.offsets) plan.samples.push_back(reading(offset));
  EXPECT_TRUE(apply_fetched(message, plan.current_sample()));
  return plan;
}

TEST(RecordSamplerStream, ARecordAnswersEveryOffsetUpToItsOwn) {
  // Offsets 3 and 5 hold no record (compacted): 7 is the first record at or after 2, 3, 5 and 7.
  const FetchedMessage seven = record(7, 7000);
  PartitionPlan plan = answered_first({2, 3, 5, 7, 9}, seven);
  EXPECT_TRUE(advance_in_stream(seven, 100, plan));  // 9 is 2 records of 100 bytes away
  EXPECT_EQ(plan.next, 4u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(plan.samples[i].outcome, Outcome::kNotExact) << i;
    EXPECT_EQ(plan.samples[i].offset_read, 7);
    EXPECT_EQ(plan.samples[i].timestamp_ms, 7000);
  }
  EXPECT_EQ(plan.samples[3].outcome, Outcome::kTimestamp);
  EXPECT_EQ(plan.samples[4].outcome, Outcome::kTimedOut);  // still to be read
}

TEST(RecordSamplerStream, AFarNextOffsetIsRestartedAt) {
  const FetchedMessage record_at_10 = record(10, 1000);
  // 1 MiB of 1 KiB records is 1,024 offsets: at 1,034 the partition reads on, past it restarts.
  PartitionPlan near = answered_first({10, 1034}, record_at_10);
  EXPECT_TRUE(advance_in_stream(record_at_10, 1024, near));
  PartitionPlan far = answered_first({10, 1035}, record_at_10);
  EXPECT_FALSE(advance_in_stream(record_at_10, 1024, far));
  EXPECT_EQ(far.next, 1u);
  EXPECT_EQ(far.samples[1].outcome, Outcome::kTimedOut);
}

TEST(RecordSamplerStream, TheLogEndAnswersOffsetsUpToItAndRestartsBeyond) {
  // Only transaction markers from 4 on: no record at or after 4 nor 6; 6 is the log end itself;
  // 8 lies past the log end, which only a fetch at 8 reports (out of range).
  const FetchedMessage end = failure(RD_KAFKA_RESP_ERR__PARTITION_EOF, 6);
  PartitionPlan plan = answered_first({4, 6, 8}, end);
  EXPECT_FALSE(advance_in_stream(end, 0, plan));
  EXPECT_EQ(plan.next, 2u);
  EXPECT_EQ(plan.samples[1].outcome, Outcome::kNoRecord);
  EXPECT_EQ(plan.samples[1].offset_read, 6);
  EXPECT_EQ(plan.samples[2].outcome, Outcome::kTimedOut);
}

TEST(RecordSamplerStream, AnErrorAnswersOnlyTheOffsetBeingRead) {
  const FetchedMessage out_of_range = failure(RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET, 3);
  PartitionPlan plan = answered_first({3, 4}, out_of_range);
  EXPECT_FALSE(advance_in_stream(out_of_range, 100, plan));
  EXPECT_EQ(plan.next, 1u);
  EXPECT_EQ(plan.samples[0].outcome, Outcome::kOffsetOutOfRange);
  EXPECT_EQ(plan.samples[1].outcome, Outcome::kTimedOut);
}

TEST(RecordSamplerStream, TheLastOffsetFinishesThePartition) {
  const FetchedMessage last = record(5, 500);
  PartitionPlan plan = answered_first({5}, last);
  EXPECT_FALSE(advance_in_stream(last, 100, plan));
  EXPECT_TRUE(plan.finished());
}

TEST(RecordSamplerNames, EveryOutcomeHasItsOwnName) {
  EXPECT_STREQ(sample_outcome_name(Outcome::kTimestamp), "timestamp");
  EXPECT_STREQ(sample_outcome_name(Outcome::kOffsetOutOfRange), "offset_out_of_range");
  EXPECT_STREQ(sample_outcome_name(Outcome::kNotExact), "not_exact");
  EXPECT_STREQ(sample_outcome_name(Outcome::kNoRecord), "no_record");
  EXPECT_STREQ(sample_outcome_name(Outcome::kTimedOut), "timed_out");
  EXPECT_STREQ(sample_outcome_name(Outcome::kError), "error");
  EXPECT_STREQ(timestamp_type_name(Sample::TimestampType::kCreateTime), "create_time");
  EXPECT_STREQ(timestamp_type_name(Sample::TimestampType::kLogAppendTime), "log_append_time");
  EXPECT_STREQ(timestamp_type_name(Sample::TimestampType::kNotAvailable), "not_available");
}

}  // namespace
}  // namespace lagwatch::kafka::detail
