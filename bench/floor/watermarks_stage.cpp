#include <future>

#include "common/watermarks.h"
#include "floor/floor_stages.h"

namespace lagwatch::bench {

namespace {
void count(const OffsetsAt& offsets, WatermarkCounts& counts) {
  if (!offsets.error.empty()) {
    counts.outcome.fail(offsets.error);
    return;
  }
  for (std::size_t i = 0; i < offsets.partition_errors; ++i) {
    counts.outcome.fail("a partition's watermark request failed");
  }
}
}  // namespace

WatermarkCounts fetch_watermarks(rd_kafka_t* handle,
                                 const rd_kafka_topic_partition_list_t& partitions, bool serial,
                                 int timeout_ms) {
  WatermarkCounts counts;
  counts.partitions = static_cast<std::size_t>(partitions.cnt);
  if (partitions.cnt == 0) return counts;
  auto launch = serial ? std::launch::deferred : std::launch::async;
  auto earliest = std::async(
      launch, [&] { return query_offsets_at(handle, partitions, kEarliestOffset, timeout_ms); });
  OffsetsAt latest = query_offsets_at(handle, partitions, kLatestOffset, timeout_ms);
  count(latest, counts);
  count(earliest.get(), counts);
  return counts;
}

}  // namespace lagwatch::bench
