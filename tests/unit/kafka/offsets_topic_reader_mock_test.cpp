// OffsetsTopicReader against librdkafka's mock cluster: its thread reads a __consumer_offsets
// the test writes offset commits to in the broker's own key/value format (Metadata, ListOffsets
// and read_committed Fetch over loopback).

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "../offsets/sample_records.h"
#include "kafka/offsets_topic_reader.h"
#include "mock_cluster.h"

namespace lagwatch::kafka {
namespace {

using offsets::testing::offset_commit_key;
using offsets::testing::offset_commit_value;
using test_support::MockCluster;

constexpr const char* kTopic = "__consumer_offsets";
// Only a broken reader gets near it; nothing asserts on elapsed time.
constexpr auto kWaitLimit = std::chrono::minutes(1);

class OffsetsTopicReaderMock : public ::testing::Test {
 protected:
  // A commit of `group` on orders/`partition`, written to `log_partition` of the topic.
  void commit(int32_t log_partition, const std::string& group, int32_t partition,
              std::optional<int64_t> offset) {
    mock_.produce_record(kTopic, log_partition, offset_commit_key(1, group, "orders", partition),
                         offset ? std::optional(offset_commit_value(3, *offset)) : std::nullopt);
  }

  std::unique_ptr<OffsetsTopicReader> start(offsets::GroupFilter watched = {}) {
    ClientSettings settings;
    settings.bootstrap_servers = mock_.bootstraps();
    ReaderOptions options;
    options.retry_interval = std::chrono::milliseconds(200);
    options.watched_groups = std::move(watched);
    auto started = OffsetsTopicReader::start(settings, options);
    EXPECT_TRUE(started.has_value()) << started.error().to_string();
    return started.has_value() ? std::move(started).value() : nullptr;
  }

