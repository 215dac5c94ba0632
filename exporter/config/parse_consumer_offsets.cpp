#include "config/internal/sections.h"

namespace lagwatch::config::detail {
namespace {

constexpr std::int64_t kMaxVerifyGroups = 1000;
constexpr Duration kMinSyncWait = std::chrono::milliseconds(0);

}  // namespace

Status parse_consumer_offsets(const TableReader& cluster, ClusterConfig& out) {
  std::optional<TableReader> section;
  if (auto error = cluster.read_table("consumer_offsets", section); !error) {
    return error;
  }
  if (!section) {
    return {};
  }
  if (auto error =
          section->reject_unknown_keys({"enabled", "serve_offsets", "verify_groups", "sync_wait"});
      !error) {
    return error;
  }
  if (auto error = section->read_bool("enabled", out.read_consumer_offsets); !error) {
    return error;
  }
  ConsumerOffsetsSettings& settings = out.consumer_offsets;
  if (auto error = section->read_bool("serve_offsets", settings.serve_offsets); !error) {
    return error;
  }
  std::int64_t verify = settings.verify_groups;
  if (auto error = section->read_integer("verify_groups", 0, kMaxVerifyGroups, verify); !error) {
    return error;
  }
  settings.verify_groups = static_cast<int>(verify);
  return section->read_duration("sync_wait", kMinSyncWait, settings.sync_wait);
}

}  // namespace lagwatch::config::detail
