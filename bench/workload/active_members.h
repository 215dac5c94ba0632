#pragma once

#include <string>

#include "workload/workload_plan.h"

namespace lagwatch::bench {

struct MembersParams {
  int groups = 5;                // the first N groups of the plan get live members
  int members_per_group = 2;     // one consumer handle (and thread) each
  int records_per_second = 20;   // per member: slow, so the group keeps a moving lag
  int produce_per_second = 200;  // new records on the active groups' topics, so offsets move
  double seconds = 600;
};

struct MembersReport {
  long long consumed = 0;
  long long produced = 0;
  std::string first_error;
};

// Runs long-lived consumers (subscribed to their group's topics) and a trickle producer until
// `seconds` have passed, then closes them so the groups go back to Empty.
MembersReport run_active_members(const std::string& bootstrap, const WorkloadPlan& plan,
                                 const MembersParams& params);

}  // namespace lagwatch::bench
