#pragma once
// Minimal decoded records for tracker tests: one group, topic "t", partition 0.

#include <cstdint>
#include <string>

#include "offsets/records.h"

namespace lagwatch::offsets::test {

inline Record classic(std::string group, std::int32_t generation) {
  ClassicGroupMetadata record;
  record.group = std::move(group);
  record.generation = generation;
  record.protocol_type = "consumer";
  return record;
}

inline Record commit(std::string group, std::int64_t offset) {
  OffsetCommit record;
  record.group = std::move(group);
  record.topic = "t";
  record.partition = 0;
  record.offset = offset;
  return record;
}

}  // namespace lagwatch::offsets::test
