#include "workload/offset_committer.h"

#include <chrono>
#include <cmath>
#include <deque>
#include <thread>
#include <unordered_map>

#include "common/kafka_handles.h"

namespace lagwatch::bench {

namespace {

void submit(rd_kafka_t* handle, rd_kafka_queue_t* queue, const rd_kafka_AdminOptions_t* options,
            const WorkloadPlan& plan, const GroupPlan& group, const HighWatermarks& highs) {
  PartitionListHandle offsets(
      rd_kafka_topic_partition_list_new(static_cast<int>(group.partitions.size())));
  for (const GroupPartition& entry : group.partitions) {
    const int64_t high = std::max<int64_t>(highs[entry.topic][entry.partition], 0);
    auto committed =
        static_cast<int64_t>(std::floor(group.commit_fraction * static_cast<double>(high)));
    rd_kafka_topic_partition_list_add(offsets.get(), plan.topics[entry.topic].name.c_str(),
                                      entry.partition)
        ->offset = committed;
  }
  rd_kafka_AlterConsumerGroupOffsets_t* alter =
      rd_kafka_AlterConsumerGroupOffsets_new(group.name.c_str(), offsets.get());
  rd_kafka_AlterConsumerGroupOffsets(handle, &alter, 1, options, queue);
  rd_kafka_AlterConsumerGroupOffsets_destroy(alter);
}

// A fresh cluster creates __consumer_offsets on the first coordinator lookup and loads its
// partitions for a while; librdkafka 2.0.2 hands these partition errors back instead of retrying.
bool coordinator_not_ready(rd_kafka_resp_err_t err) {
  return err == RD_KAFKA_RESP_ERR_NOT_COORDINATOR ||
         err == RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS ||
         err == RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE;
}

bool needs_retry(const rd_kafka_group_result_t* group) {
  if (const rd_kafka_error_t* error = rd_kafka_group_result_error(group)) {
    return coordinator_not_ready(rd_kafka_error_code(error));
  }
  const rd_kafka_topic_partition_list_t* partitions = rd_kafka_group_result_partitions(group);
  for (int p = 0; partitions != nullptr && p < partitions->cnt; ++p) {
    if (coordinator_not_ready(partitions->elems[p].err)) return true;
  }
  return false;
}

// Returns the names of groups to send again; everything else is counted into `report`.
std::vector<std::string> collect(rd_kafka_event_t* event, CommitReport& report) {
  std::vector<std::string> retry;
  auto fail = [&report](const std::string& error) {
    if (report.groups_failed++ == 0) report.first_error = error;
  };
  if (rd_kafka_event_error(event) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    fail(rd_kafka_event_error_string(event));
    return retry;
  }
  const auto* result = rd_kafka_event_AlterConsumerGroupOffsets_result(event);
  std::size_t count = 0;
  const rd_kafka_group_result_t** groups =
      rd_kafka_AlterConsumerGroupOffsets_result_groups(result, &count);
  for (std::size_t i = 0; i < count; ++i) {
    if (needs_retry(groups[i])) {
      retry.emplace_back(rd_kafka_group_result_name(groups[i]));
      continue;
    }
    if (const rd_kafka_error_t* error = rd_kafka_group_result_error(groups[i])) {
      fail(std::string(rd_kafka_group_result_name(groups[i])) + ": " +
           rd_kafka_error_string(error));
      continue;
    }
    ++report.groups_ok;
    const rd_kafka_topic_partition_list_t* partitions = rd_kafka_group_result_partitions(groups[i]);
    for (int p = 0; partitions != nullptr && p < partitions->cnt; ++p) {
      if (partitions->elems[p].err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        ++report.partitions_committed;
      } else if (report.partition_errors++ == 0 && report.first_error.empty()) {
        report.first_error = rd_kafka_err2str(partitions->elems[p].err);
      }
    }
  }
  return retry;
}

constexpr int kMaxAttemptsPerGroup = 20;
constexpr auto kRetryBackoff = std::chrono::milliseconds(250);

}  // namespace

CommitReport commit_offsets(rd_kafka_t* handle, const WorkloadPlan& plan,
                            const HighWatermarks& highs, int max_in_flight, int timeout_ms) {
  CommitReport report;
  QueueHandle queue(rd_kafka_queue_new(handle));
  AdminOptionsHandle options =
      make_admin_options(handle, RD_KAFKA_ADMIN_OP_ALTERCONSUMERGROUPOFFSETS, timeout_ms);
  std::unordered_map<std::string, std::size_t> index_of;
  for (std::size_t i = 0; i < plan.groups.size(); ++i) index_of[plan.groups[i].name] = i;
  std::vector<int> attempts(plan.groups.size(), 0);
  std::deque<std::size_t> to_send;
  for (std::size_t i = 0; i < plan.groups.size(); ++i) to_send.push_back(i);
  int in_flight = 0;
  while (!to_send.empty() || in_flight > 0) {
    while (in_flight < max_in_flight && !to_send.empty()) {
      std::size_t group = to_send.front();
      to_send.pop_front();
      ++attempts[group];
      submit(handle, queue.get(), options.get(), plan, plan.groups[group], highs);
      ++in_flight;
    }
    EventHandle event = next_event(queue.get(), timeout_ms + 5000);
    if (!event) {
      report.groups_failed += in_flight;
      if (report.first_error.empty()) report.first_error = "no answer within the timeout";
      break;
    }
    --in_flight;
    std::vector<std::string> retry = collect(event.get(), report);
    for (const std::string& name : retry) {
      auto found = index_of.find(name);
      std::size_t group = found == index_of.end() ? 0 : found->second;
      if (found == index_of.end() || attempts[group] >= kMaxAttemptsPerGroup) {
        if (report.groups_failed++ == 0) report.first_error = name + ": coordinator never ready";
        continue;
      }
      to_send.push_back(group);
    }
    if (!retry.empty()) std::this_thread::sleep_for(kRetryBackoff);
  }
  return report;
}

}  // namespace lagwatch::bench
