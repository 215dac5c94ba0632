#pragma once
// Plain values returned by the kafka module; nothing here refers to librdkafka types.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "error/result.h"
#include "lag/group_state.h"

namespace lagwatch::kafka {

using lag::GroupState;

struct GroupListing {
  std::string name;
  bool is_simple = false;  // no protocol type: offsets committed by a client that never joined
  GroupState state = GroupState::kUnknown;
};

struct TopicPartition {
  std::string topic;
  int32_t partition = 0;
  friend auto operator<=>(const TopicPartition&, const TopicPartition&) = default;
};

struct GroupMember {
  std::string member_id;
  std::string client_id;
  std::string host;  // as the broker saw the client's address, e.g. "/10.0.0.7"
};

struct GroupDescription {
  std::string name;
  GroupState state = GroupState::kUnknown;
  int32_t members = 0;
  std::vector<TopicPartition> assigned;     // union of all members' assignments, sorted
  std::vector<GroupMember> member_details;  // sorted by member id
};

struct CommittedOffset {
  std::string topic;
  int32_t partition = 0;
  int64_t offset = -1;  // always >= 0 in results: partitions without a commit are left out
};

struct GroupOffsets {
  std::string group;
  std::vector<CommittedOffset> offsets;
};

struct Watermark {
  std::string topic;
  int32_t partition = 0;
  std::optional<Error> error;  // set when this partition's offsets could not be read
  int64_t low = 0;
  int64_t high = 0;
};

// Where a partition's replicas are, as the Metadata reply says. Broker ids; -1 for no leader.
struct PartitionMetadata {
  int32_t partition = 0;
  int32_t leader = -1;
  std::vector<int32_t> replicas;  // in the broker's order: the first is the preferred leader
  std::vector<int32_t> in_sync_replicas;
};

struct TopicMetadata {
  std::string name;
  int32_t partitions = 0;
  std::optional<Error> error;
  // The broker's topic ID (base64): a topic deleted and re-created under the same name gets a
  // new one. Empty where the broker did not say (before Kafka 2.8, or the lookup failed).
  std::string id;
  // Filled by Client::metadata() only, sorted by partition.
  std::vector<PartitionMetadata> partition_details = {};
};

struct BrokerMetadata {
  int32_t id = 0;
  std::string host;
  int32_t port = 0;
};

struct ClusterMetadata {
  std::vector<TopicMetadata> topics;
  std::vector<BrokerMetadata> brokers;  // sorted by id
};

// The result of an operation fanned out over many groups: one entry per requested group.
template <class T>
struct PerGroup {
  std::string group;
  Result<T> result;
};

}  // namespace lagwatch::kafka
