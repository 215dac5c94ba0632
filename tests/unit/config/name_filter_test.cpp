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
  ASSERT_TRUE(std::holds_alternative<NameFilter>(compiled)) << c.description;
  EXPECT_EQ(std::get<NameFilter>(compiled).matches(c.name), c.expected) << c.description;
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
        FilterCase{"empty name with empty allow", {}, {}, "", true}));

TEST(NameFilterCompileTest, ReportsTheFirstInvalidAllowPattern) {
  const auto compiled = NameFilter::compile({"ok", "(", "["}, {"also-bad-("});
  ASSERT_TRUE(std::holds_alternative<PatternError>(compiled));
  const auto& error = std::get<PatternError>(compiled);
  EXPECT_FALSE(error.in_deny);
  EXPECT_EQ(error.index, 1u);
  EXPECT_EQ(error.message, "unbalanced parentheses or unsupported group");
}

TEST(NameFilterCompileTest, ReportsAnInvalidDenyPattern) {
  const auto compiled = NameFilter::compile({"ok"}, {"fine", "[a"});
  ASSERT_TRUE(std::holds_alternative<PatternError>(compiled));
  const auto& error = std::get<PatternError>(compiled);
  EXPECT_TRUE(error.in_deny);
  EXPECT_EQ(error.index, 1u);
  EXPECT_EQ(error.message, "unbalanced square brackets");
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
