#include "kafka/internal/offsets_topic_metadata.h"

#include "kafka/internal/errors.h"
#include "kafka/internal/fanout.h"
#include "kafka/internal/handles.h"

namespace lagwatch::kafka {
namespace {

int milliseconds(std::chrono::milliseconds timeout) { return static_cast<int>(timeout.count()); }

// ListOffsets takes the special timestamps -1 (latest) and -2 (earliest).
Result<std::vector<std::int64_t>> list_offsets(rd_kafka_t* rk, std::int32_t first, std::int32_t end,
                                               std::int64_t spec,
                                               std::chrono::milliseconds timeout) {
  detail::PartitionListPtr list(rd_kafka_topic_partition_list_new(end - first));
  for (std::int32_t partition = first; partition < end; ++partition) {
    rd_kafka_topic_partition_list_add(list.get(), kOffsetsTopic, partition)->offset = spec;
  }
  const rd_kafka_resp_err_t err = rd_kafka_offsets_for_times(rk, list.get(), milliseconds(timeout));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return detail::error_from(err);
  std::vector<std::int64_t> offsets(static_cast<std::size_t>(end - first), -1);
  for (int i = 0; i < list->cnt; ++i) {
    const auto& element = list->elems[i];
    // Every partition is needed: a missing end would make catching up impossible to judge.
    if (element.err != RD_KAFKA_RESP_ERR_NO_ERROR) return detail::error_from(element.err);
    if (element.offset < 0) return detail::error_from(RD_KAFKA_RESP_ERR__NO_OFFSET);
    if (element.partition < first || element.partition >= end) continue;
    offsets[static_cast<std::size_t>(element.partition - first)] = element.offset;
  }
  return offsets;
}

}  // namespace

Result<std::int32_t> offsets_topic_partition_count(rd_kafka_t* rk, rd_kafka_topic_t* topic,
                                                   std::chrono::milliseconds timeout) {
  const rd_kafka_metadata_t* raw = nullptr;
  const rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 0, topic, &raw, milliseconds(timeout));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return detail::error_from(err);
  detail::MetadataPtr metadata(raw);
  if (metadata->topic_cnt < 1) return std::int32_t{0};
  const rd_kafka_metadata_topic_t& described = metadata->topics[0];
  if (described.err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) return std::int32_t{0};
  if (described.err != RD_KAFKA_RESP_ERR_NO_ERROR) return detail::error_from(described.err);
  return described.partition_cnt;
}

Result<std::vector<PartitionBounds>> offsets_topic_bounds(rd_kafka_t* rk, std::int32_t first,
                                                          std::int32_t end,
                                                          std::chrono::milliseconds timeout) {
  if (end <= first) return std::vector<PartitionBounds>{};
  auto highs = list_offsets(rk, first, end, -1, timeout);
  if (!highs.has_value()) return highs.error();
  auto lows = list_offsets(rk, first, end, -2, timeout);
  if (!lows.has_value()) return lows.error();
  std::vector<PartitionBounds> bounds;
  bounds.reserve(highs.value().size());
  for (std::int32_t partition = first; partition < end; ++partition) {
    const auto index = static_cast<std::size_t>(partition - first);
    bounds.push_back(PartitionBounds{partition, lows.value()[index], highs.value()[index]});
  }
  return bounds;
}

}  // namespace lagwatch::kafka
