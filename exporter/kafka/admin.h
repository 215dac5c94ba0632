#pragma once
// The requests a cluster's poller sends, as an interface: kafka::Client implements it against a
// broker, and tests of the poll loop script the replies without one.

#include <string>
#include <vector>

#include "error/result.h"
#include "kafka/types.h"

namespace lagwatch::kafka {

class Admin {
 public:
  virtual ~Admin() = default;

  virtual Result<ClusterMetadata> metadata() = 0;
  virtual Result<std::vector<GroupListing>> list_groups() = 0;
  // The named topics in one DescribeTopics (Metadata) request, each with its partition count
  // and topic ID, or its own error. rd_kafka_metadata() exposes no topic IDs, and its all-topics
  // form silently leaves out topics the principal may not describe, while this names them
  // (TOPIC_AUTHORIZATION_FAILED) apart from deleted ones.
  virtual Result<std::vector<TopicMetadata>> describe_topics(
      const std::vector<std::string>& topics) = 0;
  virtual std::vector<PerGroup<GroupDescription>> describe_groups(
      const std::vector<std::string>& groups) = 0;
  virtual std::vector<PerGroup<GroupOffsets>> list_group_offsets(
      const std::vector<std::string>& groups) = 0;
  // The high watermark (log end) of every partition of `partitions`, and the low watermark (log
  // start) of those also in `earliest`; both sorted. The others' `low` is left 0. Batched per
  // partition leader by librdkafka. The call fails as a whole only when no partition could be
  // read.
  virtual Result<std::vector<Watermark>> watermarks(
      const std::vector<TopicPartition>& partitions,
      const std::vector<TopicPartition>& earliest) = 0;
  // Serves the handle's pending callbacks (statistics) without waiting.
  virtual void serve_callbacks() = 0;
};

}  // namespace lagwatch::kafka
