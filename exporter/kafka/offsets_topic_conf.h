#pragma once
// The librdkafka configuration of the `__consumer_offsets` reader: a group-less consumer whose
// prefetch queues are small, because the legacy consume API keeps one queue per partition.

#include <memory>

#include "kafka/client.h"
#include "kafka/conf.h"
#include "kafka/handles.h"
#include "kafka/result.h"

namespace lagwatch::kafka {

struct OffsetsTopicConfDeleter {
  void operator()(rd_kafka_topic_conf_t* conf) const { rd_kafka_topic_conf_destroy(conf); }
};
using OffsetsTopicConfPtr = std::unique_ptr<rd_kafka_topic_conf_t, OffsetsTopicConfDeleter>;

// lagwatch's reader defaults, then the cluster's passthrough properties (which win), except
// isolation.level, always read_committed: an offset committed in a transaction takes effect only
// when the transaction commits, and never when it aborts. `hooks` (the handle's opaque) must
// outlive the handle.
Result<detail::ConfPtr> offsets_topic_conf(const ClientSettings& settings,
                                           detail::HandleHooks* hooks);

// Topic-level settings: where to start when a stored position is out of range.
Result<OffsetsTopicConfPtr> offsets_topic_topic_conf();

}  // namespace lagwatch::kafka
