// format_line: every message and field value comes out escaped on one line, in both formats, and
// reads back with a strict reader.

#include "log/format.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "line_reader.h"

namespace lagwatch::log {
namespace {

using namespace std::string_literals;

constexpr std::string_view kTs = "2026-12-02T07:30:00.123Z";

struct EscapeCase {
  const char* name;
  std::string message;
  std::string logfmt_msg;  // what follows "msg=" in logfmt
  std::string json_msg;    // what follows "\"msg\":" in JSON
  std::string read_back;   // the message as a strict reader decodes it
};

std::vector<EscapeCase> escape_cases() {
  const std::string fffd = "\xEF\xBF\xBD";
  return {
      {"plain", "poll succeeded", R"("poll succeeded")", R"("poll succeeded")", "poll succeeded"},
      {"empty", "", R"("")", R"("")", ""},
      {"quote", R"(group "orders")", R"("group \"orders\"")", R"("group \"orders\"")",
       R"(group "orders")"},
      {"backslash", R"(C:\tmp\x)", R"("C:\\tmp\\x")", R"("C:\\tmp\\x")", R"(C:\tmp\x)"},
      {"newline, return, tab", "a\nb\rc\td", R"("a\nb\rc\td")", R"("a\nb\rc\td")", "a\nb\rc\td"},
      {"control bytes", "a\x01"s + "b\x1b[31mc\x7f" + "d" + '\0' + "e",
       R"("a\u0001b\u001b[31mc\u007fd\u0000e")", R"("a\u0001b\u001b[31mc\u007fd\u0000e")",
       "a\x01"s + "b\x1b[31mc\x7f" + "d" + '\0' + "e"},
      {"C1 control", "x\xC2\x85y", R"("x\u0085y")", R"("x\u0085y")", "x\xC2\x85y"},
      {"valid UTF-8 kept",
       "gr\xC3\xB6\xC3\x9F"
       "e \xE2\x9C\x93 \xF0\x9F\x98\x80",
       "\"gr\xC3\xB6\xC3\x9F"
       "e \xE2\x9C\x93 \xF0\x9F\x98\x80\"",
       "\"gr\xC3\xB6\xC3\x9F"
       "e \xE2\x9C\x93 \xF0\x9F\x98\x80\"",
       "gr\xC3\xB6\xC3\x9F"
       "e \xE2\x9C\x93 \xF0\x9F\x98\x80"},
      {"stray byte", "a\xFFz", R"("a\ufffdz")", R"("a\ufffdz")", "a" + fffd + "z"},
      {"truncated sequence", "a\xE2\x9C", R"("a\ufffd\ufffd")", R"("a\ufffd\ufffd")",
       "a" + fffd + fffd},
      {"overlong slash", "\xC0\xAF", R"("\ufffd\ufffd")", R"("\ufffd\ufffd")", fffd + fffd},
      {"surrogate", "\xED\xA0\x80", R"("\ufffd\ufffd\ufffd")", R"("\ufffd\ufffd\ufffd")",
       fffd + fffd + fffd},
      {"beyond U+10FFFF", "\xF4\x90\x80\x80", R"("\ufffd\ufffd\ufffd\ufffd")",
       R"("\ufffd\ufffd\ufffd\ufffd")", fffd + fffd + fffd + fffd},
      {"injected field", "ok\" level=error msg=\"forged", R"("ok\" level=error msg=\"forged")",
       R"("ok\" level=error msg=\"forged")", "ok\" level=error msg=\"forged"},
  };
}

TEST(LogFormat, MessagesAreEscapedInBothFormats) {
  for (const auto& c : escape_cases()) {
    SCOPED_TRACE(c.name);
    const std::string logfmt = format_line(Format::kLogfmt, kTs, Level::kWarn, c.message, {});
    EXPECT_EQ(logfmt, "ts=" + std::string(kTs) + " level=warn msg=" + c.logfmt_msg + "\n");
    const std::string json = format_line(Format::kJson, kTs, Level::kWarn, c.message, {});
    EXPECT_EQ(json, "{\"ts\":\"" + std::string(kTs) +
                        "\",\"level\":\"warn\",\"msg\":" + c.json_msg + "}\n");

    const auto from_logfmt = testing::read_logfmt(logfmt);
    ASSERT_TRUE(from_logfmt.has_value()) << logfmt;
    EXPECT_EQ(testing::value_of(*from_logfmt, "msg"), c.read_back);
    EXPECT_EQ(testing::value_of(*from_logfmt, "level"), "warn");
    const auto from_json = testing::read_json(json);
    ASSERT_TRUE(from_json.has_value()) << json;
    EXPECT_EQ(testing::value_of(*from_json, "msg"), c.read_back);
    EXPECT_EQ(testing::value_of(*from_json, "level"), "warn");
  }
}

TEST(LogFormat, FieldsFollowInOrderQuotedOnlyWhenNeeded) {
  const std::vector<Field> fields = {{"facility", "FAIL"},
                                     {"client", "rdkafka#producer-1"},
                                     {"reason", "connection refused"},
                                     {"empty", ""},
                                     {"eq", "a=b"},
                                     {"bad key", "x"}};
  EXPECT_EQ(format_line(Format::kLogfmt, kTs, Level::kInfo, "m", fields),
            "ts=2026-12-02T07:30:00.123Z level=info msg=\"m\" facility=FAIL "
            "client=rdkafka#producer-1 reason=\"connection refused\" empty=\"\" eq=\"a=b\" "
            "bad_key=x\n");
  EXPECT_EQ(format_line(Format::kJson, kTs, Level::kInfo, "m", fields),
            R"({"ts":"2026-12-02T07:30:00.123Z","level":"info","msg":"m","facility":"FAIL",)"
            R"("client":"rdkafka#producer-1","reason":"connection refused","empty":"","eq":"a=b",)"
            R"("bad key":"x"})"
            "\n");
}

TEST(LogFormat, FieldValuesAreEscapedLikeMessages) {
  for (const auto& c : escape_cases()) {
    SCOPED_TRACE(c.name);
    const std::vector<Field> fields = {{"facility", c.message}};
    const auto from_logfmt =
        testing::read_logfmt(format_line(Format::kLogfmt, kTs, Level::kError, "m", fields));
    ASSERT_TRUE(from_logfmt.has_value());
    EXPECT_EQ(testing::value_of(*from_logfmt, "facility"), c.read_back);
    const auto from_json =
        testing::read_json(format_line(Format::kJson, kTs, Level::kError, "m", fields));
    ASSERT_TRUE(from_json.has_value());
    EXPECT_EQ(testing::value_of(*from_json, "facility"), c.read_back);
  }
}

TEST(LogFormat, QuoteEscapesLikeTheLines) {
  for (const auto& c : escape_cases()) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(quote(c.message), c.json_msg);
  }
}

