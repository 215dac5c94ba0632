// RecordSampler against librdkafka's built-in mock cluster: real Fetch requests over loopback,
// records with known timestamps.

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <memory>
#include <string>
#include <vector>

#include "kafka/record_sampler.h"
#include "mock_cluster.h"

namespace lagwatch::kafka {
namespace {

using Outcome = Sample::Outcome;
using std::chrono::milliseconds;

constexpr int64_t kBaseTimestampMs = 1'700'000'000'000;
// Generous: only a broken sampler gets near it, and nothing asserts on elapsed time.
constexpr milliseconds kTimeout{20000};

int64_t timestamp_of(int32_t partition, int64_t offset) {
  return kBaseTimestampMs + partition * 100'000 + offset * 10;
}

using test_support::MockCluster;

class RecordSamplerMockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ClientSettings settings;
    settings.bootstrap_servers = mock_.bootstraps();
    // A group.id given for the main client must not turn the sampler into a group member.
    settings.properties.push_back({"group.id", "must-be-ignored", false});
    auto created = RecordSampler::create(settings);
    ASSERT_TRUE(created.has_value()) << created.error().to_string();
    sampler_ = std::move(created).value();
  }

  MockCluster mock_{timestamp_of};
  std::unique_ptr<RecordSampler> sampler_;
};

TEST_F(RecordSamplerMockTest, ReadsTheTimestampOfTheRecordAtEachOffset) {
  mock_.create_topic("orders", 2);
  mock_.produce("orders", 0, 10);
  mock_.produce("orders", 1, 4);

  const std::vector<SampleRequest> requests{
      {"orders", 0, 3}, {"orders", 1, 0}, {"orders", 0, 9}, {"orders", 0, 3}};
  const std::vector<Sample> samples = sampler_->sample(requests, kTimeout);

  ASSERT_EQ(samples.size(), requests.size());
  for (size_t i = 0; i < requests.size(); ++i) {
    const Sample& sample = samples[i];
    EXPECT_EQ(sample.topic, requests[i].topic);
    EXPECT_EQ(sample.partition, requests[i].partition);
    EXPECT_EQ(sample.requested_offset, requests[i].offset);
    EXPECT_EQ(sample.outcome, Outcome::kTimestamp)
        << i << ": " << sample_outcome_name(sample.outcome);
    EXPECT_EQ(sample.offset_read, requests[i].offset) << i;
    EXPECT_EQ(sample.timestamp_ms, timestamp_of(requests[i].partition, requests[i].offset)) << i;
    EXPECT_EQ(sample.timestamp_type, Sample::TimestampType::kCreateTime) << i;
  }
}

TEST_F(RecordSamplerMockTest, TellsLogEndAndOutOfRangeApart) {
  mock_.create_topic("events", 1);
  mock_.produce("events", 0, 5);

  const std::vector<Sample> samples =
      sampler_->sample({{"events", 0, 5}, {"events", 0, 50}, {"events", 0, 4}}, kTimeout);

  ASSERT_EQ(samples.size(), 3u);
  EXPECT_EQ(samples[0].outcome, Outcome::kNoRecord) << sample_outcome_name(samples[0].outcome);
  EXPECT_EQ(samples[0].offset_read, 5);
  EXPECT_EQ(samples[0].timestamp_ms, -1);
  EXPECT_EQ(samples[1].outcome, Outcome::kOffsetOutOfRange)
      << sample_outcome_name(samples[1].outcome);
  EXPECT_EQ(samples[1].timestamp_ms, -1);
  EXPECT_EQ(samples[2].outcome, Outcome::kTimestamp) << sample_outcome_name(samples[2].outcome);
  EXPECT_EQ(samples[2].timestamp_ms, timestamp_of(0, 4));
}

TEST_F(RecordSamplerMockTest, SamplesHundredsOfPartitionsInOneCall) {
  constexpr int kPartitions = 300;
  mock_.create_topic("wide", kPartitions);
  std::vector<SampleRequest> requests;
  for (int32_t p = 0; p < kPartitions; ++p) {
    mock_.write("wide", p, 3);
    // Every third partition is asked at its log end, the others at a record.
    requests.push_back({"wide", p, p % 3 == 0 ? 3 : p % 3});
  }
  mock_.flush();

  const std::vector<Sample> samples = sampler_->sample(requests, kTimeout);

  ASSERT_EQ(samples.size(), requests.size());
  int exact = 0;
  int at_end = 0;
  for (size_t i = 0; i < samples.size(); ++i) {
    const Sample& sample = samples[i];
    if (requests[i].offset == 3) {
      EXPECT_EQ(sample.outcome, Outcome::kNoRecord) << i;
      at_end += sample.outcome == Outcome::kNoRecord;
    } else {
      EXPECT_EQ(sample.outcome, Outcome::kTimestamp) << i;
      EXPECT_EQ(sample.timestamp_ms, timestamp_of(requests[i].partition, requests[i].offset)) << i;
      exact += sample.outcome == Outcome::kTimestamp;
    }
  }
  EXPECT_EQ(exact, 200);
  EXPECT_EQ(at_end, 100);
}

TEST_F(RecordSamplerMockTest, SameSamplerServesConsecutiveCalls) {
  mock_.create_topic("again", 1);
  mock_.produce("again", 0, 6);

  for (int64_t offset : {5, 1, 1, 3}) {
    const std::vector<Sample> samples = sampler_->sample({{"again", 0, offset}}, kTimeout);
    ASSERT_EQ(samples.size(), 1u);
    EXPECT_EQ(samples[0].outcome, Outcome::kTimestamp) << offset;
    EXPECT_EQ(samples[0].timestamp_ms, timestamp_of(0, offset));
  }
}

TEST_F(RecordSamplerMockTest, MissingPartitionTimesOutWithoutHoldingBackTheOthers) {
  mock_.create_topic("small", 1);
  mock_.produce("small", 0, 2);

  const std::vector<Sample> samples =
      sampler_->sample({{"small", 0, 1}, {"small", 7, 0}}, milliseconds(1500));

  ASSERT_EQ(samples.size(), 2u);
  EXPECT_EQ(samples[0].outcome, Outcome::kTimestamp) << sample_outcome_name(samples[0].outcome);
  EXPECT_EQ(samples[0].timestamp_ms, timestamp_of(0, 1));
  EXPECT_EQ(samples[1].outcome, Outcome::kTimedOut) << sample_outcome_name(samples[1].outcome);
}

TEST_F(RecordSamplerMockTest, NoRequestsNoSamples) {
  EXPECT_TRUE(sampler_->sample({}, kTimeout).empty());
}

TEST(RecordSamplerCreate, RejectsAnInvalidProperty) {
  ClientSettings settings;
  settings.bootstrap_servers = "127.0.0.1:1";
  settings.properties.push_back({"no.such.property", "1", false});
  const auto created = RecordSampler::create(settings);
  ASSERT_FALSE(created.has_value());
  EXPECT_NE(created.error().message.find("no.such.property"), std::string::npos);
}

TEST(RecordSamplerCreate, NeverShowsASecretValue) {
  ClientSettings settings;
  settings.bootstrap_servers = "127.0.0.1:1";
  settings.properties.push_back({"socket.keepalive.enable", "hunter2-secret", true});
  const auto created = RecordSampler::create(settings);
  ASSERT_FALSE(created.has_value());
  EXPECT_EQ(created.error().message.find("hunter2-secret"), std::string::npos);
}

}  // namespace
}  // namespace lagwatch::kafka
