#include "lag/describe_rebalances.h"

#include <gtest/gtest.h>

namespace lagwatch::lag {
namespace {

using S = GroupState;

struct Step {
  S state;
  std::vector<std::string> members;
  uint64_t assignment;
};

struct Case {
  const char* name;
  std::vector<Step> steps;
  uint64_t expected;
};

TEST(DescribeRebalanceCounter, CountsSettledChangesAsLowerBound) {
  const Case cases[] = {
      {"baseline counts nothing", {{S::kStable, {"a"}, 1}}, 0},
      {"unchanged stable group", {{S::kStable, {"a"}, 1}, {S::kStable, {"a"}, 1}}, 0},
      {"member joined", {{S::kStable, {"a"}, 1}, {S::kStable, {"a", "b"}, 2}}, 1},
      {"seen mid-rebalance then settled counts once",
       {{S::kStable, {"a"}, 1}, {S::kPreparingRebalance, {"a"}, 1},
        {S::kCompletingRebalance, {"a", "b"}, 1}, {S::kStable, {"a", "b"}, 2}},
       1},
      {"rebalance that ended where it started",
       {{S::kStable, {"a"}, 1}, {S::kPreparingRebalance, {}, 0}, {S::kStable, {"a"}, 1}}, 1},
      {"last member left", {{S::kStable, {"a"}, 1}, {S::kEmpty, {}, 0}}, 1},
      {"assignment moved without membership change",
       {{S::kStable, {"a", "b"}, 1}, {S::kStable, {"a", "b"}, 7}}, 1},
      {"dead and unknown views are ignored",
       {{S::kStable, {"a"}, 1}, {S::kDead, {}, 0}, {S::kUnknown, {}, 0}, {S::kStable, {"a"}, 1}},
       0},
      {"three settled changes",
       {{S::kEmpty, {}, 0}, {S::kStable, {"a"}, 1}, {S::kStable, {"a", "b"}, 2},
        {S::kEmpty, {}, 0}},
       3},
      {"rebalancing before any baseline counts nothing",
       {{S::kPreparingRebalance, {}, 0}, {S::kStable, {"a"}, 1}}, 0},
  };
  for (const auto& c : cases) {
    DescribeRebalanceCounter counter;
    for (const auto& step : c.steps) counter.observe({step.state, step.members, step.assignment});
    EXPECT_EQ(counter.rebalances(), c.expected) << c.name;
  }
}

}  // namespace
}  // namespace lagwatch::lag
