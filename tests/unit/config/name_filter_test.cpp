#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config/config.h"

namespace lagwatch::config {
namespace {

struct FilterCase {
  std::string description;
  std::vector<std::string> allow;
  std::vector<std::string> deny;
  std::string name;
  bool expected;
};

class NameFilterTest : public ::testing::TestWithParam<FilterCase> {};

TEST_P(NameFilterTest, Matches) {
  const auto& c = GetParam();
  EXPECT_EQ(NameFilter(c.allow, c.deny).matches(c.name), c.expected) << c.description;
  const auto compiled = NameFilter::compile(c.allow, c.deny);
  ASSERT_TRUE(compiled) << c.description << ": " << compiled.error().message;
  EXPECT_EQ(compiled->matches(c.name), c.expected) << c.description;
}

INSTANTIATE_TEST_SUITE_P(
    Table, NameFilterTest,
    ::testing::Values(
        FilterCase{"empty filter allows all", {}, {}, "anything", true},
        FilterCase{"empty allow allows all but deny", {}, {"^__.*"}, "orders", true},
        FilterCase{"deny applies with empty allow", {}, {"^__.*"}, "__consumer_offsets", false},
        FilterCase{"allow must match whole name", {"pay"}, {}, "payments", false},
        FilterCase{"allow with wildcard", {"pay.*"}, {}, "payments", true},
        FilterCase{"anchor alone does not make a prefix match", {"^pay"}, {}, "payments", false},
        FilterCase{"any allow pattern suffices", {"a.*", "b.*"}, {}, "billing", true},
        FilterCase{"no allow pattern matches", {"a.*", "b.*"}, {}, "orders", false},
        FilterCase{"deny wins over allow", {".*"}, {"test-.*"}, "test-1", false},
        FilterCase{"deny must match whole name", {".*"}, {"test"}, "test-1", true},
        FilterCase{"character classes work", {"group-[0-9]+"}, {}, "group-42", true},
        FilterCase{"escaped dot is literal", {"a\\.b"}, {}, "axb", false},
        FilterCase{"empty name with empty allow", {}, {}, "", true},
        FilterCase{"dot is one UTF-8 character", {"gr.ße"}, {}, "grüße", true},
        FilterCase{"RE2 named group", {"(?P<team>[a-z]+)-app"}, {}, "billing-app", true},
        FilterCase{"dollar is an anchor, not a prefix", {"(a+)+$"}, {}, "aaa", true}));

TEST(NameFilterCompileTest, ReportsTheFirstInvalidAllowPattern) {
  const auto compiled = NameFilter::compile({"ok", "(", "["}, {"also-bad-("});
  ASSERT_FALSE(compiled);
  EXPECT_EQ(compiled.error().message, "invalid regular expression \"(\": unbalanced parentheses");
}

// Patterns are RE2: what needs backtracking (back references, lookaround) is rejected when the
// config is loaded, in our own words.
struct RejectedCase {
  std::string pattern;
  std::string message;
};

class NameFilterRejectsTest : public ::testing::TestWithParam<RejectedCase> {};

TEST_P(NameFilterRejectsTest, NamesTheProblem) {
  const auto compiled = NameFilter::compile({GetParam().pattern}, {});
  ASSERT_FALSE(compiled) << GetParam().pattern;
  EXPECT_EQ(compiled.error().message,
            "invalid regular expression \"" + GetParam().pattern + "\": " + GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Re2Dialect, NameFilterRejectsTest,
    ::testing::Values(
        RejectedCase{"(a)\\1", "invalid escape sequence (RE2 has no back references)"},
        RejectedCase{"a(?=b)", "unsupported group syntax (RE2 has no lookahead or lookbehind)"},
        RejectedCase{"a(?<!b)", "unsupported group syntax (RE2 has no lookahead or lookbehind)"},
        RejectedCase{"a)", "unbalanced parentheses"},
        RejectedCase{"[z-a]", "invalid character range"},
        RejectedCase{"a**", "invalid repetition operator"},
        RejectedCase{"*a", "repetition operator without anything to repeat"},
        RejectedCase{"x{1001}", "invalid repetition count in braces"},
        RejectedCase{"a\\", "trailing backslash"}, RejectedCase{"\\q", "invalid escape sequence"},
        RejectedCase{"caf\xe9", "invalid UTF-8"}));

// Names as long as Kafka allows (group ids up to 32,767 bytes) match without deep recursion.
TEST(NameFilterTest, MatchesNamesOfKafkasMaximumLength) {
  const std::string longest(32767, 'g');
  EXPECT_TRUE(NameFilter({".*"}, {}).matches(longest));
  EXPECT_TRUE(NameFilter({"g+"}, {}).matches(longest));
  EXPECT_TRUE(NameFilter({"(g|h)*"}, {}).matches(longest));
  EXPECT_FALSE(NameFilter({".*"}, {"g*"}).matches(longest));
  EXPECT_FALSE(NameFilter({"(g|h)*x"}, {}).matches(longest));
}

// A pattern that backtracking engines take exponential time on is linear in RE2.
TEST(NameFilterTest, CatastrophicPatternsAnswerAtOnce) {
  const std::string hostile = std::string(30, 'a') + "!";
  EXPECT_FALSE(NameFilter({"(a+)+$"}, {}).matches(hostile));
  EXPECT_FALSE(NameFilter({"(a|aa)+"}, {}).matches(hostile));
  EXPECT_FALSE(NameFilter({"(a*)*b"}, {}).matches(std::string(32767, 'a')));
  EXPECT_TRUE(NameFilter({".*"}, {"(a+)+$"}).matches(hostile));
}

TEST(NameFilterCompileTest, ReportsAnInvalidDenyPattern) {
  const auto compiled = NameFilter::compile({"ok"}, {"fine", "[a"});
  ASSERT_FALSE(compiled);
  EXPECT_EQ(compiled.error().message,
            "invalid regular expression \"[a\": unbalanced square brackets");
}

TEST(NameFilterTest, InvalidPatternInConstructorMatchesNothing) {
  const NameFilter filter({".*"}, {"("});
  EXPECT_FALSE(filter.matches("anything"));
}

TEST(NameFilterTest, KeepsPatternsForDisplay) {
  const NameFilter filter({"a.*"}, {"b.*", "c"});
  EXPECT_EQ(filter.allow_patterns(), std::vector<std::string>{"a.*"});
  EXPECT_EQ(filter.deny_patterns(), (std::vector<std::string>{"b.*", "c"}));
}

TEST(NameFilterTest, CopiesMatchLikeTheOriginal) {
  const NameFilter original({"keep-.*"}, {"keep-not"});
  const NameFilter copy = original;
  EXPECT_TRUE(copy.matches("keep-1"));
  EXPECT_FALSE(copy.matches("keep-not"));
  EXPECT_FALSE(copy.matches("other"));
}

}  // namespace
}  // namespace lagwatch::config
