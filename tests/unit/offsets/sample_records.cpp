#include "sample_records.h"

namespace lagwatch::offsets::testing {
namespace {

// Two members: the first with a group instance id (v3+), the second without.
void classic_members(ByteBuilder& out, std::int16_t version) {
  const bool flexible = version >= 4;
  const auto string = [&](std::optional<std::string_view> text) {
    flexible ? out.compact_string(text) : out.string(text);
  };
  const auto bytes = [&](std::string_view content) {
    flexible ? out.compact_bytes(content) : out.bytes(content);
  };
  flexible ? out.unsigned_varint(3) : out.int32(2);
  for (int i = 0; i < 2; ++i) {
    string(i == 0 ? sample::kMemberId : std::string_view("member-2"));
    if (version >= 3) string(i == 0 ? std::optional<std::string_view>("instance-1") : std::nullopt);
    string(sample::kClientId);
    string(sample::kClientHost);
    if (version >= 1) out.int32(sample::kRebalanceTimeoutMs);
    out.int32(sample::kSessionTimeoutMs);
    bytes("subscription-bytes");
    bytes("assignment-bytes");
    if (flexible) out.no_tagged_fields();
  }
}

// One unknown tagged field, to check that tagged sections are skipped by their declared size.
void one_tagged_field(ByteBuilder& out) {
  out.unsigned_varint(1).unsigned_varint(0).unsigned_varint(8).int64(0x0102030405060708);
}

void topic_partitions(ByteBuilder& out, std::vector<std::vector<std::int32_t>> topics) {
  out.unsigned_varint(static_cast<std::uint32_t>(topics.size() + 1));
  char topic_id = 'a';
  for (const auto& partitions : topics) {
    out.raw(std::string(16, topic_id++));
    out.unsigned_varint(static_cast<std::uint32_t>(partitions.size() + 1));
    for (const std::int32_t partition : partitions) out.int32(partition);
    out.no_tagged_fields();
  }
}

}  // namespace

ByteVector offset_commit_key(std::int16_t type) {
  return offset_commit_key(type, sample::kGroup, sample::kTopic, sample::kPartition);
}

ByteVector offset_commit_key(std::int16_t type, std::string_view group, std::string_view topic,
                             std::int32_t partition) {
  return ByteBuilder().int16(type).string(group).string(topic).int32(partition).build();
}

ByteVector offset_commit_value(std::int16_t version) {
  return offset_commit_value(version, sample::kOffset);
}

ByteVector offset_commit_value(std::int16_t version, std::int64_t offset) {
  ByteBuilder out;
  out.int16(version).int64(offset);
  if (version >= 3) out.int32(sample::kLeaderEpoch);
  version >= 4 ? out.compact_string(sample::kMetadata) : out.string(sample::kMetadata);
  out.int64(sample::kCommitTimestampMs);
  if (version == 1) out.int64(sample::kExpireTimestampMs);
  if (version >= 4) one_tagged_field(out);
  return out.build();
}

ByteVector group_only_key(std::int16_t type) {
  return ByteBuilder().int16(type).string(sample::kGroup).build();
}

ByteVector member_key(std::int16_t type) {
  return ByteBuilder().int16(type).string(sample::kGroup).string(sample::kMemberId).build();
}

ByteVector classic_group_value(std::int16_t version) {
  const bool flexible = version >= 4;
  ByteBuilder out;
  out.int16(version);
  flexible ? out.compact_string(sample::kProtocolType) : out.string(sample::kProtocolType);
  out.int32(sample::kGeneration);
  flexible ? out.compact_string(sample::kProtocol) : out.string(sample::kProtocol);
  flexible ? out.compact_string(sample::kLeader) : out.string(sample::kLeader);
  if (version >= 2) out.int64(sample::kStateTimestampMs);
  classic_members(out, version);
  if (flexible) out.no_tagged_fields();
  return out.build();
}

ByteVector consumer_group_value() {
  ByteBuilder out;
  out.int16(0).int32(sample::kGroupEpoch);
  one_tagged_field(out);
  return out.build();
}

ByteVector consumer_group_member_value() {
  return ByteBuilder()
      .int16(0)
      .compact_string(std::nullopt)  // instance id
      .compact_string(sample::kRack)
      .compact_string(sample::kClientId)
      .compact_string(sample::kClientHost)
      .unsigned_varint(3)
      .compact_string("orders")
      .compact_string("payments")
      .compact_string(std::nullopt)  // topic regex
      .int32(sample::kRebalanceTimeoutMs)
      .compact_string(sample::kServerAssignor)
      // Tag 0 is the classic member metadata, present when the member speaks the old protocol.
      .unsigned_varint(1)
      .unsigned_varint(0)
      .unsigned_varint(6)
      .int32(sample::kSessionTimeoutMs)
      .unsigned_varint(1)
      .no_tagged_fields()
      .build();
}

ByteVector target_assignment_value() {
  return ByteBuilder().int16(0).int32(sample::kGroupEpoch).no_tagged_fields().build();
}

ByteVector current_member_assignment_value() {
  ByteBuilder out;
  out.int16(0)
      .int32(sample::kMemberEpoch)
      .int32(sample::kPreviousMemberEpoch)
      .int8(sample::kMemberState);
  topic_partitions(out, {{0, 1, 2}, {5}});
  topic_partitions(out, {{3}});
  out.no_tagged_fields();
  return out.build();
}

std::vector<SampleRecord> all_sample_records() {
  std::vector<SampleRecord> samples;
  for (const std::int16_t type : std::initializer_list<std::int16_t>{0, 1}) {
    const std::string prefix = "offset_commit_type" + std::to_string(type);
    for (const std::int16_t version : std::initializer_list<std::int16_t>{0, 1, 2, 3, 4}) {
      samples.push_back({prefix + "_v" + std::to_string(version), offset_commit_key(type),
                         offset_commit_value(version)});
    }
    samples.push_back({prefix + "_tombstone", offset_commit_key(type), std::nullopt});
  }
  for (const std::int16_t version : std::initializer_list<std::int16_t>{0, 1, 2, 3, 4}) {
    samples.push_back({"classic_group_v" + std::to_string(version), group_only_key(2),
                       classic_group_value(version)});
  }
  samples.push_back({"classic_group_tombstone", group_only_key(2), std::nullopt});
  samples.push_back({"consumer_group", group_only_key(3), consumer_group_value()});
  samples.push_back({"consumer_group_tombstone", group_only_key(3), std::nullopt});
  samples.push_back({"member_metadata", member_key(5), consumer_group_member_value()});
  samples.push_back({"member_metadata_tombstone", member_key(5), std::nullopt});
  samples.push_back({"target_assignment", group_only_key(6), target_assignment_value()});
  samples.push_back({"target_assignment_tombstone", group_only_key(6), std::nullopt});
  samples.push_back({"current_assignment", member_key(8), current_member_assignment_value()});
  samples.push_back({"current_assignment_tombstone", member_key(8), std::nullopt});
  for (const std::int16_t type :
       std::initializer_list<std::int16_t>{4, 7, 9, 10, 11, 12, 13, 14, 15, 16, 17}) {
    samples.push_back({"known_type" + std::to_string(type), group_only_key(type),
                       ByteBuilder().int16(0).no_tagged_fields().build(), false});
  }
  return samples;
}

}  // namespace lagwatch::offsets::testing
