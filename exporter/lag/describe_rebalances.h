#pragma once
// Rebalance counting when `__consumer_offsets` cannot be read (ACLs, or switched off): inferred
// from what successive DescribeGroups polls show. DescribeGroups carries no generation, so this
// is a lower bound: several rebalances between two polls count as one.
//
// A rebalance is counted when the group settles (Stable or Empty) with a membership or an
// assignment different from the last settled one, or when a rebalancing state was seen in
// between (a rebalance that ended where it started, e.g. a static member that rejoined). The
// first settled view is the baseline and counts nothing; counting one rebalance twice (once
// while it runs, once when it settles) is impossible by construction.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lag/snapshot.h"

namespace lagwatch::lag {

struct MembershipView {
  GroupState state = GroupState::kUnknown;
  std::vector<std::string> member_ids;  // sorted
  uint64_t assignment_fingerprint = 0;  // any stable hash of the sorted assignment
};

class DescribeRebalanceCounter {
 public:
  void observe(const MembershipView& view);
  uint64_t rebalances() const { return rebalances_; }

 private:
  struct Settled {
    std::vector<std::string> member_ids;
    uint64_t assignment_fingerprint = 0;
    friend bool operator==(const Settled&, const Settled&) = default;
  };
  std::optional<Settled> last_settled_;
  bool rebalancing_seen_ = false;
  uint64_t rebalances_ = 0;
};

}  // namespace lagwatch::lag
