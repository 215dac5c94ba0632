#pragma once
// Bookkeeping of one RecordSampler::sample() call: requests grouped by partition, and the
// answers put back in request order. No librdkafka types, so it is tested on its own.

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kafka/record_sampler.h"

namespace lagwatch::kafka::detail {

// One partition's share of the work. A consumer handle fetches a partition from one position at
// a time, so distinct offsets of the same partition are read one after another, lowest first.
struct PartitionPlan {
  std::string topic;
  int32_t partition = 0;
  std::vector<int64_t> offsets;  // distinct, ascending
  std::vector<Sample> samples;   // one per offset; kTimedOut until answered
  size_t next = 0;               // index of the offset being read now

  bool finished() const { return next >= offsets.size(); }
  int64_t current_offset() const { return offsets[next]; }
  Sample& current_sample() { return samples[next]; }
};

class SamplePlan {
 public:
  explicit SamplePlan(const std::vector<SampleRequest>& requests);
  SamplePlan(const SamplePlan&) = delete;  // the index points into partitions_
  SamplePlan& operator=(const SamplePlan&) = delete;

  std::vector<PartitionPlan>& partitions() { return partitions_; }
  // nullptr for a partition nobody asked about.
  PartitionPlan* find(std::string_view topic, int32_t partition);
  // One sample per request of the constructor's list, in its order.
  std::vector<Sample> results(const std::vector<SampleRequest>& requests) const;

 private:
  std::vector<PartitionPlan> partitions_;
  std::map<std::pair<std::string_view, int32_t>, size_t> index_;
};

}  // namespace lagwatch::kafka::detail
