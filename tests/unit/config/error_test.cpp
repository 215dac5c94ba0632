#include <gtest/gtest.h>

#include "config/config.h"

namespace lagwatch::config {
namespace {

TEST(ErrorToStringTest, FileLineKeyMessage) {
  EXPECT_EQ((Error{"a.toml", 7, "poll.interval", "bad"}).to_string(),
            "a.toml:7: poll.interval: bad");
}

TEST(ErrorToStringTest, LeavesOutUnknownLine) {
  EXPECT_EQ((Error{"a.toml", 0, "clusters", "missing"}).to_string(), "a.toml: clusters: missing");
}

TEST(ErrorToStringTest, LeavesOutEmptyKey) {
  EXPECT_EQ((Error{"a.toml", 3, "", "syntax"}).to_string(), "a.toml:3: syntax");
  EXPECT_EQ((Error{"a.toml", 0, "", "cannot read"}).to_string(), "a.toml: cannot read");
}

}  // namespace
}  // namespace lagwatch::config
