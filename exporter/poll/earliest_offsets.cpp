#include "poll/earliest_offsets.h"

#include <algorithm>

namespace lagwatch::poll {

std::vector<kafka::TopicPartition> EarliestOffsets::due(
    const std::vector<kafka::TopicPartition>& partitions, Clock::time_point now) {
  // Partitions no longer asked for are forgotten: memory follows the live partitions.
  std::erase_if(starts_, [&](const auto& item) {
    return !std::binary_search(partitions.begin(), partitions.end(), item.first);
  });
  const bool full = refresh_.count() <= 0 || !last_full_read_ || now - *last_full_read_ >= refresh_;
  if (full) {
    full_read_asked_ = now;
    return partitions;
  }
  full_read_asked_.reset();
  std::vector<kafka::TopicPartition> unknown;
  for (const auto& tp : partitions) {
    if (!starts_.contains(tp)) unknown.push_back(tp);
  }
  return unknown;
}

std::vector<kafka::TopicPartition> EarliestOffsets::complete(
    std::vector<kafka::Watermark>& reply, const std::vector<kafka::TopicPartition>& read) {
  std::vector<kafka::TopicPartition> contradicted;
  for (auto& w : reply) {
    if (w.error) continue;
    kafka::TopicPartition tp{w.topic, w.partition};
    if (std::binary_search(read.begin(), read.end(), tp)) {
      starts_.insert_or_assign(std::move(tp), w.low);
      continue;
    }
    auto known = starts_.find(tp);
    if (known == starts_.end() || w.high < known->second) {
      if (known != starts_.end()) starts_.erase(known);
      contradicted.push_back(std::move(tp));
      continue;
    }
    w.low = known->second;
  }
  if (full_read_asked_) {
    last_full_read_ = full_read_asked_;
    full_read_asked_.reset();
  }
  std::sort(contradicted.begin(), contradicted.end());
  return contradicted;
}

void EarliestOffsets::forget_topic(const std::string& topic) {
  std::erase_if(starts_, [&](const auto& item) { return item.first.topic == topic; });
}

}  // namespace lagwatch::poll
