#pragma once
// Plain values decoded from one `__consumer_offsets` record. Field meanings follow the group
// coordinator's published message schemas; timestamps are Unix milliseconds as written by Kafka.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace lagwatch::offsets {

// Record types are the int16 that starts every key.
namespace record_type {
inline constexpr std::int16_t kLegacyOffsetCommit = 0;
inline constexpr std::int16_t kOffsetCommit = 1;
inline constexpr std::int16_t kClassicGroupMetadata = 2;
inline constexpr std::int16_t kConsumerGroupMetadata = 3;
inline constexpr std::int16_t kConsumerGroupPartitionMetadata = 4;
inline constexpr std::int16_t kConsumerGroupMemberMetadata = 5;
inline constexpr std::int16_t kConsumerGroupTargetAssignmentMetadata = 6;
inline constexpr std::int16_t kConsumerGroupTargetAssignmentMember = 7;
inline constexpr std::int16_t kConsumerGroupCurrentMemberAssignment = 8;
// 9-15 are share group records, 16 regular expressions, 17 streams group metadata.
inline constexpr std::int16_t kLastKnown = 17;
}  // namespace record_type

// Key types 0 and 1. A tombstone (offset deleted) has no offset and default value fields.
struct OffsetCommit {
  std::string group;
  std::string topic;
  std::int32_t partition = 0;
  std::optional<std::int64_t> offset;
  std::int32_t leader_epoch = -1;  // -1 when the value version has none
  std::string metadata;
  std::int64_t commit_timestamp_ms = -1;
  std::int64_t expire_timestamp_ms = -1;  // only value version 1 carries it
  std::int16_t value_version = -1;        // -1 for a tombstone

  bool tombstone() const { return !offset.has_value(); }
};

struct ClassicGroupMember {
  std::string member_id;
  std::optional<std::string> group_instance_id;
  std::string client_id;
  std::string client_host;
  std::int32_t rebalance_timeout_ms = -1;  // value version 0 has none
  std::int32_t session_timeout_ms = 0;
};

// Key type 2. A tombstone means the group was deleted.
struct ClassicGroupMetadata {
  std::string group;
  bool tombstone = false;
  std::string protocol_type;
  std::int32_t generation = 0;
  std::optional<std::string> protocol;
  std::optional<std::string> leader;
  std::int64_t current_state_timestamp_ms = -1;  // value versions 2+
  std::vector<ClassicGroupMember> members;
  std::int16_t value_version = -1;
};

// Key type 3 (KIP-848). No epoch = tombstone = group deleted.
struct ConsumerGroupMetadata {
  std::string group;
  std::optional<std::int32_t> epoch;
};

// Key type 5 (KIP-848). A tombstone means the member left the group.
struct ConsumerGroupMemberMetadata {
  std::string group;
  std::string member_id;
  bool tombstone = false;
  std::optional<std::string> instance_id;
  std::optional<std::string> rack_id;
  std::string client_id;
  std::string client_host;
  std::vector<std::string> subscribed_topic_names;
  std::optional<std::string> subscribed_topic_regex;
  std::int32_t rebalance_timeout_ms = -1;
  std::optional<std::string> server_assignor;
};

// Key type 6 (KIP-848). No epoch = tombstone.
struct ConsumerGroupTargetAssignmentMetadata {
  std::string group;
  std::optional<std::int32_t> assignment_epoch;
};

// Key type 8 (KIP-848): the member's reconciled assignment. Partitions are counted, not listed.
struct ConsumerGroupCurrentMemberAssignment {
  std::string group;
  std::string member_id;
  bool tombstone = false;
  std::int32_t member_epoch = 0;
  std::int32_t previous_member_epoch = 0;
  std::int8_t state = 0;
  std::size_t assigned_partitions = 0;
  std::size_t partitions_pending_revocation = 0;
};

// A record type we know exists but do not need (4, 7, 9-17). Only the group id is decoded.
struct KnownButIgnored {
  std::int16_t type = 0;
  std::string group;
  bool tombstone = false;
};

// Skips, reported so the caller can count them: a newer broker may write records we do not know.
struct UnknownRecordType {
  std::int16_t type = 0;
};

struct UnknownValueVersion {
  std::int16_t type = 0;
  std::int16_t version = 0;
};

struct Malformed {
  std::string reason;
};

using Record = std::variant<OffsetCommit, ClassicGroupMetadata, ConsumerGroupMetadata,
                            ConsumerGroupMemberMetadata, ConsumerGroupTargetAssignmentMetadata,
                            ConsumerGroupCurrentMemberAssignment, KnownButIgnored,
                            UnknownRecordType, UnknownValueVersion, Malformed>;

}  // namespace lagwatch::offsets
