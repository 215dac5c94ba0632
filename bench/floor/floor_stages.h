#pragma once

#include <librdkafka/rdkafka.h>

#include <cstddef>
#include <string>
#include <vector>

#include "common/kafka_handles.h"

namespace lagwatch::bench {

// Every stage counts its failures instead of stopping: a floor that skips failed work would
// look faster than it is, so failures are reported next to the time.
struct StageOutcome {
  std::size_t errors = 0;
  std::string first_error;

  void fail(const std::string& error) {
    if (errors++ == 0) first_error = error;
  }
};

struct GroupListing {
  std::vector<std::string> group_ids;
  StageOutcome outcome;
};

struct GroupDescriptions {
  std::size_t groups = 0;
  std::size_t members = 0;
  std::size_t requests = 0;
  StageOutcome outcome;
};

struct CommittedPartitions {
  PartitionListHandle partitions;  // each partition some group committed on, once
  std::size_t group_partitions = 0;
  StageOutcome outcome;
};

struct WatermarkCounts {
  std::size_t partitions = 0;
  StageOutcome outcome;
};

GroupListing list_groups(rd_kafka_t* handle, int timeout_ms);

// DescribeConsumerGroups with `batch_size` groups per call, all calls in flight at once.
GroupDescriptions describe_groups(rd_kafka_t* handle, const std::vector<std::string>& group_ids,
                                  std::size_t batch_size, int timeout_ms);

// The legacy group listing: one ListGroups and one DescribeGroups (all its groups) per broker,
// no FindCoordinator; counts only the groups in `group_ids`.
GroupDescriptions describe_groups_by_broker(rd_kafka_t* handle,
                                            const std::vector<std::string>& group_ids,
                                            int timeout_ms);

// One ListConsumerGroupOffsets per group, at most `max_in_flight` outstanding on one queue.
CommittedPartitions list_committed_partitions(rd_kafka_t* handle,
                                              const std::vector<std::string>& group_ids,
                                              int max_in_flight, int timeout_ms);

// High and low watermarks via two batched offsets_for_times calls, concurrent unless `serial`.
WatermarkCounts fetch_watermarks(rd_kafka_t* handle,
                                 const rd_kafka_topic_partition_list_t& partitions, bool serial,
                                 int timeout_ms);

}  // namespace lagwatch::bench
