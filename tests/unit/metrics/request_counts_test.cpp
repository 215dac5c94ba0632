#include "metrics/request_counts.h"

#include <gtest/gtest.h>

namespace lagwatch::metrics {
namespace {

// The shape of librdkafka's statistics: one object per broker, each with a flat "req" object.
constexpr std::string_view kStatistics = R"({
  "name": "lagwatch#consumer-1", "type": "consumer", "ts": 1, "brokers": {
    "GroupCoordinator": { "name": "GroupCoordinator", "nodeid": -1,
      "req": { "Produce": 0, "OffsetFetch": 0 }, "toppars": {} },
    "127.0.0.1:9092/1": { "name": "127.0.0.1:9092/1", "nodeid": 1, "int_latency": { "min": 0 },
      "req": { "Produce": 0, "Fetch": 12, "ListOffsets": 3, "Metadata": 2,
               "OffsetFetch": 1000, "FindCoordinator": 1000 },
      "toppars": { "t-0": { "topic": "t" } } },
    "127.0.0.1:9093/2": { "name": "127.0.0.1:9093/2", "nodeid": 2,
      "req":{"Fetch":8,"ListOffsets":1,"DescribeGroups":1} } },
  "topics": {} })";

TEST(RequestTotals, SumsEveryBrokersRequestsByApi) {
  const RequestTotals totals = request_totals(kStatistics);
  EXPECT_EQ(totals.at("Fetch"), 20u);
  EXPECT_EQ(totals.at("ListOffsets"), 4u);
  EXPECT_EQ(totals.at("Metadata"), 2u);
  EXPECT_EQ(totals.at("OffsetFetch"), 1000u);
  EXPECT_EQ(totals.at("FindCoordinator"), 1000u);
  EXPECT_EQ(totals.at("DescribeGroups"), 1u);
  EXPECT_EQ(totals.at("Produce"), 0u);
}

TEST(RequestTotals, OddTextGivesWhatCouldBeRead) {
  EXPECT_TRUE(request_totals("").empty());
  EXPECT_TRUE(request_totals("{\"req\": 5}").empty());
  EXPECT_TRUE(request_totals("{\"req\": {\"Fetch\": x}}").empty());
  const auto truncated = request_totals("{\"req\": {\"Fetch\": 3, \"Meta");
  EXPECT_EQ(truncated.at("Fetch"), 3u);
  EXPECT_EQ(truncated.size(), 1u);
}

}  // namespace
}  // namespace lagwatch::metrics
