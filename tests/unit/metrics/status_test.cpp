#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "log/format.h"
#include "metrics/exposition.h"
#include "metrics/internal/status_api.h"
#include "metrics/internal/status_page.h"
#include "metrics/status_model.h"

namespace lagwatch::metrics {
namespace {

lag::GroupSnapshot group(std::string name, std::optional<double> lag_seconds, int64_t lag) {
  lag::GroupSnapshot g;
  g.name = std::move(name);
  g.state = lag::GroupState::kStable;
  g.members = 2;
  g.rebalances = 3;
  lag::GroupPartition p;
  p.topic = 0;
  p.partition = 0;
  p.committed_offset = 100 - lag;
  p.lag = lag;
  p.lag_seconds = lag_seconds;
  g.partitions = {p};
  return g;
}

lag::ClusterSnapshot cluster(std::string name, std::vector<lag::GroupSnapshot> groups) {
  lag::ClusterSnapshot s;
  s.cluster = std::move(name);
  s.topics = {"orders"};
  s.partitions = {{0, 0, 5, 100}};
  s.groups = std::move(groups);
  return s;
}

bool valid_utf8_without_controls(const std::string& text) {
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (c < 0x20 && c != '\n' && c != '\t') return false;
      ++i;
      continue;
    }
    const size_t length = log::utf8_sequence_length(text, i);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

TEST(StatusModel, RanksByLagSecondsThenUnknownThenCaughtUp) {
  const auto groups = build_cluster_groups(cluster(
      "c", {group("a-unknown", std::nullopt, 900), group("b-slow", 100.0, 5),
            group("c-fast", 5.0, 50), group("d-mid", 50.0, 1), group("e-unknown", std::nullopt, 1),
            group("f-caught-up", 0.0, 0), group("g-caught-up", 0.0, 0)}));
  std::vector<std::string> order;
  for (const auto& g : groups.ranked) order.push_back(g.name);
  EXPECT_EQ(order, (std::vector<std::string>{"b-slow", "d-mid", "c-fast", "a-unknown", "e-unknown",
                                             "f-caught-up", "g-caught-up"}));
}

TEST(StatusModel, SumsLagAndTakesTheHighestLagSeconds) {
  auto g = group("g", 10.0, 7);
  lag::GroupPartition second = g.partitions[0];
  second.partition = 1;
  second.lag = 3;
  second.lag_seconds = 40.0;
  second.lag_seconds_lower_bound = true;
  g.partitions.push_back(second);
  const auto groups = build_cluster_groups(cluster("c", {g}));
  ASSERT_EQ(groups.ranked.size(), 1u);
  EXPECT_EQ(groups.ranked[0].lag, 10);
  EXPECT_EQ(groups.ranked[0].lag_seconds, 40.0);
  EXPECT_TRUE(groups.ranked[0].lag_seconds_lower_bound);
  EXPECT_EQ(groups.ranked[0].partitions, 2u);
}

TEST(StatusModel, DocumentsAreFoundByExactNameOnly) {
  const auto groups = build_cluster_groups(cluster("c", {group("g", 1.0, 1)}));
  ASSERT_NE(groups.document("g"), nullptr);
  EXPECT_EQ(groups.document("G"), nullptr);
  EXPECT_EQ(groups.document("g "), nullptr);
  const std::string doc = *groups.document("g");
  EXPECT_NE(doc.find("\"committed_offset\":99,\"log_end_offset\":100,\"lag\":1"), std::string::npos)
      << doc;
}

TEST(StatusApi, AnyBytesGiveValidJson) {
  std::string every_byte;
  for (int b = 1; b < 256; ++b) every_byte += static_cast<char>(b);
  every_byte += std::string(1, '\0') + "\xC3\x28\xED\xA0\x80\xF4\x90\x80\x80";  // invalid UTF-8
  const auto groups = build_cluster_groups(cluster("c\"\\", {group(every_byte, 1.0, 1)}));
  const std::string doc = *groups.document(every_byte);
  EXPECT_TRUE(valid_utf8_without_controls(doc));
  EXPECT_NE(doc.find("\"cluster\":\"c\\\"\\\\\""), std::string::npos) << doc;
  EXPECT_NE(doc.find("\\u0000"), std::string::npos);
  EXPECT_NE(doc.find("\\ufffd"), std::string::npos);
  EXPECT_TRUE(valid_utf8_without_controls(groups.api_items));
}

TEST(StatusApi, UnknownValuesAreNullNeverNegative) {
  auto g = group("g", std::nullopt, 0);
  g.partitions[0].lag.reset();
  g.rebalances.reset();
  auto snapshot = cluster("c", {g});
  snapshot.partitions.clear();  // watermarks unknown
  const auto groups = build_cluster_groups(snapshot);
  const std::string doc = *groups.document("g");
  EXPECT_NE(doc.find("\"lag\":null,\"lag_seconds\":null"), std::string::npos) << doc;
  EXPECT_NE(doc.find("\"log_end_offset\":null"), std::string::npos) << doc;
  EXPECT_NE(doc.find("\"rebalances\":null"), std::string::npos) << doc;
  EXPECT_EQ(doc.find("-1"), std::string::npos) << doc;
}

TEST(StatusApi, NumbersAreJsonNumbers) {
  std::string out;
  append_json_number(out, 12.5);
  out += ',';
  append_json_number(out, std::numeric_limits<double>::infinity());
  out += ',';
  append_json_number(out, std::numeric_limits<double>::quiet_NaN());
  EXPECT_EQ(out, "12.5,null,null");
}

TEST(StatusPage, HtmlEscape) {
  EXPECT_EQ(html_escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(html_escape(std::string("a\0b\x1b[31m", 8)),
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD[31m");
  EXPECT_EQ(html_escape("\xFF\xC3\xA9"), "\xEF\xBF\xBD\xC3\xA9");  // invalid byte, then é
  EXPECT_EQ(html_escape("tab\tand\nnewline"), "tab\tand\nnewline");
}

TEST(StatusPage, GroupNamesAreEscaped) {
  const auto groups =
      build_cluster_groups(cluster("c", {group("<script>alert(1)</script>", 1.0, 1)}));
  ASSERT_EQ(groups.page_rows.size(), 1u);
  EXPECT_EQ(groups.page_rows[0].find("<script>"), std::string::npos);
  EXPECT_NE(groups.page_rows[0].find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
}

TEST(StatusPage, ListsGroupsOfAllClustersInRankOrder) {
  const auto a =
      build_cluster_groups(cluster("a", {group("a-low", 2.0, 1), group("a-top", 90.0, 1)}));
  const auto b = build_cluster_groups(cluster("b", {group("b-mid", 30.0, 1)}));
  StatusPageInput input;
  input.cluster_names = {"a", "b"};
  input.statuses = {ClusterStatus{}, ClusterStatus{}};
  input.groups = {&a, &b};
  const std::string html = render_status_page(input);
  const size_t top = html.find("a-top"), mid = html.find("b-mid"), low = html.find("a-low");
  ASSERT_NE(top, std::string::npos);
  ASSERT_NE(mid, std::string::npos);
  ASSERT_NE(low, std::string::npos);
  EXPECT_LT(top, mid);
  EXPECT_LT(mid, low);
  EXPECT_NE(html.find("3 groups."), std::string::npos);
}

TEST(StatusPage, ShowsClusterStatusAndConfiguration) {
  ClusterStatus status{true, 1700000000.0, 4, ""};
  status.poll_duration_seconds = 0.25;
  status.stage_seconds = {{"metadata", 0.01}, {"watermarks", 0.02}};
  status.shard = "1/3";
  status.series = 1234;
  status.offsets_source = "__consumer_offsets";
  status.rebalance_source = "describe polls (a lower bound)";
  status.unauthorized = {"topic <payroll>: not authorized"};
  StatusPageInput input;
  input.cluster_names = {"prod"};
  input.statuses = {status};
  input.groups = {nullptr};
  input.readiness = "ready\n";
  input.configuration = "[[clusters]]\nname = \"<prod>\"\n";
  const std::string html = render_status_page(input);
  EXPECT_NE(html.find("data-unix=\"1700000000.000\""), std::string::npos);
  EXPECT_NE(html.find("at 2023-11-14 22:13:20 UTC"), std::string::npos);
  EXPECT_NE(html.find("<span class=\"stage\">metadata 0.010 s</span>, <span "
                      "class=\"stage\">watermarks 0.020 s</span>"),
            std::string::npos);
  EXPECT_NE(html.find("<td>1/3</td>"), std::string::npos);
  EXPECT_NE(html.find(">1234<"), std::string::npos);
  EXPECT_NE(html.find("describe polls (a lower bound)"), std::string::npos);
  EXPECT_NE(html.find("<td>topic &lt;payroll&gt;: not authorized</td>"), std::string::npos);
  EXPECT_NE(html.find("name = &quot;&lt;prod&gt;&quot;"), std::string::npos);
  EXPECT_NE(html.find("<h2>Readiness</h2>"), std::string::npos);
}

// 5,000 groups, the shown ones with names of Kafka's maximal 32,767 bytes, more partitions than
// shown: the page stays bounded and says how many groups it leaves out; the API has all.
TEST(StatusPage, SizeIsBoundedWithManyGroups) {
  std::vector<lag::GroupSnapshot> many;
  for (int i = 0; i < 5000; ++i) {
    const std::string number = std::to_string(i);
    auto g = group(number + std::string(i >= 4900 ? 32767 - number.size() : 20, 'x'), i, i);
    for (int p = 1; p < 60; ++p) {
      auto partition = g.partitions[0];
      partition.partition = p;
      g.partitions.push_back(partition);
    }
    many.push_back(std::move(g));
  }
  const auto groups = build_cluster_groups(cluster("c", std::move(many)));
  StatusPageInput input;
  input.cluster_names = {"c"};
  input.statuses = {ClusterStatus{}};
  input.groups = {&groups};
  const std::string html = render_status_page(input);
  EXPECT_LT(html.size(), 2u << 20);
  EXPECT_NE(html.find("The 100 groups with the highest lag of 5000; 4900 more"), std::string::npos);
  EXPECT_NE(html.find("10 more partitions"), std::string::npos);
  EXPECT_NE(html.find("(32767 bytes)"), std::string::npos);
  EXPECT_EQ(groups.by_name.size(), 5000u);
  // The highest lag first: group 4999.
  EXPECT_LT(html.find("4999xxx"), html.find("4998xxx"));
}

TEST(Exposition, PublishesPageAndApiOfTheSamePoll) {
  SelfMetrics self;
  Exposition exposition({"a", "b"}, self);
  const auto a = cluster("a", {group("slow", 120.0, 40), group("fast", 1.0, 1)});
  exposition.publish(0, render_cluster(a), {true, 1000.0, 2, ""},
                     std::make_shared<const ClusterGroups>(build_cluster_groups(a)));
  exposition.set_configuration("[server]\nlisten_address = \"0.0.0.0:8793\"\n");
  auto body = exposition.current();
  EXPECT_NE(body->status_html.find("slow"), std::string::npos);
  EXPECT_NE(body->status_html.find("listen_address"), std::string::npos);
  EXPECT_NE(body->api_groups.find("\"name\":\"slow\""), std::string::npos);
  EXPECT_LT(body->api_groups.find("\"slow\""), body->api_groups.find("\"fast\""));
  EXPECT_NE(body->api_clusters.find("\"name\":\"b\",\"up\":false"), std::string::npos)
      << body->api_clusters;
  ASSERT_NE(body->group_document("a", "slow"), nullptr);
  EXPECT_EQ(body->group_document("b", "slow"), nullptr);
  EXPECT_EQ(body->group_document("a", "nope"), nullptr);

  // A failed poll keeps the groups of the last success; a removed cluster's go.
  exposition.publish(0, std::nullopt, {false, 1000.0, 2, "broker down"});
  EXPECT_NE(exposition.current()->group_document("a", "slow"), nullptr);
  exposition.remove_cluster(0);
  EXPECT_EQ(exposition.current()->group_document("a", "slow"), nullptr);
  EXPECT_EQ(exposition.current()->api_groups, "{\"groups\":[]}\n");
}

}  // namespace
}  // namespace lagwatch::metrics
