#include "lag/offset_lag.h"

#include <gtest/gtest.h>

namespace lagwatch::lag {
namespace {

struct OffsetCase {
  int64_t high;
  int64_t committed;
  int64_t lag;
  int64_t low;
  int64_t lost;
};

TEST(OffsetLag, MatchesKafkaAndNeverGoesNegative) {
  const OffsetCase cases[] = {
      {100, 40, 60, 0, 0},     // behind
      {100, 100, 0, 0, 0},     // caught up
      {100, 120, 0, 0, 0},     // commit seen after a stale high watermark: clamped
      {0, 0, 0, 0, 0},         // empty partition
      {500, 10, 490, 200, 190},  // retention deleted 190 unread messages
      {500, 200, 300, 200, 0},   // exactly at the log start: nothing lost
  };
  for (const auto& c : cases) {
    EXPECT_EQ(offset_lag(c.high, c.committed), c.lag) << c.high << " " << c.committed;
    EXPECT_EQ(messages_lost(c.low, c.committed), c.lost) << c.low << " " << c.committed;
  }
}

}  // namespace
}  // namespace lagwatch::lag
