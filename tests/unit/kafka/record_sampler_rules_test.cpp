// The sampler's rules without a broker: how requests are grouped and answered in order, and
// what each kind of fetched message means for the offset being read.

#include <gtest/gtest.h>

#include "kafka/record_sampler_classify.h"
#include "kafka/record_sampler_plan.h"

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
