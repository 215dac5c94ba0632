#include "kafka/internal/record_sampler_plan.h"

#include <algorithm>

namespace lagwatch::kafka::detail {

SamplePlan::SamplePlan(const std::vector<SampleRequest>& requests) {
  std::map<std::pair<std::string_view, int32_t>, std::vector<int64_t>> offsets_by_partition;
  for (const auto& request : requests) {
    offsets_by_partition[{request.topic, request.partition}].push_back(request.offset);
  }
  partitions_.reserve(offsets_by_partition.size());
  for (auto& [key, offsets] : offsets_by_partition) {
    std::sort(offsets.begin(), offsets.end());
    offsets.erase(std::unique(offsets.begin(), offsets.end()), offsets.end());
    PartitionPlan plan;
    plan.topic = std::string(key.first);
    plan.partition = key.second;
    plan.samples.reserve(offsets.size());
    for (const int64_t offset : offsets) {
      Sample sample;
      sample.topic = plan.topic;
      sample.partition = plan.partition;
      sample.requested_offset = offset;
      plan.samples.push_back(std::move(sample));
    }
    plan.offsets = std::move(offsets);
    partitions_.push_back(std::move(plan));
  }
  // Built only now: the views must point into the final, never reallocated vector.
  for (size_t i = 0; i < partitions_.size(); ++i) {
    index_.emplace(std::make_pair(std::string_view(partitions_[i].topic), partitions_[i].partition),
                   i);
  }
}

PartitionPlan* SamplePlan::find(std::string_view topic, int32_t partition) {
  auto it = index_.find({topic, partition});
  return it == index_.end() ? nullptr : &partitions_[it->second];
}

std::vector<Sample> SamplePlan::results(const std::vector<SampleRequest>& requests) const {
  std::vector<Sample> out;
  out.reserve(requests.size());
  for (const auto& request : requests) {
    const PartitionPlan& plan = partitions_[index_.at({request.topic, request.partition})];
    const auto it = std::lower_bound(plan.offsets.begin(), plan.offsets.end(), request.offset);
    out.push_back(plan.samples[static_cast<size_t>(it - plan.offsets.begin())]);
  }
  return out;
}

}  // namespace lagwatch::kafka::detail
