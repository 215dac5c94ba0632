// The JSON reader of `lagwatch describe` and its tables, on documents the status API renders.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "describe/describe_command.h"
#include "describe/json_value.h"
#include "metrics/status_model.h"

namespace lagwatch::describe {
namespace {

lag::ClusterSnapshot snapshot_with(std::string group_name) {
  lag::ClusterSnapshot s;
  s.cluster = "prod";
  s.topics = {"orders"};
  s.partitions = {{0, 0, 0, 120}, {0, 1, 0, 50}};
  lag::GroupSnapshot g;
  g.name = std::move(group_name);
  g.members = 1;
  g.rebalances = 4;
  lag::GroupPartition p0;
  p0.committed_offset = 100;
  p0.lag = 20;
  p0.lag_seconds = 12.5;
  lag::GroupPartition p1;
  p1.partition = 1;
  p1.committed_offset = 50;
  p1.lag = 0;
  g.partitions = {p0, p1};
  s.groups.push_back(std::move(g));
  return s;
}

JsonValue parsed(const std::string& text) {
  auto value = parse_json(text);
  EXPECT_TRUE(value) << value.error().message << " in " << text;
  return value ? std::move(value).value() : JsonValue();
}

TEST(JsonReader, ReadsTheApiBackExactly) {
  // Control characters, quotes, backslashes and non-ASCII survive the round trip.
  const std::string name = std::string("g\"\\\n\t\x01 \xC3\xA9\xF0\x9F\x98\x80", 14);
  const auto groups = metrics::build_cluster_groups(snapshot_with(name));
  const JsonValue doc = parsed(*groups.document(name));
  ASSERT_NE(doc["name"].string(), nullptr);
  EXPECT_EQ(*doc["name"].string(), name);
  EXPECT_EQ(doc["lag"].integer(), 20);
  EXPECT_EQ(doc["lag_seconds"].number(), 12.5);
  EXPECT_EQ(doc["rebalances"].integer(), 4);
  const auto* partitions = doc["topic_partitions"].array();
  ASSERT_NE(partitions, nullptr);
  ASSERT_EQ(partitions->size(), 2u);
  EXPECT_EQ((*partitions)[0]["log_end_offset"].integer(), 120);
  EXPECT_TRUE((*partitions)[1]["lag_seconds"].is_null());
}

TEST(JsonReader, InvalidUtf8BecomesReplacementCharacters) {
  const std::string name = "g\xFF\xC3";
  const auto groups = metrics::build_cluster_groups(snapshot_with(name));
  const JsonValue doc = parsed(*groups.document(name));
  ASSERT_NE(doc["name"].string(), nullptr);
  EXPECT_EQ(*doc["name"].string(), "g\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(JsonReader, RefusesMalformedDocuments) {
  for (const std::string& bad :
       std::vector<std::string>{"", "{", "[1,]", "{\"a\"}", "\"\\x\"", "nul", "1 2", "\"\x01\"",
                                std::string(100, '[')}) {
    const auto result = parse_json(bad);
    ASSERT_FALSE(result) << bad;
    EXPECT_FALSE(result.error().message.empty());
  }
  const auto pair = parse_json("\"\\ud83d\\ude00\\ud800\"");
  ASSERT_TRUE(pair) << pair.error().message;
  EXPECT_EQ(*pair->string(), "\xF0\x9F\x98\x80\xEF\xBF\xBD");
}

TEST(DescribeTables, PartitionsLikeKafkaConsumerGroups) {
  const auto groups = metrics::build_cluster_groups(snapshot_with("payments"));
  const std::string table = partitions_table({parsed(*groups.document("payments"))});
  EXPECT_EQ(table,
            "CLUSTER  GROUP     TOPIC   PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG  "
            "LAG-SECONDS  HEALTH  REBALANCES\n"
            "prod     payments  orders  0          100             120             20   "
            "12.5         ok      4\n"
            "prod     payments  orders  1          50              50              0    "
            "-            ok      4\n");
}

TEST(DescribeTables, OneLinePerGroup) {
  const auto groups = metrics::build_cluster_groups(snapshot_with("payments"));
  const std::string table = groups_table(parsed("{\"groups\":[" + groups.api_items + "]}"));
  EXPECT_NE(table.find("CLUSTER  GROUP     STATE    MEMBERS  PARTITIONS  LAG  LAG-SECONDS  HEALTH  "
                       "REBALANCES\n"),
            std::string::npos)
      << table;
  EXPECT_NE(
      table.find("prod     payments  unknown  1        2           20   12.5         ok      4\n"),
      std::string::npos)
      << table;
}

TEST(DescribeTables, NamesCannotDriveTheTerminal) {
  EXPECT_EQ(printable("a\x1b[2Jb\n"), "a\\x1b[2Jb\\x0a");
}

TEST(DescribeCommand, UnreachableServerIsAnErrorExit) {
  // Port 1 on loopback: nothing listens there.
  EXPECT_EQ(describe_main({"--url", "http://127.0.0.1:1"}, "http://127.0.0.1:8793"), 1);
  EXPECT_EQ(describe_main({"--url", "http://127.0.0.1:1", "g"}, "http://127.0.0.1:8793"), 1);
  EXPECT_EQ(describe_main({"--bogus"}, "http://127.0.0.1:1"), 2);
  EXPECT_EQ(describe_main({"a", "b"}, "http://127.0.0.1:1"), 2);
  EXPECT_EQ(describe_main({"--url"}, "http://127.0.0.1:1"), 2);
}

}  // namespace
}  // namespace lagwatch::describe
