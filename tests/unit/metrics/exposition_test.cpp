#include "metrics/exposition.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "metrics/internal/gzip.h"

namespace lagwatch::metrics {
namespace {

std::string gunzip(const std::string& data) {
  z_stream stream{};
  inflateInit2(&stream, 15 + 16);
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  std::string out;
  int rc = Z_OK;
  while (rc == Z_OK) {
    char buffer[65536];
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    rc = inflate(&stream, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - stream.avail_out);
  }
  // Trailing bytes after the gzip member would mean the stream was not one whole member.
  const bool whole = rc == Z_STREAM_END && stream.avail_in == 0;
  inflateEnd(&stream);
  return whole ? out : "<inflate failed>";
}

std::string join(const std::vector<std::string_view>& pieces) {
  std::string out;
  for (const auto piece : pieces) out += piece;
  return out;
}

std::string header(Family family) {
  const FamilyInfo& info = kFamilies[static_cast<size_t>(family)];
  return std::string("# HELP ") + info.name + " " + info.help + "\n# TYPE " + info.name + " " +
         info.type + "\n";
}

// The merge as it was when the body held one joined string: the reference for the bytes served.
std::string joined_the_old_way(const std::vector<ClusterExposition>& clusters,
                               const std::string& self_text) {
  std::string text;
  for (size_t f = 0; f < kFamilyCount; ++f) {
    bool any = false;
    for (const auto& cluster : clusters) any = any || !cluster.series[f].empty();
    if (!any) continue;
    text += header(static_cast<Family>(f));
    for (const auto& cluster : clusters) text += cluster.series[f];
  }
  return text + self_text;
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
  const std::string text = exposition.current()->joined_text();
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
  EXPECT_NE(body->joined_text().find("partition=\"0\"} 7\n"), std::string::npos);
  EXPECT_TRUE(body->ready);  // it did succeed once
  EXPECT_EQ(gunzip(body->gzip), body->joined_text());
  EXPECT_NE(body->status_html.find("broker down"), std::string::npos);
  EXPECT_NE(body->status_html.find("href=\"/metrics\""), std::string::npos);
}

// A reload removes cluster "a" and adds "c": a's series and landing-page row go at once, c
// takes a's free slot and holds readiness back until its first poll, b is untouched.
TEST(Exposition, ReloadedClustersComeAndGo) {
  SelfMetrics self;
  Exposition exposition({"a", "b"}, self);
  exposition.publish(0, render_cluster(one_group("a", 3)), {true, 1000.0, 1, ""});
  exposition.publish(1, render_cluster(one_group("b", 4)), {true, 1001.0, 1, ""});
  ASSERT_TRUE(exposition.current()->ready);

  exposition.remove_cluster(0);
  auto body = exposition.current();
  EXPECT_EQ(body->joined_text().find("kafka_cluster=\"a\""), std::string::npos);
  EXPECT_NE(body->joined_text().find("kafka_cluster=\"b\""), std::string::npos);
  EXPECT_EQ(body->status_html.find("<tr><td>a</td>"), std::string::npos);
  EXPECT_NE(body->status_html.find("<tr><td>b</td>"), std::string::npos);
  EXPECT_TRUE(body->ready);
  exposition.publish(0, render_cluster(one_group("a", 5)), {true, 1002.0, 1, ""});
  EXPECT_EQ(exposition.current()->joined_text().find("kafka_cluster=\"a\""), std::string::npos)
      << "a late publication of a removed cluster is dropped";

  const size_t slot = exposition.add_cluster("c");
  EXPECT_EQ(slot, 0u);
  EXPECT_FALSE(exposition.current()->ready);
  exposition.publish(slot, render_cluster(one_group("c", 6)), {true, 1003.0, 1, ""});
  body = exposition.current();
  EXPECT_TRUE(body->ready);
  EXPECT_NE(body->joined_text().find("lagwatch_group_partition_lag{kafka_cluster=\"c\""),
            std::string::npos);
  EXPECT_EQ(exposition.add_cluster("d"), 2u);
}

TEST(SelfMetrics, ClusterLabelsAreOnTheClustersOwnSeries) {
  SelfMetrics self;
  self.set_cluster_labels("a", {{"env", "prod"}});
  self.set_poll_result("a", true, 0.5);
  self.record_stage("a", "list_groups", 1, 0);
  self.set_poll_result("b", true, 0.5);
  const std::string text = self.render();
  EXPECT_NE(text.find("lagwatch_up{env=\"prod\",kafka_cluster=\"a\"} 1"), std::string::npos)
      << text;
  EXPECT_NE(text.find("{env=\"prod\",kafka_cluster=\"a\",stage=\"list_groups\"} 1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("lagwatch_up{kafka_cluster=\"b\"} 1"), std::string::npos) << text;
}

// An admin client renewed after a timeout (or a reconnect for new secrets) reports totals from
// zero again: its first 3 Fetches are new requests, not a shrink below the old handle's 10.
TEST(SelfMetrics, ARenewedHandleCountsFromZero) {
  SelfMetrics self;
  self.record_requests("a", "admin", {{"Fetch", 10}});
  self.restart_request_count("a", "admin");
  self.record_requests("a", "admin", {{"Fetch", 3}});
  self.record_requests("a", "admin", {{"Fetch", 5}});
  const std::string text = self.render();
  EXPECT_NE(text.find("lagwatch_kafka_requests_total{api=\"Fetch\",kafka_cluster=\"a\"} 15"),
            std::string::npos)
      << text;
}

TEST(SelfMetrics, ForgettingAClusterRemovesOnlyItsSeries) {
  SelfMetrics self;
  for (const char* cluster : {"a", "b"}) {
    self.set_poll_result(cluster, true, 0.5);
    self.record_stage(cluster, "list_groups", 2, 1);
    self.set_unauthorized(cluster, 1, 0, false);
  }
  self.forget_cluster("a");
  const std::string text = self.render();
  EXPECT_EQ(text.find("kafka_cluster=\"a\""), std::string::npos) << text;
  EXPECT_NE(text.find("lagwatch_up{kafka_cluster=\"b\"} 1"), std::string::npos) << text;
  EXPECT_NE(text.find("kafka_cluster=\"b\",stage=\"list_groups\"} 2"), std::string::npos) << text;
}

// Pollers of different clusters publish while scrapes read: every body seen is whole (its gzip
// is its text), and once both pollers are done the body holds both clusters' last data. Run
// under TSan, it also checks that building outside the scrape lock races with nothing.
TEST(Exposition, ConcurrentPublishesAndScrapesSeeWholeBodies) {
  SelfMetrics self;
  Exposition exposition({"a", "b"}, self);
  constexpr int kPublishes = 9;  // committed offsets 1..9 below the watermark 10
  std::atomic<bool> done{false};
  std::atomic<int> bad{0};
  std::thread scraper([&] {
    while (!done.load()) {
      const auto body = exposition.current();
      if (gunzip(body->gzip) != body->joined_text()) bad.fetch_add(1);
    }
  });
  auto publisher = [&](size_t index, const char* group) {
    for (int i = 1; i <= kPublishes; ++i) {
      exposition.publish(index, render_cluster(one_group(group, i)), {true, 1000.0 + i, 1, "", ""});
    }
  };
  std::thread a(publisher, 0, "a");
  std::thread b(publisher, 1, "b");
  a.join();
  b.join();
  done.store(true);
  scraper.join();
  EXPECT_EQ(bad.load(), 0);
  const auto body = exposition.current();
  EXPECT_TRUE(body->ready);
  const std::string text = body->joined_text();
  for (const char* cluster : {"a", "b"}) {
    EXPECT_NE(text.find("lagwatch_group_partition_committed_offset{kafka_cluster=\"" +
                        std::string(cluster) + "\",group=\"g\",topic=\"t\",partition=\"0\"} " +
                        std::to_string(kPublishes) + "\n"),
              std::string::npos)
        << text;
  }
}

TEST(Exposition, BodyOfTwoClustersIsTheOldJoinedText) {
  SelfMetrics self;
  Exposition exposition({"a", "b"}, self);
  const ClusterExposition a = render_cluster(one_group("a", 3));
  const ClusterExposition b = render_cluster(one_group("b", 4));
  exposition.publish(0, a, {true, 1000.0, 1, ""});
  exposition.publish(1, b, {true, 1001.0, 1, ""});
  const auto body = exposition.current();
  const std::string text = body->joined_text();
  EXPECT_EQ(body->text_size(), text.size());
  EXPECT_EQ(gunzip(body->gzip), text);

  // The cluster part is byte for byte what the joined body held; the self metrics follow it.
  const std::string clusters = joined_the_old_way({a, b}, "");
  ASSERT_TRUE(text.starts_with(clusters));
  const std::string self_text = text.substr(clusters.size());
  EXPECT_EQ(self_text, body->text_pieces().back());
  EXPECT_TRUE(self_text.starts_with("# HELP lagwatch_")) << self_text;
  EXPECT_NE(self_text.find("lagwatch_build_info{"), std::string::npos);
  EXPECT_EQ(self_text.find("lagwatch_group_"), std::string::npos);
  EXPECT_EQ(text, joined_the_old_way({a, b}, self_text));

  // One HELP per family present, in family order; inside a family cluster a comes before b.
  std::optional<size_t> previous;
  for (size_t f = 0; f < kFamilyCount; ++f) {
    const std::string help = header(static_cast<Family>(f));
    const bool present = !a.series[f].empty() || !b.series[f].empty();
    ASSERT_EQ(count(text, help), present ? 1u : 0u) << kFamilies[f].name;
    if (!present) continue;
    const size_t at = text.find(help);
    if (previous) {
      EXPECT_GT(at, *previous);
    }
    previous = at;
    EXPECT_EQ(text.substr(at + help.size(), a.series[f].size() + b.series[f].size()),
              a.series[f] + b.series[f]);
  }
  ASSERT_TRUE(previous.has_value());
  EXPECT_LT(*previous, text.size() - self_text.size());
}

TEST(Body, PiecesAreHeadersThenClustersInOrderThenSelf) {
  auto a = std::make_shared<ClusterExposition>();
  a->series[static_cast<size_t>(Family::kGroupPartitionLag)] = "lag{c=\"a\"} 1\n";
  a->series[static_cast<size_t>(Family::kGroupMembers)] = "members{c=\"a\"} 3\n";
  auto b = std::make_shared<ClusterExposition>();
  b->series[static_cast<size_t>(Family::kGroupPartitionLag)] = "lag{c=\"b\"} 2\n";
  b->series[static_cast<size_t>(Family::kPartitionLowWatermark)] = "low{c=\"b\"} 0\n";
  // A cluster without data yet (null) contributes nothing, and neither do empty families.
  const Body body({a, nullptr, b}, "self 1\n");
  const std::vector<std::string> expected = {
      header(Family::kGroupPartitionLag),
      "lag{c=\"a\"} 1\n",
      "lag{c=\"b\"} 2\n",
      header(Family::kGroupMembers),
      "members{c=\"a\"} 3\n",
      header(Family::kPartitionLowWatermark),
      "low{c=\"b\"} 0\n",
      "self 1\n",
  };
  ASSERT_EQ(body.text_pieces().size(), expected.size());
  std::string joined;
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(body.text_pieces()[i], expected[i]) << "piece " << i;
    joined += expected[i];
  }
  EXPECT_EQ(body.joined_text(), joined);
  EXPECT_EQ(body.text_size(), joined.size());
  EXPECT_EQ(body.joined_text(), joined_the_old_way({*a, ClusterExposition{}, *b}, "self 1\n"));
}

TEST(Body, EmptyWhenNoClusterHasDataAndNoSelfText) {
  const Body body({nullptr, std::make_shared<ClusterExposition>()}, "");
  EXPECT_TRUE(body.text_pieces().empty());
  EXPECT_EQ(body.text_size(), 0u);
  EXPECT_EQ(body.joined_text(), "");
}

TEST(Body, ShortStringsStayValidWhateverTheirCount) {
  // Every family present with tiny (SSO) series, so the headers vector grows past several
  // reallocations before the views are taken; ASan would flag a dangling view.
  auto a = std::make_shared<ClusterExposition>();
  for (size_t f = 0; f < kFamilyCount; ++f) a->series[f] = "x " + std::to_string(f) + "\n";
  const Body body({a}, "s\n");
  std::string expected;
  for (size_t f = 0; f < kFamilyCount; ++f) {
    expected += header(static_cast<Family>(f)) + "x " + std::to_string(f) + "\n";
  }
  expected += "s\n";
  EXPECT_EQ(body.joined_text(), expected);
}

TEST(Gzip, RoundTrips) {
  std::string big;
  for (int i = 0; i < 10000; ++i) big += "lagwatch_x{a=\"" + std::to_string(i) + "\"} 1\n";
  const std::string packed = gzip_compress(big);
  EXPECT_LT(packed.size(), big.size() / 5);
  EXPECT_EQ(gunzip(packed), big);
}

TEST(Gzip, NothingIsAValidEmptyStream) {
  EXPECT_EQ(gunzip(gzip_compress(std::string_view{})), "");
  EXPECT_EQ(gunzip(gzip_compress(std::span<const std::string_view>{})), "");
  const std::vector<std::string_view> empties = {"", "", ""};
  EXPECT_EQ(gunzip(gzip_compress(empties)), "");
}

TEST(Gzip, PiecesCompressAsTheirConcatenation) {
  const std::vector<std::string_view> pieces = {
      "", "# HELP m x\n", "", "", "m{a=\"1\"} 1\n", "m{a=\"2\"} 2\n", ""};
  const std::string packed = gzip_compress(pieces);
  EXPECT_EQ(gunzip(packed), join(pieces));
}

TEST(Gzip, ManyPieces) {
  std::vector<std::string> owned;
  for (int i = 0; i < 5000; ++i) {
    // Sizes 0..37 bytes, some empty, so piece boundaries fall everywhere in deflate's window.
    owned.push_back(std::string(static_cast<size_t>(i % 38), static_cast<char>('a' + i % 26)));
  }
  const std::vector<std::string_view> pieces(owned.begin(), owned.end());
  EXPECT_EQ(gunzip(gzip_compress(pieces)), join(pieces));
}

TEST(Gzip, PieceLargerThanTheInitialReservation) {
  // Incompressible bytes: the output is about as large as the input, far beyond the reserved
  // eighth, so the output has to grow (and move) several times.
  std::string noise(3 << 20, '\0');
  uint32_t x = 2463534242u;
  for (char& c : noise) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    c = static_cast<char>(x);
  }
  const std::string text(1 << 20, 'm');
  const std::vector<std::string_view> pieces = {"head\n", noise, "", text,
                                                std::string_view(noise).substr(7, 100)};
  const std::string packed = gzip_compress(pieces);
  EXPECT_GT(packed.size(), noise.size());
  EXPECT_EQ(gunzip(packed), join(pieces));
  // A highly compressible large piece: output far below the reservation, which is trimmed.
  const std::string packed_text = gzip_compress(text);
  EXPECT_EQ(gunzip(packed_text), text);
  EXPECT_LE(packed_text.capacity(), 2 * packed_text.size() + 64 * 1024);
}

}  // namespace
}  // namespace lagwatch::metrics