  // Waits until the reader has replayed the topic and read every partition up to `ends`.
  static SyncResult reach(OffsetsTopicReader& reader, const std::vector<int64_t>& ends) {
    const auto give_up = std::chrono::steady_clock::now() + kWaitLimit;
    SyncResult result;
    while (std::chrono::steady_clock::now() < give_up) {
      result = reader.sync(ends, std::chrono::seconds(1));
      const bool there = result.available && result.caught_up &&
                         result.behind.size() == ends.size() &&
                         std::all_of(result.behind.begin(), result.behind.end(),
                                     [](int64_t behind) { return behind == 0; });
      if (there) return result;
      // sync() returns at once while the topic is unavailable (not attached yet).
      if (!result.available) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return result;
  }

  // The offset `group` committed on orders/`partition` as the reader knows it.
  static std::optional<int64_t> committed(const OffsetsTopicReader& reader,
                                          const std::string& group, int32_t partition) {
    std::optional<int64_t> offset;
    reader.read([&](const offsets::GroupStateTracker& tracker, const ReaderStatus&) {
      const offsets::TrackedGroup* state = tracker.find(group);
      if (state == nullptr) return;
      auto it = state->commits.find(offsets::TopicPartitionView{"orders", partition});
      if (it != state->commits.end()) offset = it->second.offset;
    });
    return offset;
  }

  static ReaderStatus status(const OffsetsTopicReader& reader) {
    ReaderStatus copy;
    reader.read([&](const offsets::GroupStateTracker&, const ReaderStatus& s) { copy = s; });
    return copy;
  }

  static uint64_t commits_counted(const OffsetsTopicReader& reader, const std::string& group) {
    uint64_t count = 0;
    reader.read([&](const offsets::GroupStateTracker& tracker, const ReaderStatus&) {
      if (const offsets::TrackedGroup* state = tracker.find(group)) count = state->offset_commits;
    });
    return count;
  }

  MockCluster mock_;
};

TEST_F(OffsetsTopicReaderMock, ReplaysTheTopicThenFollowsIt) {
  mock_.create_topic(kTopic, 2);
  commit(0, "billing", 0, 42);
  commit(0, "billing", 0, 57);
  commit(1, "audit", 3, 9);
  auto reader = start();
  ASSERT_NE(reader, nullptr);

  const SyncResult replayed = reach(*reader, {2, 1});
  ASSERT_TRUE(replayed.caught_up) << replayed.error;
  EXPECT_EQ(committed(*reader, "billing", 0), 57);
  EXPECT_EQ(committed(*reader, "audit", 3), 9);
  const ReaderStatus after_replay = status(*reader);
  EXPECT_EQ(after_replay.partitions, 2);
  EXPECT_EQ(after_replay.records_read, 3u);
  EXPECT_EQ(after_replay.counts.applied, 3u);
  EXPECT_EQ(after_replay.positions, (std::vector<int64_t>{2, 1}));
  // The replay is the baseline: what it read happened before the reader started.
  EXPECT_EQ(commits_counted(*reader, "billing"), 0u);

  commit(0, "billing", 0, 60);
  commit(1, "audit", 3, std::nullopt);  // the group's offset was deleted
  ASSERT_TRUE(reach(*reader, {3, 2}).caught_up);
  EXPECT_EQ(committed(*reader, "billing", 0), 60);
  EXPECT_EQ(committed(*reader, "audit", 3), std::nullopt);
  EXPECT_EQ(commits_counted(*reader, "billing"), 1u);
}

TEST_F(OffsetsTopicReaderMock, KeepsOnlyTheWatchedGroups) {
  mock_.create_topic(kTopic, 1);
  commit(0, "billing", 0, 42);
  commit(0, "audit", 0, 7);
  auto reader = start([](std::string_view group) { return group == "billing"; });
  ASSERT_NE(reader, nullptr);
  ASSERT_TRUE(reach(*reader, {2}).caught_up);
  EXPECT_EQ(committed(*reader, "billing", 0), 42);
  EXPECT_EQ(committed(*reader, "audit", 0), std::nullopt);
  EXPECT_EQ(status(*reader).counts.unwatched, 1u);
}

// A new cluster has no __consumer_offsets until its first commit: the reader waits for the
// topic, and everything written to it is news.
TEST_F(OffsetsTopicReaderMock, ReadsATopicCreatedAfterItStarted) {
  auto reader = start();
  ASSERT_NE(reader, nullptr);
  const SyncResult empty = reach(*reader, {});
  ASSERT_TRUE(empty.available) << empty.error;
  EXPECT_TRUE(empty.caught_up);
  EXPECT_EQ(status(*reader).partitions, 0);

  mock_.create_topic(kTopic, 1);
  commit(0, "billing", 0, 5);
  const auto give_up = std::chrono::steady_clock::now() + kWaitLimit;
  while (status(*reader).partitions == 0 && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the reader looks every 2 s
  }
  ASSERT_TRUE(reach(*reader, {1}).caught_up);
  EXPECT_EQ(committed(*reader, "billing", 0), 5);
  EXPECT_EQ(commits_counted(*reader, "billing"), 1u);
}

// A refusal drops what was read and is retried: once the topic may be read again, the reader
// replays it from the start.
TEST_F(OffsetsTopicReaderMock, ARefusedTopicIsReportedAndRetried) {
  mock_.create_topic(kTopic, 1);
  commit(0, "billing", 0, 42);
  rd_kafka_mock_topic_set_error(mock_.cluster(), kTopic,
                                RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED);
  auto reader = start();
  ASSERT_NE(reader, nullptr);
  const auto give_up = std::chrono::steady_clock::now() + kWaitLimit;
  ReaderStatus refused = status(*reader);
  while (refused.error.empty() && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    refused = status(*reader);
  }
  EXPECT_FALSE(refused.available);
  EXPECT_TRUE(refused.unauthorized) << refused.error;
  EXPECT_EQ(committed(*reader, "billing", 0), std::nullopt);

  rd_kafka_mock_topic_set_error(mock_.cluster(), kTopic, RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_TRUE(reach(*reader, {1}).caught_up);
  EXPECT_EQ(committed(*reader, "billing", 0), 42);
  EXPECT_TRUE(status(*reader).error.empty());
}

}  // namespace
}  // namespace lagwatch::kafka
