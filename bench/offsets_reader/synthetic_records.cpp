#include "synthetic_records.h"

#include <string>

#include "byte_builder.h"

namespace lagwatch::bench {
namespace {

using offsets::testing::ByteBuilder;

std::string group_name(std::size_t index) { return "bench-group-" + std::to_string(index); }

EncodedRecord offset_commit(std::size_t group, std::size_t partition, std::int64_t offset) {
  return {ByteBuilder()
              .int16(1)
              .string(group_name(group))
              .string("bench-topic-" + std::to_string(group % 20))
              .int32(static_cast<std::int32_t>(partition))
              .build(),
          ByteBuilder()
              .int16(3)
              .int64(offset)
              .int32(0)
              .string("")
              .int64(1700000000000 + offset)
              .build()};
}

EncodedRecord classic_group(std::size_t group, std::int32_t generation) {
  ByteBuilder value;
  value.int16(3).string("consumer").int32(generation).string("range").string("member-0");
  value.int64(1700000000000).int32(2);
  for (int member = 0; member < 2; ++member) {
    value.string("member-" + std::to_string(member))
        .string(std::nullopt)
        .string("client")
        .string("/10.0.0.1")
        .int32(300000)
        .int32(45000)
        .bytes(std::string(40, 's'))
        .bytes(std::string(60, 'a'));
  }
  return {ByteBuilder().int16(2).string(group_name(group)).build(), value.build()};
}

}  // namespace

std::vector<EncodedRecord> synthetic_records(const SyntheticMix& mix) {
  std::vector<EncodedRecord> records;
  records.reserve(mix.records);
  std::int32_t generation = 1;
  for (std::size_t i = 0; i < mix.records; ++i) {
    const std::size_t group = i % mix.groups;
    if (i % mix.commits_per_generation == 0) {
      records.push_back(classic_group(group, ++generation));
      continue;
    }
    records.push_back(offset_commit(group, (i / mix.groups) % mix.partitions_per_group,
                                    static_cast<std::int64_t>(i)));
  }
  return records;
}

}  // namespace lagwatch::bench
