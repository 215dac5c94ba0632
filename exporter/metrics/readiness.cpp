#include "metrics/internal/readiness.h"

#include <cmath>

namespace lagwatch::metrics {
namespace {

std::string seconds(double value) {
  return std::to_string(static_cast<long long>(std::floor(std::max(0.0, value)))) + " s";
}

std::string seconds(std::chrono::steady_clock::duration value) {
  return seconds(std::chrono::duration<double>(value).count());
}

std::string with_error(std::string line, const ClusterStatus& status) {
  if (!status.last_error.empty()) line += "; last error: " + status.last_error;
  return line + "\n";
}

}  // namespace

Readiness judge_readiness(const std::vector<ClusterReadiness>& clusters,
                          std::chrono::milliseconds grace, double unix_now) {
  if (clusters.empty()) return {false, "not ready: no cluster is configured yet\n"};
  std::string lines;
  std::vector<std::string> waiting_for;
  for (const auto& cluster : clusters) {
    const ClusterStatus& status = cluster.status;
    lines += "cluster " + cluster.name + ": ";
    if (status.last_success_unix_seconds) {
      const std::string age = seconds(unix_now - *status.last_success_unix_seconds) + " ago";
      lines += status.up ? "up, last successful poll " + age + "\n"
                         : with_error("down, serving the data of its last successful poll, " + age,
                                      status);
    } else if (grace.count() == 0 || cluster.waiting_for < grace) {
      waiting_for.push_back(cluster.name);
      lines += with_error("no successful poll yet, waited " + seconds(cluster.waiting_for) +
                              (grace.count() == 0 ? "" : " of " + seconds(grace)),
                          status);
    } else {
      lines += with_error("no successful poll within the readiness grace of " + seconds(grace) +
                              ", no longer waited for (lagwatch_up is 0)",
                          status);
    }
  }
  if (waiting_for.empty()) return {true, "ready\n" + lines};
  std::string names;
  for (const auto& name : waiting_for) names += (names.empty() ? "" : ", ") + name;
  return {false, "not ready: waiting for the first successful poll of " + names + "\n" + lines};
}

}  // namespace lagwatch::metrics
