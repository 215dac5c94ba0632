#include "config/internal/sections.h"

namespace lagwatch::config::detail {
namespace {

constexpr std::int64_t kMaxVerifyGroups = 1000;
constexpr Duration kMinSyncWait = std::chrono::milliseconds(0);

}  // namespace

Status parse_consumer_offsets(const TableReader& cluster, ClusterConfig& out) {
  std::optional<TableReader> section;
  if (auto status = cluster.read_section(
          "consumer_offsets", {"enabled", "serve_offsets", "verify_groups", "sync_wait"}, section);
      !status || !section) {
    return status;
  }
  if (auto status = section->read_bool("enabled", out.read_consumer_offsets); !status) {
    return status;
  }
  ConsumerOffsetsSettings& settings = out.consumer_offsets;
  if (auto status = section->read_bool("serve_offsets", settings.serve_offsets); !status) {
    return status;
  }
  std::int64_t verify = settings.verify_groups;
  if (auto status = section->read_integer("verify_groups", 0, kMaxVerifyGroups, verify); !status) {
    return status;
  }
  settings.verify_groups = static_cast<int>(verify);
  return section->read_duration("sync_wait", kMinSyncWait, settings.sync_wait);
}

}  // namespace lagwatch::config::detail
