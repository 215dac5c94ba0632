#include "metrics/exposition.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include "metrics/gzip.h"

namespace lagwatch::metrics {
namespace {

std::string gunzip(const std::string& data) {
  z_stream stream{};
  inflateInit2(&stream, 15 + 16);
  std::string out(data.size() * 50 + 1024, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int rc = inflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  inflateEnd(&stream);
  return rc == Z_STREAM_END ? out : "<inflate failed>";
}

lag::ClusterSnapshot one_group(const std::string& cluster, int64_t committed) {
  lag::ClusterSnapshot s;
  s.cluster = cluster;
  s.topics = {"t"};
  s.partitions = {{0, 0, 0, 10}};
  lag::GroupSnapshot g;
  g.name = "g";
  lag::GroupPartition gp;
  gp.committed_offset = committed;
  gp.lag = 10 - committed;
  g.partitions = {gp};
  s.groups.push_back(g);
  return s;
}

size_t count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

TEST(Exposition, NotReadyUntilEveryClusterSucceeded) {
  SelfMetrics self;
  Exposition exposition({"a", "b"}, self);
  EXPECT_FALSE(exposition.current()->ready);
  exposition.publish(0, render_cluster(one_group("a", 3)), {true, 1000.0, 1, ""});
  EXPECT_FALSE(exposition.current()->ready);
  exposition.publish(1, render_cluster(one_group("b", 4)), {true, 1001.0, 1, ""});
  EXPECT_TRUE(exposition.current()->ready);
}

TEST(Exposition, MergesClustersUnderOneHelpPerFamily) {
  SelfMetrics self;
  Exposition exposition({"a", "b"}, self);
  exposition.publish(0, render_cluster(one_group("a", 3)), {true, 1000.0, 1, ""});
  exposition.publish(1, render_cluster(one_group("b", 4)), {true, 1001.0, 1, ""});
  const std::string text = exposition.current()->text;
  EXPECT_EQ(count(text, "# TYPE lagwatch_group_partition_lag gauge"), 1u);
  const size_t a = text.find("lagwatch_group_partition_lag{kafka_cluster=\"a\"");
  const size_t b = text.find("lagwatch_group_partition_lag{kafka_cluster=\"b\"");
  const size_t next_family = text.find("# HELP lagwatch_group_topic_lag");
  ASSERT_NE(a, std::string::npos);
  ASSERT_NE(b, std::string::npos);
  EXPECT_LT(a, next_family);
  EXPECT_LT(b, next_family);
  EXPECT_NE(text.find("lagwatch_build_info{"), std::string::npos);
}

TEST(Exposition, FailedPollKeepsLastDataAndGzipMatchesText) {
  SelfMetrics self;
  Exposition exposition({"a"}, self);
  exposition.publish(0, render_cluster(one_group("a", 3)), {true, 1000.0, 1, ""});
  exposition.publish(0, std::nullopt, {false, 1000.0, 1, "broker down"});
  const auto body = exposition.current();
  EXPECT_NE(body->text.find("partition=\"0\"} 7\n"), std::string::npos);
  EXPECT_TRUE(body->ready);  // it did succeed once
  EXPECT_EQ(gunzip(body->gzip), body->text);
  EXPECT_NE(body->landing_html.find("broker down"), std::string::npos);
  EXPECT_NE(body->landing_html.find("href=\"/metrics\""), std::string::npos);
}

TEST(Exposition, LandingPageEscapesHtml) {
  const std::string html = render_landing_page({"<x>"}, {ClusterStatus{}});
  EXPECT_NE(html.find("&lt;x&gt;"), std::string::npos);
  EXPECT_EQ(html.find("<x>"), std::string::npos);
  EXPECT_NE(html.find("never"), std::string::npos);
}

TEST(Gzip, RoundTrips) {
  std::string big;
  for (int i = 0; i < 10000; ++i) big += "lagwatch_x{a=\"" + std::to_string(i) + "\"} 1\n";
  const std::string packed = gzip_compress(big);
  EXPECT_LT(packed.size(), big.size() / 5);
  EXPECT_EQ(gunzip(packed), big);
}

}  // namespace
}  // namespace lagwatch::metrics
