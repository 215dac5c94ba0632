// Names as long as Kafka allows (32,767 bytes), full of the characters the text format escapes,
// rendered in full and escaped exactly.

#include <gtest/gtest.h>

#include "metrics/cluster_renderer.h"

namespace lagwatch::metrics {
namespace {

TEST(LongNames, LongestGroupIdIsRenderedWholeAndEscaped) {
  std::string group;
  while (group.size() < 32767) group += "a\"b\\c\n";
  group.resize(32767);
  std::string escaped;
  append_escaped_label_value(escaped, group);

  lag::ClusterSnapshot snapshot;
  snapshot.cluster = "prod";
  snapshot.topics = {"t"};
  snapshot.partitions = {{0, 0, 0, 10}};
  lag::GroupSnapshot g;
  g.name = group;
  g.state = lag::GroupState::kEmpty;
  lag::GroupPartition partition;
  partition.topic = 0;
  partition.partition = 0;
  partition.committed_offset = 7;
  partition.lag = 3;
  g.partitions = {partition};
  snapshot.groups.push_back(g);

  const auto exposition = render_cluster(snapshot);
  EXPECT_EQ(exposition.series[static_cast<size_t>(Family::kGroupPartitionCommittedOffset)],
            "lagwatch_group_partition_committed_offset{kafka_cluster=\"prod\",group=\"" + escaped +
                "\",topic=\"t\",partition=\"0\"} 7\n");
  // Every escape doubles exactly one character; no raw newline or quote is left inside.
  std::size_t specials = 0;
  for (const char c : group) specials += (c == '"' || c == '\\' || c == '\n') ? 1 : 0;
  EXPECT_EQ(escaped.size(), group.size() + specials);
  EXPECT_EQ(escaped.find('\n'), std::string::npos);
}

}  // namespace
}  // namespace lagwatch::metrics
