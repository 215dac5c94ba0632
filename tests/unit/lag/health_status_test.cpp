#include "lag/health_status.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

namespace lagwatch::lag {
namespace {

using S = HealthStatus;

TEST(HealthStatusContract, CodesAndLabelsAreStable) {
  const struct {
    S status;
    int code;
    const char* label;
  } expected[] = {
      {S::kOk, 0, "ok"},     {S::kWarn, 1, "warn"},     {S::kStall, 2, "stall"},
      {S::kStop, 3, "stop"}, {S::kRewind, 4, "rewind"}, {S::kErr, 5, "err"},
  };
  for (const auto& e : expected) {
    EXPECT_EQ(to_code(e.status), e.code) << e.label;
    EXPECT_EQ(to_label(e.status), e.label);
  }
}

TEST(HealthStatusSeverity, RanksFromOkToErr) {
  const std::vector<S> ascending = {S::kOk, S::kWarn, S::kRewind, S::kStall, S::kStop, S::kErr};
  for (std::size_t i = 1; i < ascending.size(); ++i) {
    EXPECT_LT(severity_rank(ascending[i - 1]), severity_rank(ascending[i]))
        << to_label(ascending[i - 1]) << " vs " << to_label(ascending[i]);
    EXPECT_EQ(worse_of(ascending[i - 1], ascending[i]), ascending[i]);
    EXPECT_EQ(worse_of(ascending[i], ascending[i - 1]), ascending[i]);
  }
}

struct WorstCase {
  std::string name;
  std::vector<S> partitions;
  S group;
};

// Names the case in gtest output instead of dumping its bytes.
void PrintTo(const WorstCase& c, std::ostream* os) { *os << c.name; }

class GroupVerdictTest : public testing::TestWithParam<WorstCase> {};

TEST_P(GroupVerdictTest, IsWorstPartition) {
  EXPECT_EQ(worst_of(GetParam().partitions), GetParam().group);
}

INSTANTIATE_TEST_SUITE_P(
    Table, GroupVerdictTest,
    testing::Values(
        WorstCase{"no_partitions", {}, S::kOk}, WorstCase{"all_ok", {S::kOk, S::kOk}, S::kOk},
        WorstCase{"one_warn", {S::kOk, S::kWarn, S::kOk}, S::kWarn},
        // Numeric code of REWIND (4) is higher than STOP (3): rank, not code, decides.
        WorstCase{"stop_beats_rewind", {S::kRewind, S::kStop}, S::kStop},
        WorstCase{"stall_beats_rewind", {S::kRewind, S::kStall, S::kWarn}, S::kStall},
        WorstCase{"rewind_beats_warn", {S::kWarn, S::kRewind}, S::kRewind},
        WorstCase{"err_beats_everything", {S::kStop, S::kErr, S::kStall, S::kRewind}, S::kErr}),
    [](const testing::TestParamInfo<WorstCase>& case_info) { return case_info.param.name; });

}  // namespace
}  // namespace lagwatch::lag
