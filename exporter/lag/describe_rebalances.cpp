#include "lag/describe_rebalances.h"

namespace lagwatch::lag {

void DescribeRebalanceCounter::observe(const MembershipView& view) {
  switch (view.state) {
    case GroupState::kPreparingRebalance:
    case GroupState::kCompletingRebalance:
    case GroupState::kAssigning:
    case GroupState::kReconciling:
      rebalancing_seen_ = true;
      return;
    case GroupState::kStable:
    case GroupState::kEmpty:
      break;
    case GroupState::kDead:
    case GroupState::kUnknown:
      return;  // nothing reliable to compare
  }
  Settled now{view.member_ids, view.assignment_fingerprint};
  if (last_settled_ && (rebalancing_seen_ || now != *last_settled_)) ++rebalances_;
  last_settled_ = std::move(now);
  rebalancing_seen_ = false;
}

}  // namespace lagwatch::lag
