#pragma once
// Hand-built records for every key type and value version the decoder knows, with the field values
// the decoder tests expect. Also the seed corpus of the fuzz target (tests/fuzz/seed_corpus.cpp).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "byte_builder.h"

namespace lagwatch::offsets::testing {

struct SampleRecord {
  std::string name;
  ByteVector key;
  std::optional<ByteVector> value;  // nullopt = tombstone
  // False for records whose key tail or value the decoder deliberately does not read.
  bool fully_decoded = true;
};

// Expected field values shared by the samples and the tests.
namespace sample {
inline constexpr std::string_view kGroup = "orders-app";
inline constexpr std::string_view kTopic = "orders";
inline constexpr std::int32_t kPartition = 7;
inline constexpr std::int64_t kOffset = 123456789012;
inline constexpr std::int32_t kLeaderEpoch = 5;
inline constexpr std::string_view kMetadata = "meta";
inline constexpr std::int64_t kCommitTimestampMs = 1700000000000;
inline constexpr std::int64_t kExpireTimestampMs = 1700000600000;
inline constexpr std::string_view kProtocolType = "consumer";
inline constexpr std::int32_t kGeneration = 42;
inline constexpr std::string_view kProtocol = "range";
inline constexpr std::string_view kLeader = "member-1";
inline constexpr std::int64_t kStateTimestampMs = 1700000001000;
inline constexpr std::int32_t kRebalanceTimeoutMs = 300000;
inline constexpr std::int32_t kSessionTimeoutMs = 45000;
inline constexpr std::int32_t kGroupEpoch = 9;
inline constexpr std::string_view kMemberId = "member-1";
inline constexpr std::string_view kRack = "rack-a";
inline constexpr std::string_view kClientId = "client-1";
inline constexpr std::string_view kClientHost = "/10.0.0.1";
inline constexpr std::string_view kServerAssignor = "uniform";
inline constexpr std::int32_t kMemberEpoch = 9;
inline constexpr std::int32_t kPreviousMemberEpoch = 8;
inline constexpr std::int8_t kMemberState = 0;
inline constexpr std::size_t kAssignedPartitions = 4;
inline constexpr std::size_t kPendingRevocationPartitions = 1;
}  // namespace sample

ByteVector offset_commit_key(std::int16_t type);
ByteVector offset_commit_value(std::int16_t version);
// The same records for a given commit (key type 1 and value version 3 are what Kafka writes).
ByteVector offset_commit_key(std::int16_t type, std::string_view group, std::string_view topic,
                             std::int32_t partition);
ByteVector offset_commit_value(std::int16_t version, std::int64_t offset);
ByteVector group_only_key(std::int16_t type);
ByteVector member_key(std::int16_t type);
ByteVector classic_group_value(std::int16_t version);
ByteVector consumer_group_value();
ByteVector consumer_group_member_value();
ByteVector target_assignment_value();
ByteVector current_member_assignment_value();

std::vector<SampleRecord> all_sample_records();

}  // namespace lagwatch::offsets::testing
