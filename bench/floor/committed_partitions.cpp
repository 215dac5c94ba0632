#include <unordered_set>

#include "floor/floor_stages.h"

namespace lagwatch::bench {

namespace {

// Partitions many groups share are asked for once; the key owns its bytes because the event
// holding the topic names is destroyed before the next one arrives.
class PartitionSet {
 public:
  explicit PartitionSet(rd_kafka_topic_partition_list_t* out) : out_(out) {}

  void add(const char* topic, int32_t partition) {
    std::string key(topic);
    key.push_back('\0');
    key.append(reinterpret_cast<const char*>(&partition), sizeof(partition));
    if (seen_.insert(std::move(key)).second) {
      rd_kafka_topic_partition_list_add(out_, topic, partition);
    }
  }

 private:
  rd_kafka_topic_partition_list_t* out_;
  std::unordered_set<std::string> seen_;
};

void submit(rd_kafka_t* handle, rd_kafka_queue_t* queue, const rd_kafka_AdminOptions_t* options,
            const std::string& group_id) {
  // A null partition list asks for every partition the group committed on.
  rd_kafka_ListConsumerGroupOffsets_t* request =
      rd_kafka_ListConsumerGroupOffsets_new(group_id.c_str(), nullptr);
  rd_kafka_ListConsumerGroupOffsets(handle, &request, 1, options, queue);
  rd_kafka_ListConsumerGroupOffsets_destroy(request);
}

void collect(rd_kafka_event_t* event, PartitionSet& unique, CommittedPartitions& committed) {
  if (rd_kafka_event_error(event) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    committed.outcome.fail(rd_kafka_event_error_string(event));
    return;
  }
  const auto* result = rd_kafka_event_ListConsumerGroupOffsets_result(event);
  std::size_t count = 0;
  const rd_kafka_group_result_t** groups =
      rd_kafka_ListConsumerGroupOffsets_result_groups(result, &count);
  for (std::size_t i = 0; i < count; ++i) {
    if (const rd_kafka_error_t* error = rd_kafka_group_result_error(groups[i])) {
      committed.outcome.fail(std::string(rd_kafka_group_result_name(groups[i])) + ": " +
                             rd_kafka_error_string(error));
      continue;
    }
    const rd_kafka_topic_partition_list_t* partitions = rd_kafka_group_result_partitions(groups[i]);
    for (int p = 0; partitions != nullptr && p < partitions->cnt; ++p) {
      const rd_kafka_topic_partition_t& entry = partitions->elems[p];
      // Offset -1 means nothing committed there: no watermark is needed for it.
      if (entry.err != RD_KAFKA_RESP_ERR_NO_ERROR || entry.offset < 0) continue;
      ++committed.group_partitions;
      unique.add(entry.topic, entry.partition);
    }
  }
}

}  // namespace

CommittedPartitions list_committed_partitions(rd_kafka_t* handle,
                                              const std::vector<std::string>& group_ids,
                                              int max_in_flight, int timeout_ms) {
  CommittedPartitions committed;
  committed.partitions.reset(rd_kafka_topic_partition_list_new(1024));
  PartitionSet unique(committed.partitions.get());
  QueueHandle queue(rd_kafka_queue_new(handle));
  AdminOptionsHandle options =
      make_admin_options(handle, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS, timeout_ms);
  std::size_t next = 0;
  int in_flight = 0;
  while (next < group_ids.size() || in_flight > 0) {
    while (in_flight < max_in_flight && next < group_ids.size()) {
      submit(handle, queue.get(), options.get(), group_ids[next++]);
      ++in_flight;
    }
    EventHandle event = next_event(queue.get(), timeout_ms + 5000);
    if (!event) {
      committed.outcome.fail("ListConsumerGroupOffsets: no answer within the timeout");
      break;
    }
    --in_flight;
    collect(event.get(), unique, committed);
  }
  return committed;
}

}  // namespace lagwatch::bench
