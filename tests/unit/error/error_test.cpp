// The one error vocabulary: how each kind of error reads, and Result's std::expected-like use.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "error/result.h"

namespace lagwatch {
namespace {

TEST(ErrorToString, ConfigurationErrorsNameFileLineAndKey) {
  EXPECT_EQ(Error::config("a.toml", 7, "poll.interval", "bad").to_string(),
            "a.toml:7: poll.interval: bad");
  EXPECT_EQ(Error::config("a.toml", 0, "clusters", "missing").to_string(),
            "a.toml: clusters: missing");
  EXPECT_EQ(Error::config("a.toml", 3, "", "syntax").to_string(), "a.toml:3: syntax");
  EXPECT_EQ(Error::config("a.toml", 0, "", "cannot read").to_string(), "a.toml: cannot read");
}

TEST(ErrorToString, KafkaErrorsCarryTheirCode) {
  EXPECT_EQ(Error(-185, "Local: Timed out", Error::Kind::kRetriable).to_string(),
            "Local: Timed out (code -185)");
  EXPECT_EQ(Error(0, "cannot listen on x:1").to_string(), "cannot listen on x:1");
}

TEST(ErrorKind, OnlyWhatIsSaidRetriableOrFatalIs) {
  EXPECT_FALSE(Error(3, "unknown").retriable());
  EXPECT_FALSE(Error(3, "unknown").fatal());
  EXPECT_TRUE(Error(7, "timed out", Error::Kind::kRetriable).retriable());
  EXPECT_TRUE(Error(-150, "fatal", Error::Kind::kFatal).fatal());
  EXPECT_FALSE(Error(-150, "fatal", Error::Kind::kFatal).retriable());
  EXPECT_FALSE(Error::config("a.toml", 1, "k", "bad").retriable());
  EXPECT_TRUE(Error(30, "group authorization failed").unauthorized());
  EXPECT_TRUE(Error(-185, "timed out").timed_out());
  EXPECT_TRUE(Error(3, "unknown topic or partition").missing());
  EXPECT_TRUE(Error(-190, "unknown partition").missing());
  EXPECT_FALSE(Error(29, "topic authorization failed").missing());
}

Result<int> half(int value) {
  if (value % 2 != 0) return Error(0, std::to_string(value) + " is odd");
  return value / 2;
}

TEST(ResultTest, HoldsAValueOrAnError) {
  const auto good = half(8);
  ASSERT_TRUE(good);
  EXPECT_TRUE(good.has_value());
  EXPECT_EQ(*good, 4);
  EXPECT_EQ(good.value(), 4);
  const auto bad = half(7);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "7 is odd");
}

TEST(ResultTest, MovesOutMoveOnlyValues) {
  Result<std::unique_ptr<int>> owned(std::make_unique<int>(5));
  EXPECT_EQ(**owned, 5);
  std::unique_ptr<int> taken = std::move(owned).value();
  EXPECT_EQ(*taken, 5);
}

Status require_positive(int value) {
  if (value <= 0) return Error::config("f.toml", 2, "n", "must be positive");
  return {};
}

TEST(ResultTest, StatusIsSuccessOrAnError) {
  EXPECT_TRUE(require_positive(1));
  const Status refused = require_positive(0);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().to_string(), "f.toml:2: n: must be positive");
}

}  // namespace
}  // namespace lagwatch
