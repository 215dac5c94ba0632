#pragma once
// DescribeGroups two ways, merged: broker-wide (each broker's legacy group listing describes all
// the groups it coordinates in one request) for many groups, and librdkafka's admin
// DescribeConsumerGroups in batches for few groups and for whatever the broker-wide round left
// out.

#include <librdkafka/rdkafka.h>

#include <string>
#include <vector>

#include "kafka/client.h"
#include "kafka/types.h"

namespace lagwatch::kafka::detail {

GroupState to_state(rd_kafka_consumer_group_state_t state);

// One entry per wanted group, in `wanted`'s order: its description or why it has none. The
// broker-wide round runs when at least settings.broker_wide_describe_min_groups are wanted.
std::vector<PerGroup<GroupDescription>> describe_groups_of(rd_kafka_t* rk,
                                                           const std::vector<std::string>& wanted,
                                                           const ClientSettings& settings);

}  // namespace lagwatch::kafka::detail
