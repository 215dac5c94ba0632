#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "config/config.h"

namespace lagwatch::config {
namespace {

using std::chrono::milliseconds;

struct DurationCase {
  std::string text;
  std::optional<milliseconds> expected;
};

class ParseDurationTest : public ::testing::TestWithParam<DurationCase> {};

TEST_P(ParseDurationTest, ParsesOrRejects) {
  const auto& [text, expected] = GetParam();
  EXPECT_EQ(parse_duration(text), expected) << "input: \"" << text << "\"";
}

INSTANTIATE_TEST_SUITE_P(
    Table, ParseDurationTest,
    ::testing::Values(
        DurationCase{"500ms", milliseconds(500)}, DurationCase{"15s", milliseconds(15'000)},
        DurationCase{"2m", milliseconds(120'000)}, DurationCase{"1h", milliseconds(3'600'000)},
        DurationCase{"1.5s", milliseconds(1'500)}, DurationCase{"0.25m", milliseconds(15'000)},
        DurationCase{"15", milliseconds(15'000)}, DurationCase{"0.5", milliseconds(500)},
        DurationCase{"0", milliseconds(0)}, DurationCase{"", std::nullopt},
        DurationCase{"s", std::nullopt}, DurationCase{"ms", std::nullopt},
        DurationCase{"15x", std::nullopt}, DurationCase{"15 s", std::nullopt},
        DurationCase{" 15s", std::nullopt}, DurationCase{"-1s", std::nullopt},
        DurationCase{"+1s", std::nullopt}, DurationCase{"1e3", std::nullopt},
        DurationCase{".5s", std::nullopt}, DurationCase{"5.s", std::nullopt},
        DurationCase{"1.2.3s", std::nullopt}, DurationCase{"15S", std::nullopt},
        DurationCase{"1d", std::nullopt}, DurationCase{"99999999999h", std::nullopt}));

struct FormatCase {
  milliseconds duration;
  std::string expected;
};

class FormatDurationTest : public ::testing::TestWithParam<FormatCase> {};

TEST_P(FormatDurationTest, UsesTheLargestExactUnitAndReadsBack) {
  const auto& [duration, expected] = GetParam();
  EXPECT_EQ(format_duration(duration), expected);
  if (duration.count() >= 0) {
    EXPECT_EQ(parse_duration(expected), duration);
  }
}

INSTANTIATE_TEST_SUITE_P(Table, FormatDurationTest,
                         ::testing::Values(FormatCase{milliseconds(0), "0s"},
                                           FormatCase{milliseconds(500), "500ms"},
                                           FormatCase{milliseconds(1'500), "1500ms"},
                                           FormatCase{milliseconds(15'000), "15s"},
                                           FormatCase{milliseconds(90'000), "90s"},
                                           FormatCase{milliseconds(120'000), "2m"},
                                           FormatCase{milliseconds(7'200'000), "2h"},
                                           FormatCase{milliseconds(-500), "-500ms"}));

}  // namespace
}  // namespace lagwatch::config
