// Non-ASCII text where toml++ 3.3 would run into undefined behaviour is refused with a clear error;
// non-ASCII text everywhere else (strings, comments, quoted keys) still parses.

#include <gtest/gtest.h>

#include <string>

#include "config/config.h"
#include "error_case.h"
#include "parse_result_helpers.h"

namespace lagwatch::config {
namespace {

using testing::case_name;
using testing::config_or_fail;
using testing::ErrorCase;
using testing::kCluster;

const std::string kProperties = kCluster + "[clusters.librdkafka]\n";  // properties from line 5
const std::string kOutside = "TOML syntax error: non-ASCII character outside a string or comment";
const std::string kAfterBackslash =
    "TOML syntax error: non-ASCII character after a backslash in a multi-line string";
const std::string kAfterContinuation =
    "unsupported: a line continued with a backslash in a multi-line string must go on with an "
    "ASCII character";

class UnsafeTextTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(UnsafeTextTest, IsRefusedBeforeTheTomlParser) {
  EXPECT_EQ(testing::error_text(parse(GetParam().toml, "t.toml")), GetParam().expected)
      << GetParam().toml;
}

INSTANTIATE_TEST_SUITE_P(
    Refused, UnsafeTextTest,
    ::testing::Values(
        // U+032A alone: the smallest input that reached toml++'s unreachable branch.
        ErrorCase{"LoneCombiningMark", "\xcc\xaa", "t.toml:1: " + kOutside},
        ErrorCase{"AfterValue", kCluster + "shard = \"0/1\"\xc3\xa9\n", "t.toml:4: " + kOutside},
        ErrorCase{"InBareKey", kCluster + "g\xc3\xa9 = 1\n", "t.toml:4: " + kOutside},
        ErrorCase{"InTableHeader", kCluster + "[clusters.\xd0\x96]\n", "t.toml:4: " + kOutside},
        ErrorCase{"AfterClosedMultiLineString",
                  kProperties + "\"client.id\" = \"\"\"a\"\"\"\"\"\xc3\xa9\n",
                  "t.toml:5: " + kOutside},
        // toml++ scans a number up to whitespace or one of ] } , # and reads quotes on the way.
        ErrorCase{"QuoteGluedToNumber", kCluster + "history_points = 2\"\xca\x87\"\n",
                  "t.toml:4: " + kOutside},
        ErrorCase{"QuoteAfterDecimalPoint", kCluster + "history_points = 1.\"\xc3\xa9\"\n",
                  "t.toml:4: " + kOutside},
        ErrorCase{"BracketGluedToNumber", kCluster + "history_points = 2[\"\xc3\xa9\"]\n",
                  "t.toml:4: " + kOutside},
        ErrorCase{"QuoteAfterString", kProperties + "\"client.id\" = \"a\"\"\xc3\xa9\"\n",
                  "t.toml:5: " + kOutside},
        ErrorCase{"AfterComment", kCluster + "# caf\xc3\xa9\n\xc3\xa9\n", "t.toml:5: " + kOutside},
        ErrorCase{"EscapedInMultiLineString",
                  kProperties + "\"client.id\" = \"\"\"a\\\xc3\xa9\"\"\"\n",
                  "t.toml:5: " + kAfterBackslash},
        ErrorCase{"AfterLineEndingBackslash",
                  kProperties + "\"client.id\" = \"\"\"\\\n  \xc2\xa7\"\"\"\n",
                  "t.toml:6: " + kAfterContinuation},
        ErrorCase{"AfterLineEndingBackslashAndBlankLines",
                  kProperties + "\"client.id\" = \"\"\"a\\  \r\n\n\t\xe3\x81\x82\"\"\"\n",
                  "t.toml:7: " + kAfterContinuation}),
    case_name);

std::string client_id_of(const std::string& value_toml) {
  const Config config =
      config_or_fail(parse(kProperties + "\"client.id\" = " + value_toml + "\n", "t.toml"));
  if (config.clusters.empty() || config.clusters[0].librdkafka.count("client.id") == 0) {
    return "<no client.id>";
  }
  return config.clusters[0].librdkafka.at("client.id").value;
}

TEST(UnsafeTextTest, NonAsciiInsideStringsIsKept) {
  EXPECT_EQ(client_id_of("\"caf\xc3\xa9\""), "caf\xc3\xa9");
  EXPECT_EQ(client_id_of("\"a\\\"\xc3\xa9\""), "a\"\xc3\xa9");
  EXPECT_EQ(client_id_of("\"a#\xc3\xa9\""), "a#\xc3\xa9");
  EXPECT_EQ(client_id_of("'\xd0\x96\"'"), "\xd0\x96\"");
  EXPECT_EQ(client_id_of("\"\"\"a\"\"\xc3\xa9\"\"\""), "a\"\"\xc3\xa9");
  EXPECT_EQ(client_id_of("\"\"\"\\\n  x\xc3\xa9\"\"\""), "x\xc3\xa9");
  EXPECT_EQ(client_id_of("'''\\\n\xc2\xa7'''"), "\\\n\xc2\xa7");
}

TEST(UnsafeTextTest, NonAsciiInCommentsQuotedKeysAndPatternsIsAccepted) {
  const Config config =
      config_or_fail(parse("\xef\xbb\xbf# Z\xc3\xbcrich \xd0\x96\n" + kCluster +
                               "[clusters.groups] # gr\xc3\xbcppen\n"
                               "allow = [\"\xc3\xbc.*\"]\n"
                               "[clusters.librdkafka]\n\"client.\xc3\xa9\" = 'x'\n",
                           "t.toml"));
  ASSERT_EQ(config.clusters.size(), 1u);
  EXPECT_TRUE(
      config.clusters[0].groups.matches("\xc3\xbc"
                                        "ber"));
  EXPECT_FALSE(config.clusters[0].groups.matches("uber"));
  EXPECT_EQ(config.clusters[0].librdkafka.count("client.\xc3\xa9"), 1u);
}

TEST(UnsafeTextTest, StringsInDottedKeysArraysAndInlineTablesAreAccepted) {
  const Config config =
      config_or_fail(parse(kCluster + "health = { window = 3 }\n[clusters.groups]\n"
                                      "allow = [ # f\xc3\xbcr\n  \"\xc3\xbc.*\",\n  '\xd0\x96' ]\n"
                                      "[clusters.librdkafka]\n\"sasl\" . \"\xc3\xa9\" = 'v'\n",
                           "t.toml"));
  ASSERT_EQ(config.clusters.size(), 1u);
  const ClusterConfig& cluster = config.clusters[0];
  EXPECT_EQ(cluster.health.window, 3u);
  EXPECT_TRUE(
      cluster.groups.matches("\xc3\xbc"
                             "ber"));
  EXPECT_TRUE(cluster.groups.matches("\xd0\x96"));
  EXPECT_FALSE(cluster.groups.matches("uber"));
  EXPECT_EQ(cluster.librdkafka.count("sasl.\xc3\xa9"), 1u);
}

}  // namespace
}  // namespace lagwatch::config
