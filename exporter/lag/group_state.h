#pragma once
// A consumer group's state, as Kafka names it: what the admin API reports (classic groups) and
// what __consumer_offsets tells of KIP-848 groups. The one definition every module uses.

#include <cstdint>

namespace lagwatch::lag {

enum class GroupState : uint8_t {
  kUnknown,
  kPreparingRebalance,
  kCompletingRebalance,
  kStable,
  kDead,
  kEmpty,
  // Kafka 4 "consumer" protocol (KIP-848) groups, known from __consumer_offsets.
  kAssigning,
  kReconciling,
};

const char* group_state_label(GroupState state);

}  // namespace lagwatch::lag
