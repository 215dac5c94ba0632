#pragma once
// A scripted Kafka cluster for tests of the poll loop, no broker: the poller's AdminFactory
// makes FakeAdmin handles that answer from it. The test sets topics, groups and failures per
// call, counts the calls and handles, and steps the poller one poll at a time.
//
// Stepping: every poll begins with a handle being made or with a Metadata request. The fake
// holds the poller there until the test lets one poll through, and that poll has ended (its
// result published) once the poller is back at the start of the next one. So the test reads
// the exposition while the poller waits, and nothing depends on timing.

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "kafka/admin.h"
#include "poll/cluster_poller.h"

namespace lagwatch::poll::testing {

enum class Call {
  kMetadata,
  kListGroups,
  kDescribeTopics,
  kDescribeGroups,
  kListGroupOffsets,
  kWatermarks,
};

inline const Error kTimedOut{-185, "Local: Timed out"};
inline const Error kTransportFailure{-195, "Local: Broker transport failure"};

class FakeCluster {
 public:
  struct Partition {
    int64_t low = 0;
    int64_t high = 0;
  };
  struct Group {
    kafka::GroupState state = kafka::GroupState::kStable;
    int32_t members = 1;
    std::map<std::pair<std::string, int32_t>, int64_t> committed;  // topic, partition: offset
  };

  FakeCluster() = default;
  FakeCluster(const FakeCluster&) = delete;
  FakeCluster& operator=(const FakeCluster&) = delete;

  // Contents. A topic's partitions, by index.
  void set_topic(const std::string& name, std::vector<Partition> partitions);
  void set_high(const std::string& topic, int32_t partition, int64_t high);
  void set_low(const std::string& topic, int32_t partition, int64_t low);
  void set_group(const std::string& name, Group group);
  void commit(const std::string& group, const std::string& topic, int32_t partition,
              int64_t offset);
  void remove_group(const std::string& name);

  // Failures, until healed. A failed call of a per-group kind fails for every group.
  void fail(Call call, Error error);
  void fail_group(Call call, const std::string& group, Error error);
  void fail_handles(Error error);  // the factory refuses to make a handle
  void heal();                     // every failure above ends

  int calls(Call call) const;
  // How many log starts (earliest offsets) the watermark calls asked for, in all.
  int earliest_offsets_read() const;
  int handles_made() const;
  int handles_alive() const;
  // The value of librdkafka property `name` the last handle was made with ("" when unset).
  std::string property_of_last_handle(const std::string& name) const;

  // The poller's factory; the cluster must outlive every handle made from it.
  AdminFactory factory();

  // Lets one poll through and waits (up to a minute) until it has ended; false if it did not.
  [[nodiscard]] bool step();
  // Waits (up to a minute) until the poller is at the start of a poll; false if it did not get
  // there. The first step() does this itself.
  [[nodiscard]] bool wait_at_start();
  // Lets every poll through from now on, for the poller to be stopped.
  void release();

  // Called by FakeAdmin on the poller's threads.
  Result<kafka::ClusterMetadata> metadata();
  Result<std::vector<kafka::GroupListing>> list_groups();
  Result<std::vector<kafka::TopicMetadata>> describe_topics(const std::vector<std::string>& topics);
  std::vector<kafka::PerGroup<kafka::GroupDescription>> describe_groups(
      const std::vector<std::string>& groups);
  std::vector<kafka::PerGroup<kafka::GroupOffsets>> list_group_offsets(
      const std::vector<std::string>& groups);
  Result<std::vector<kafka::Watermark>> watermarks(
      const std::vector<kafka::TopicPartition>& partitions,
      const std::vector<kafka::TopicPartition>& earliest);
  void handle_destroyed();

 private:
  // Holds the poller at the start of a poll until the test lets it through (mutex_ held).
  void begin_poll(std::unique_lock<std::mutex>& lock);
  // Counts the call; the error it fails with, if any (mutex_ held).
  std::optional<Error> count(Call call);
  // Per group: the error the call or the group is failing with, else answer(name, group or
  // null when there is no such group) (mutex_ held).
  template <class T, class Answer>
  std::vector<kafka::PerGroup<T>> answer_each(Call call, const std::vector<std::string>& groups,
                                              Answer&& answer);

  mutable std::mutex mutex_;
  std::condition_variable gate_;
  std::map<std::string, std::vector<Partition>> topics_;
  std::map<std::string, Group> groups_;
  std::map<Call, Error> failing_;
  std::map<std::pair<Call, std::string>, Error> failing_groups_;
  std::optional<Error> failing_handles_;
  std::map<Call, int> calls_;
  int earliest_read_ = 0;
  std::vector<kafka::Property> last_handle_properties_;
  int handles_made_ = 0;
  int handles_alive_ = 0;
  // Stepping: polls let through and not yet begun, polls that reached their start, released.
  int permits_ = 0;
  int arrivals_ = 0;
  bool released_ = false;
  bool handle_just_made_ = false;  // the poll began at the factory; its Metadata call goes on
};

}  // namespace lagwatch::poll::testing
