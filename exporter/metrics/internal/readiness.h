#pragma once
// What /readyz answers, and why. Ready once every cluster has had a successful poll, except that
// a cluster still without one `grace` after it was started (at start or by a reload) stops
// holding the pod back: one dead cluster among several must not take the others' data out of
// the Service. Its lagwatch_up stays 0 for alerts. A grace of 0 waits for every cluster forever.

#include <chrono>
#include <string>
#include <vector>

#include "metrics/exposition.h"

namespace lagwatch::metrics {

struct ClusterReadiness {
  std::string name;
  ClusterStatus status;
  std::chrono::steady_clock::duration waiting_for{};  // since the cluster was started
};

struct Readiness {
  bool ready = false;
  // "ready" or "not ready" and the reason, then one line per cluster; never holds secrets (the
  // errors are the statuses' own, which never do).
  std::string text;
};

Readiness judge_readiness(const std::vector<ClusterReadiness>& clusters,
                          std::chrono::milliseconds grace, double unix_now);

}  // namespace lagwatch::metrics
