// [log]: format and level, their defaults, and every way the section can be wrong.

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

TEST(LogSectionTest, DefaultsToLogfmtAtInfo) {
  const Config config = config_or_fail(parse(kCluster, "t.toml"));
  EXPECT_EQ(config.log.format, log::Format::kLogfmt);
  EXPECT_EQ(config.log.level, log::Level::kInfo);
  const Config empty_section = config_or_fail(parse("[log]\n" + kCluster, "t.toml"));
  EXPECT_EQ(empty_section.log.format, log::Format::kLogfmt);
  EXPECT_EQ(empty_section.log.level, log::Level::kInfo);
}

TEST(LogSectionTest, ReadsEveryFormatAndLevel) {
  for (const auto& [format_name, format] :
       {std::pair{"logfmt", log::Format::kLogfmt}, std::pair{"json", log::Format::kJson}}) {
    for (const auto& [level_name, level] :
         {std::pair{"debug", log::Level::kDebug}, std::pair{"info", log::Level::kInfo},
          std::pair{"warn", log::Level::kWarn}, std::pair{"error", log::Level::kError}}) {
      const std::string toml = std::string("[log]\nformat = \"") + format_name + "\"\nlevel = \"" +
                               level_name + "\"\n" + kCluster;
      const Config config = config_or_fail(parse(toml, "t.toml"));
      EXPECT_EQ(config.log.format, format) << toml;
      EXPECT_EQ(config.log.level, level) << toml;
      const std::string described = describe_redacted(config);
      EXPECT_NE(described.find(std::string("\n[log]\nformat = \"") + format_name +
                               "\"\nlevel = \"" + level_name + "\"\n"),
                std::string::npos)
          << described;
    }
  }
}

TEST(LogSectionTest, DescribedConfigReadsBackTheSame) {
  const Config config =
      config_or_fail(parse("[log]\nformat = \"json\"\nlevel = \"warn\"\n" + kCluster, "t.toml"));
  const Config again = config_or_fail(parse(describe_redacted(config), "described.toml"));
  EXPECT_EQ(again.log.format, log::Format::kJson);
  EXPECT_EQ(again.log.level, log::Level::kWarn);
}

class LogSectionErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(LogSectionErrorTest, ReportsFileLineKeyAndMessage) {
  EXPECT_EQ(testing::error_text(parse(GetParam().toml, "t.toml")), GetParam().expected)
      << GetParam().toml;
}

INSTANTIATE_TEST_SUITE_P(
    Log, LogSectionErrorTest,
    ::testing::Values(
        ErrorCase{"UnknownKey", "[log]\nformt = \"json\"\n" + kCluster,
                  "t.toml:2: log.formt: unknown key (allowed: format, level)"},
        ErrorCase{"UnknownFormat", "[log]\nformat = \"text\"\n" + kCluster,
                  "t.toml:2: log.format: unknown value \"text\" (allowed: \"logfmt\", "
                  "\"json\")"},
        ErrorCase{"FormatCase", "[log]\nformat = \"JSON\"\n" + kCluster,
                  "t.toml:2: log.format: unknown value \"JSON\" (allowed: \"logfmt\", "
                  "\"json\")"},
        ErrorCase{"UnknownLevel", "[log]\nlevel = \"warning\"\n" + kCluster,
                  "t.toml:2: log.level: unknown value \"warning\" (allowed: \"debug\", "
                  "\"info\", \"warn\", \"error\")"},
        ErrorCase{"LevelType", "[log]\nlevel = 3\n" + kCluster,
                  "t.toml:2: log.level: expected a string, found integer"},
        ErrorCase{"NotATable", "log = \"json\"\n" + kCluster,
                  "t.toml:1: log: expected a table, found string"}),
    case_name);

}  // namespace
}  // namespace lagwatch::config
