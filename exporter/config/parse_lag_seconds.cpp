#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "config/internal/enum_names.h"
#include "config/internal/sections.h"

namespace lagwatch::config::detail {
namespace {

constexpr std::int64_t kMaxExactSamples = 100'000;
// Interpolating a timestamp needs two points; beyond 10000 the memory per partition outweighs
// the extra reach into the past.
constexpr std::int64_t kMinHistoryPoints = 2;
constexpr std::int64_t kMaxHistoryPoints = 10'000;

Status read_mode(const TableReader& cluster, LagSecondsMode& out) {
  std::size_t index = static_cast<std::size_t>(out);
  if (auto status = cluster.read_choice("lag_seconds", kLagSecondsModeNames, index); !status) {
    return status;
  }
  out = static_cast<LagSecondsMode>(index);
  return {};
}

// An empty list means "every group" and is harmless in estimate mode, so only a non-empty one
// is refused there: the user meant exact mode and would otherwise silently get estimates.
Status read_exact_groups(const TableReader& cluster, LagSecondsMode mode, NameFilter& out) {
  std::vector<std::string> patterns;
  if (auto status = cluster.read_string_array("exact_groups", patterns); !status) {
    return status;
  }
  if (patterns.empty()) {
    return {};
  }
  if (mode != LagSecondsMode::kExact) {
    return cluster.error_at(*cluster.find("exact_groups"), cluster.key_path("exact_groups"),
                            "exact_groups needs lag_seconds = \"exact\"");
  }
  if (auto status = check_patterns(cluster, "exact_groups", patterns); !status) {
    return status;
  }
  out = NameFilter(std::move(patterns), {});
  return {};
}

}  // namespace

Status parse_lag_seconds(const TableReader& cluster, ClusterConfig& out) {
  if (auto status = read_mode(cluster, out.lag_seconds_mode); !status) {
    return status;
  }
  if (auto status = read_exact_groups(cluster, out.lag_seconds_mode, out.exact_groups); !status) {
    return status;
  }
  std::int64_t samples = out.exact_max_samples;
  if (auto status = cluster.read_integer("exact_max_samples", 1, kMaxExactSamples, samples);
      !status) {
    return status;
  }
  out.exact_max_samples = static_cast<int>(samples);
  auto points = static_cast<std::int64_t>(out.history_points);
  if (auto status =
          cluster.read_integer("history_points", kMinHistoryPoints, kMaxHistoryPoints, points);
      !status) {
    return status;
  }
  out.history_points = static_cast<std::size_t>(points);
  return {};
}

}  // namespace lagwatch::config::detail