TEST(LogFormat, LevelAndFormatNames) {
  const std::vector<std::pair<std::string_view, Level>> levels = {{"debug", Level::kDebug},
                                                                  {"info", Level::kInfo},
                                                                  {"warn", Level::kWarn},
                                                                  {"error", Level::kError}};
  for (const auto& [name, level] : levels) {
    EXPECT_EQ(parse_level(name), level);
    EXPECT_EQ(to_string(level), name);
  }
  EXPECT_EQ(parse_format("logfmt"), Format::kLogfmt);
  EXPECT_EQ(parse_format("json"), Format::kJson);
  EXPECT_EQ(to_string(Format::kJson), "json");
  for (const std::string_view bad : {"", "INFO", "warning", "trace", "Json", "text"}) {
    EXPECT_FALSE(parse_level(bad).has_value()) << bad;
    EXPECT_FALSE(parse_format(bad).has_value()) << bad;
  }
}

TEST(LogFormat, TimestampIsUtcWithMilliseconds) {
  EXPECT_EQ(format_timestamp(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_timestamp(1795939200123), "2026-11-29T08:00:00.123Z");
  EXPECT_EQ(format_timestamp(1795939200007), "2026-11-29T08:00:00.007Z");
}

}  // namespace
}  // namespace lagwatch::log
