#include "workload/active_members.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "common/kafka_handles.h"

namespace lagwatch::bench {

namespace {

using Clock = std::chrono::steady_clock;

struct Shared {
  std::atomic<long long> consumed{0};
  std::atomic<long long> produced{0};
  std::mutex error_mutex;
  std::string first_error;

  void fail(const std::string& error) {
    std::lock_guard lock(error_mutex);
    if (first_error.empty()) first_error = error;
  }
};

std::vector<std::string> group_topics(const WorkloadPlan& plan, const GroupPlan& group) {
  std::set<std::string> names;
  for (const GroupPartition& entry : group.partitions) names.insert(plan.topics[entry.topic].name);
  return {names.begin(), names.end()};
}

void run_member(const std::string& bootstrap, const std::string& group_id,
                const std::vector<std::string>& topics, int member, const MembersParams& params,
                Clock::time_point until, Shared& shared) {
  HandleOrError made = make_kafka_handle(
      RD_KAFKA_CONSUMER, {{"bootstrap.servers", bootstrap},
                          {"group.id", group_id},
                          {"client.id", group_id + "-member-" + std::to_string(member)},
                          {"auto.offset.reset", "latest"},
                          {"enable.auto.commit", "true"},
                          {"auto.commit.interval.ms", "1000"}});
  if (!made.handle) {
    shared.fail(made.error);
    return;
  }
  rd_kafka_t* consumer = made.handle.get();
  rd_kafka_poll_set_consumer(consumer);
  PartitionListHandle subscription(
      rd_kafka_topic_partition_list_new(static_cast<int>(topics.size())));
  for (const std::string& topic : topics) {
    rd_kafka_topic_partition_list_add(subscription.get(), topic.c_str(), RD_KAFKA_PARTITION_UA);
  }
  if (rd_kafka_resp_err_t err = rd_kafka_subscribe(consumer, subscription.get())) {
    shared.fail(group_id + ": subscribe: " + rd_kafka_err2str(err));
    return;
  }
  const auto pause = std::chrono::microseconds(1'000'000 / std::max(params.records_per_second, 1));
  while (Clock::now() < until) {
    rd_kafka_message_t* message = rd_kafka_consumer_poll(consumer, 200);
    if (message == nullptr) continue;
    if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) ++shared.consumed;
    rd_kafka_message_destroy(message);
    std::this_thread::sleep_for(pause);
  }
  rd_kafka_consumer_close(consumer);
}

void run_trickle_producer(const std::string& bootstrap, const std::vector<std::string>& topics,
                          const MembersParams& params, Clock::time_point until, Shared& shared) {
  if (topics.empty() || params.produce_per_second <= 0) return;
  HandleOrError made = make_kafka_handle(
      RD_KAFKA_PRODUCER, {{"bootstrap.servers", bootstrap}, {"linger.ms", "50"}, {"acks", "1"}});
  if (!made.handle) {
    shared.fail(made.error);
    return;
  }
  rd_kafka_t* producer = made.handle.get();
  const auto interval = std::chrono::microseconds(1'000'000 / params.produce_per_second);
  auto next = Clock::now();
  std::string value(200, 'v');
  for (std::size_t i = 0; Clock::now() < until; ++i) {
    const std::string& topic = topics[i % topics.size()];
    rd_kafka_resp_err_t err = rd_kafka_producev(
        producer, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
        RD_KAFKA_V_VALUE(value.data(), value.size()), RD_KAFKA_V_END);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) ++shared.produced;
    rd_kafka_poll(producer, 0);
    next += interval;
    std::this_thread::sleep_until(next);
  }
  rd_kafka_flush(producer, 10000);
}

}  // namespace

MembersReport run_active_members(const std::string& bootstrap, const WorkloadPlan& plan,
                                 const MembersParams& params) {
  Shared shared;
  const auto until =
      Clock::now() + std::chrono::milliseconds(static_cast<long long>(params.seconds * 1000));
  std::vector<std::thread> threads;
  std::set<std::string> all_topics;
  const int groups = std::min<int>(params.groups, static_cast<int>(plan.groups.size()));
  for (int g = 0; g < groups; ++g) {
    std::vector<std::string> topics = group_topics(plan, plan.groups[g]);
    all_topics.insert(topics.begin(), topics.end());
    for (int member = 0; member < params.members_per_group; ++member) {
      threads.emplace_back(run_member, std::cref(bootstrap), plan.groups[g].name, topics, member,
                           std::cref(params), until, std::ref(shared));
    }
  }
  std::vector<std::string> produce_topics(all_topics.begin(), all_topics.end());
  threads.emplace_back(run_trickle_producer, std::cref(bootstrap), std::cref(produce_topics),
                       std::cref(params), until, std::ref(shared));
  for (auto& thread : threads) thread.join();
  return {shared.consumed.load(), shared.produced.load(), shared.first_error};
}

}  // namespace lagwatch::bench
