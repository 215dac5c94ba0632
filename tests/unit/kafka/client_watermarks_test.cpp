// Client::watermarks against librdkafka's mock cluster.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "kafka/client.h"
#include "mock_cluster.h"

namespace lagwatch::kafka {
namespace {

using test_support::MockCluster;

// Topic "orders": partition 0 holds 5 records, partition 1 holds 3.
class ClientWatermarks : public ::testing::Test {
 protected:
  void SetUp() override {
    mock.create_topic("orders", 2);
    mock.produce("orders", 0, 5);
    mock.produce("orders", 1, 3);
    client = client_of(mock);
    ASSERT_NE(client, nullptr);
  }

  static std::unique_ptr<Client> client_of(MockCluster& mock);

  MockCluster mock;
  std::unique_ptr<Client> client;
};

std::unique_ptr<Client> ClientWatermarks::client_of(MockCluster& mock) {
  ClientSettings settings;
  settings.bootstrap_servers = mock.bootstraps();
  settings.request_timeout = std::chrono::milliseconds(10000);
  auto created = Client::create(settings);
  EXPECT_TRUE(created.has_value()) << created.error().to_string();
  return created.has_value() ? std::move(created).value() : nullptr;
}

TEST_F(ClientWatermarks, AllPartitionsOfATopicInOneCall) {
  const auto reply = client->watermarks({{"orders", 0}, {"orders", 1}}, {{"orders", 1}});
  ASSERT_TRUE(reply.has_value()) << reply.error().to_string();
  ASSERT_EQ(reply.value().size(), 2u);
  EXPECT_FALSE(reply.value()[0].error);
  EXPECT_EQ(reply.value()[0].high, 5);
  EXPECT_EQ(reply.value()[1].high, 3);
  EXPECT_EQ(reply.value()[1].low, 0);
}

// The mock cluster answers a topic it does not know partition by partition: those partitions
// get an error, the others their values.
TEST_F(ClientWatermarks, AMissingTopicFailsOnlyItsOwnPartitions) {
  const std::vector<TopicPartition> partitions{{"gone", 0}, {"orders", 0}, {"orders", 1}};
  const auto reply = client->watermarks(partitions, partitions);
  ASSERT_TRUE(reply.has_value()) << reply.error().to_string();
  ASSERT_EQ(reply.value().size(), 3u);
  EXPECT_TRUE(reply.value()[0].error);
  EXPECT_FALSE(reply.value()[1].error);
  EXPECT_EQ(reply.value()[1].high, 5);
  EXPECT_FALSE(reply.value()[2].error);
  EXPECT_EQ(reply.value()[2].high, 3);
}

// ListOffsets requests the mock broker received during `call`.
template <class Call>
size_t list_offsets_requests(MockCluster& mock, Call&& call) {
  constexpr int16_t kListOffsets = 2;
  rd_kafka_mock_start_request_tracking(mock.cluster());
  call();
  size_t count = 0;
  rd_kafka_mock_request_t** requests = rd_kafka_mock_get_requests(mock.cluster(), &count);
  size_t matching = 0;
  for (size_t i = 0; i < count; ++i) {
    if (rd_kafka_mock_request_api_key(requests[i]) == kListOffsets) ++matching;
  }
  rd_kafka_mock_request_destroy_array(requests, count);
  rd_kafka_mock_stop_request_tracking(mock.cluster());
  return matching;
}

// Log starts are read only where asked: without them one ListOffsets request, not two.
TEST_F(ClientWatermarks, LogStartsOnlyOfThePartitionsAskedFor) {
  const std::vector<TopicPartition> partitions{{"orders", 0}, {"orders", 1}};
  ASSERT_TRUE(client->watermarks(partitions, partitions).has_value());  // connections made
  EXPECT_EQ(list_offsets_requests(mock,
                                  [&] {
                                    const auto reply = client->watermarks(partitions, {});
                                    ASSERT_TRUE(reply.has_value()) << reply.error().to_string();
                                    EXPECT_EQ(reply.value()[1].high, 3);
                                  }),
            1u);
  EXPECT_EQ(list_offsets_requests(mock,
                                  [&] {
                                    ASSERT_TRUE(client->watermarks(partitions, {{"orders", 1}}));
                                  }),
            2u);
}

}  // namespace
}  // namespace lagwatch::kafka
