#pragma once
// The cluster's brokers and the placement and watermarks of every partition of its exported
// topics, from the Metadata reply and ListOffsets of each poll: what the kafka_exporter families
// ([clusters.series] kafka_exporter_names) show of topics and brokers.

#include <map>
#include <utility>
#include <vector>

#include "config/config.h"
#include "error/result.h"
#include "kafka/types.h"
#include "lag/snapshot.h"

namespace lagwatch::poll {

// Every partition of the listed topics `topics` allows, sorted.
std::vector<kafka::TopicPartition> exported_topic_partitions(const kafka::ClusterMetadata& metadata,
                                                             const config::NameFilter& topics);

class ClusterLayoutState {
 public:
  // The layout of this poll's metadata. A partition whose watermarks could not be read this poll
  // keeps the last ones read, as lagwatch's own series do; one no longer listed is forgotten.
  lag::ClusterLayout absorb(const kafka::ClusterMetadata& metadata,
                            const config::NameFilter& topics,
                            const Result<std::vector<kafka::Watermark>>& watermarks);

 private:
  std::map<kafka::TopicPartition, std::pair<int64_t, int64_t>> watermarks_;  // low, high
};

}  // namespace lagwatch::poll
