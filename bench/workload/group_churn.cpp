#include "workload/group_churn.h"

#include <algorithm>
#include <chrono>
#include <deque>
#include <random>
#include <thread>

#include "common/kafka_handles.h"
#include "common/stopwatch.h"

namespace lagwatch::bench {

namespace {

using Clock = std::chrono::steady_clock;

struct ChurnState {
  rd_kafka_t* handle;
  rd_kafka_queue_t* queue;
  AdminOptionsHandle alter_options;
  AdminOptionsHandle delete_options;
  std::deque<std::string> live;
  int in_flight = 0;
  ChurnReport report;
};

void create_group(ChurnState& state, const WorkloadPlan& plan, const std::string& name,
                  int partitions, std::mt19937_64& rng) {
  std::uniform_int_distribution<std::size_t> pick_topic(0, plan.topics.size() - 1);
  const TopicPlan& topic = plan.topics[pick_topic(rng)];
  PartitionListHandle offsets(rd_kafka_topic_partition_list_new(partitions));
  for (int p = 0; p < std::min(partitions, topic.partitions); ++p) {
    rd_kafka_topic_partition_list_add(offsets.get(), topic.name.c_str(), p)->offset = 0;
  }
  rd_kafka_AlterConsumerGroupOffsets_t* alter =
      rd_kafka_AlterConsumerGroupOffsets_new(name.c_str(), offsets.get());
  rd_kafka_AlterConsumerGroupOffsets(state.handle, &alter, 1, state.alter_options.get(),
                                     state.queue);
  rd_kafka_AlterConsumerGroupOffsets_destroy(alter);
  ++state.in_flight;
  state.live.push_back(name);
}

void delete_oldest(ChurnState& state) {
  rd_kafka_DeleteGroup_t* group = rd_kafka_DeleteGroup_new(state.live.front().c_str());
  rd_kafka_DeleteGroups(state.handle, &group, 1, state.delete_options.get(), state.queue);
  rd_kafka_DeleteGroup_destroy(group);
  state.live.pop_front();
  ++state.in_flight;
}

void count_groups(ChurnState& state, const rd_kafka_group_result_t** groups, std::size_t count,
                  long long& success_counter) {
  for (std::size_t i = 0; i < count; ++i) {
    if (const rd_kafka_error_t* error = rd_kafka_group_result_error(groups[i])) {
      if (state.report.failed++ == 0) state.report.first_error = rd_kafka_error_string(error);
    } else {
      ++success_counter;
    }
  }
}

void collect(ChurnState& state, rd_kafka_event_t* event) {
  --state.in_flight;
  std::size_t count = 0;
  if (rd_kafka_event_error(event) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    if (state.report.failed++ == 0) state.report.first_error = rd_kafka_event_error_string(event);
  } else if (const auto* altered = rd_kafka_event_AlterConsumerGroupOffsets_result(event)) {
    const auto** groups = rd_kafka_AlterConsumerGroupOffsets_result_groups(altered, &count);
    count_groups(state, groups, count, state.report.created);
  } else if (const auto* deleted = rd_kafka_event_DeleteGroups_result(event)) {
    const auto** groups = rd_kafka_DeleteGroups_result_groups(deleted, &count);
    count_groups(state, groups, count, state.report.deleted);
  }
}

// Serves answers until the next scheduled action is due.
void serve_until(ChurnState& state, Clock::time_point until) {
  while (true) {
    auto now = Clock::now();
    if (now >= until) return;
    if (state.in_flight == 0) {
      std::this_thread::sleep_until(until);
      return;
    }
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(until - now).count();
    EventHandle event =
        next_event(state.queue, static_cast<int>(std::clamp<long long>(wait, 1, 100)));
    if (event) collect(state, event.get());
  }
}

bool wait_for_answers(ChurnState& state, int timeout_ms) {
  const auto give_up = Clock::now() + std::chrono::milliseconds(timeout_ms);
  while (state.in_flight > 0) {
    if (Clock::now() >= give_up) return false;
    EventHandle event = next_event(state.queue, 100);
    if (event) collect(state, event.get());
  }
  return true;
}

// More outstanding requests than this means the broker stopped keeping up with the rate.
constexpr int kMaxOutstanding = 1000;

}  // namespace

ChurnReport run_group_churn(rd_kafka_t* handle, const WorkloadPlan& plan, const std::string& prefix,
                            const ChurnParams& params) {
  QueueHandle queue(rd_kafka_queue_new(handle));
  ChurnState state{
      handle,
      queue.get(),
      make_admin_options(handle, RD_KAFKA_ADMIN_OP_ALTERCONSUMERGROUPOFFSETS, params.timeout_ms),
      make_admin_options(handle, RD_KAFKA_ADMIN_OP_DELETEGROUPS, params.timeout_ms),
      {},
      0,
      {}};
  if (plan.topics.empty()) {
    state.report.first_error = "no topics to commit on";
    return state.report;
  }
  std::mt19937_64 rng(params.seed);
  Stopwatch stopwatch;
  const auto start = Clock::now();
  const auto interval = std::chrono::duration<double>(1.0 / params.groups_per_second);
  const auto end = start + std::chrono::duration_cast<Clock::duration>(
                               std::chrono::duration<double>(params.seconds));
  const std::string run_tag = prefix + "-churn-" + std::to_string(params.seed) + "-";
  for (long long n = 0;; ++n) {
    auto due =
        start + std::chrono::duration_cast<Clock::duration>(interval * static_cast<double>(n));
    if (due >= end || (params.stop != nullptr && params.stop->load())) break;
    serve_until(state, due);
    if (state.in_flight > kMaxOutstanding) {
      state.report.first_error = "broker fell behind the churn rate";
      break;
    }
    create_group(state, plan, run_tag + std::to_string(n), params.partitions_per_group, rng);
    if (static_cast<int>(state.live.size()) > params.live_groups) delete_oldest(state);
  }
  // Let creations finish before deleting what is left, or a delete may overtake its create.
  bool answered = wait_for_answers(state, params.timeout_ms);
  while (!state.live.empty()) delete_oldest(state);
  answered = wait_for_answers(state, params.timeout_ms) && answered;
  if (!answered && state.report.first_error.empty()) {
    state.report.first_error = "answers stopped coming within the timeout";
  }
  state.report.elapsed_s = stopwatch.elapsed_ms() / 1000.0;
  return state.report;
}

}  // namespace lagwatch::bench
