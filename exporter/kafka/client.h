#pragma once
// The only code in lagwatch that talks to Kafka. One Client per cluster, the Admin its poller
// sends requests to; it owns its librdkafka handle and result queue. Calls block the calling
// (poller) thread up to their timeouts; many requests of one call are in flight at once, up to
// `max_in_flight`.

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "error/result.h"
#include "kafka/admin.h"
#include "kafka/types.h"

namespace lagwatch::kafka {

struct Property {
  std::string name;
  std::string value;
  bool secret = false;  // never echoed in errors or logs
};

struct ClientSettings {
  std::string bootstrap_servers;
  std::vector<Property> properties;  // applied after lagwatch's defaults, so they win
  std::chrono::milliseconds request_timeout{10000};
  int max_in_flight = 32;
  int describe_batch = 16;  // groups per DescribeConsumerGroups request
  // From this many wanted groups on, groups are first described broker-wide (one request per
  // broker for every group it coordinates); below it, per group (a sidecar watching one group
  // on a big cluster would otherwise describe them all). See kafka/internal/describe_groups.h.
  size_t broker_wide_describe_min_groups = 32;
  // When set, librdkafka's statistics JSON of every handle made from these settings is passed to
  // it every `statistics_interval`, on the thread that serves that handle's callbacks.
  std::function<void(std::string_view json)> on_statistics;
  std::chrono::milliseconds statistics_interval{5000};
};

// The librdkafka version this process runs with, e.g. "2.8.0".
std::string library_version();

class Client : public Admin {
 public:
  static Result<std::unique_ptr<Client>> create(const ClientSettings& settings);
  ~Client() override;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  Result<ClusterMetadata> metadata() override;
  Result<std::vector<GroupListing>> list_groups() override;
  Result<std::vector<TopicMetadata>> describe_topics(
      const std::vector<std::string>& topics) override;
  std::vector<PerGroup<GroupDescription>> describe_groups(
      const std::vector<std::string>& groups) override;
  std::vector<PerGroup<GroupOffsets>> list_group_offsets(
      const std::vector<std::string>& groups) override;
  Result<std::vector<Watermark>> watermarks(const std::vector<TopicPartition>& partitions,
                                            const std::vector<TopicPartition>& earliest) override;
  void serve_callbacks() override;

 private:
  struct Handles;
  explicit Client(std::unique_ptr<Handles> handles, ClientSettings settings);
  std::unique_ptr<Handles> handles_;
  ClientSettings settings_;
};

}  // namespace lagwatch::kafka
