#pragma once
// Shared by every librdkafka handle lagwatch creates (admin client, __consumer_offsets reader,
// record sampler): setting properties without ever echoing a secret, and one log format.

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "error/result.h"
#include "kafka/client.h"
#include "kafka/internal/handles.h"

namespace lagwatch::kafka::detail {

// librdkafka's error text may quote the value: for secrets only the name is reported.
Status set_property(rd_kafka_conf_t* conf, const std::string& name, const std::string& value,
                    bool secret);

// A log_cb sending librdkafka's lines through lagwatch's logger, tagged with the handle's name
// (its client.id), so the reader's and the sampler's lines can be told apart.
void forward_log(const rd_kafka_t* rk, int level, const char* facility, const char* message);

using StatisticsCallback = std::function<void(std::string_view json)>;

class ConnectionErrors;

// What librdkafka's callbacks of one handle reach through the handle's single opaque pointer.
struct HandleHooks {
  StatisticsCallback on_statistics;    // may be empty
  ConnectionErrors* errors = nullptr;  // set by ConnectionErrors::attach
};

// Makes `hooks` the handle's opaque and routes its statistics JSON to hooks->on_statistics every
// `interval` (nothing when that is empty). `*hooks` must outlive the handle made from `conf`.
Status install_statistics(rd_kafka_conf_t* conf, HandleHooks* hooks,
                          std::chrono::milliseconds interval);

using PropertyList = std::span<const std::pair<const char*, const char*>>;

// What one kind of handle is configured with. The one order for every handle: `defaults`, then
// bootstrap.servers, then the cluster's passthrough properties (which override the defaults),
// then `forced` (what the handle is only correct with). Group membership properties (group.id,
// group.instance.id) of the cluster are never passed on: every lagwatch handle is group-less,
// and one with the user's group.id would appear as a member of the user's group.
struct HandleRecipe {
  PropertyList defaults;
  PropertyList forced;
};

// The admin client (metadata, groups, committed offsets, watermarks).
extern const HandleRecipe kAdminRecipe;
// The `__consumer_offsets` reader.
extern const HandleRecipe kOffsetsReaderRecipe;
// The record sampler (timestamps of records at committed offsets).
extern const HandleRecipe kSamplerRecipe;

bool is_group_membership_property(std::string_view name);

// The configuration for one handle made from `settings` by `recipe`, logging through
// forward_log. With `hooks`, they become the handle's opaque and receive its statistics (see
// install_statistics); `*hooks` must then outlive the handle.
Result<ConfPtr> make_conf(const ClientSettings& settings, const HandleRecipe& recipe,
                          HandleHooks* hooks);

// A consumer handle owning `conf` (a consumer without group.id never joins a group).
Result<KafkaPtr> make_consumer(ConfPtr conf);

}  // namespace lagwatch::kafka::detail
