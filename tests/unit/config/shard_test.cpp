#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "config/config.h"

namespace lagwatch::config {
namespace {

struct ShardCase {
  std::string text;
  bool valid;
  uint32_t index;
  uint32_t count;
};

class ParseShardTest : public ::testing::TestWithParam<ShardCase> {};

TEST_P(ParseShardTest, ParsesOrRejects) {
  const auto& c = GetParam();
  const std::optional<Shard> shard = parse_shard(c.text);
  ASSERT_EQ(shard.has_value(), c.valid) << "input: \"" << c.text << "\"";
  if (shard) {
    EXPECT_EQ(shard->index, c.index);
    EXPECT_EQ(shard->count, c.count);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, ParseShardTest,
    ::testing::Values(ShardCase{"0/1", true, 0, 1}, ShardCase{"1/3", true, 1, 3},
                      ShardCase{"2/3", true, 2, 3}, ShardCase{"0/4294967295", true, 0, 4294967295u},
                      ShardCase{"3/3", false, 0, 0}, ShardCase{"0/0", false, 0, 0},
                      ShardCase{"1/0", false, 0, 0}, ShardCase{"-1/2", false, 0, 0},
                      ShardCase{"+1/2", false, 0, 0}, ShardCase{"1 / 2", false, 0, 0},
                      ShardCase{"1/2/3", false, 0, 0}, ShardCase{"1", false, 0, 0},
                      ShardCase{"/2", false, 0, 0}, ShardCase{"1/", false, 0, 0},
                      ShardCase{"", false, 0, 0}, ShardCase{"0/4294967296", false, 0, 0},
                      ShardCase{"a/b", false, 0, 0}));

}  // namespace
}  // namespace lagwatch::config
