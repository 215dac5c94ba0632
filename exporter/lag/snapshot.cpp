#include "lag/snapshot.h"

namespace lagwatch::lag {

const char* group_state_label(GroupState state) {
  switch (state) {
    case GroupState::kPreparingRebalance:
      return "preparing_rebalance";
    case GroupState::kCompletingRebalance:
      return "completing_rebalance";
    case GroupState::kStable:
      return "stable";
    case GroupState::kDead:
      return "dead";
    case GroupState::kEmpty:
      return "empty";
    case GroupState::kAssigning:
      return "assigning";
    case GroupState::kReconciling:
      return "reconciling";
    case GroupState::kUnknown:
      break;
  }
  return "unknown";
}

}  // namespace lagwatch::lag
