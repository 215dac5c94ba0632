// Is batching rd_kafka_offsets_for_times worth it? Earlier librdkafka matched every ListOffsets
// reply partition to its request by a linear search (O(n^2) CPU in one call). This program asks
// librdkafka's in-process mock cluster for the latest offsets of N partitions, once in a single
// call, once in calls of B and once through the admin ListOffsets, and prints the process CPU
// time and wall time of each, best of R.
//   lagwatch_bench_watermark_batching [--partitions N] [--batch B] [--repeat R]
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>

#include "common/cli_args.h"
#include "common/kafka_handles.h"
#include "common/process_cpu.h"

namespace {

using lagwatch::bench::KafkaHandle;
using lagwatch::bench::PartitionListHandle;

struct Cost {
  double cpu = 1e9;
  double wall = 1e9;
};

// Latest offsets of partitions [0, partitions) of `topic`, in calls of `batch`.
bool query(rd_kafka_t* rk, const char* topic, int partitions, int batch, Cost& best) {
  const double cpu_before = lagwatch::bench::process_cpu_seconds();
  const auto wall_before = std::chrono::steady_clock::now();
  for (int begin = 0; begin < partitions; begin += batch) {
    const int end = std::min(partitions, begin + batch);
    PartitionListHandle list(rd_kafka_topic_partition_list_new(end - begin));
    for (int p = begin; p < end; ++p)
      rd_kafka_topic_partition_list_add(list.get(), topic, p)->offset = -1;
    const rd_kafka_resp_err_t err = rd_kafka_offsets_for_times(rk, list.get(), 60000);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      std::fprintf(stderr, "offsets_for_times: %s\n", rd_kafka_err2str(err));
      return false;
    }
  }
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_before).count();
  best.cpu = std::min(best.cpu, lagwatch::bench::process_cpu_seconds() - cpu_before);
  best.wall = std::min(best.wall, wall);
  return true;
}

// The same through the admin ListOffsets (KIP-396): all partitions in one call, which librdkafka
// splits into one request per partition leader.
bool query_admin(rd_kafka_t* rk, const char* topic, int partitions, Cost& best) {
  const double cpu_before = lagwatch::bench::process_cpu_seconds();
  const auto wall_before = std::chrono::steady_clock::now();
  PartitionListHandle list(rd_kafka_topic_partition_list_new(partitions));
  for (int p = 0; p < partitions; ++p) {
    rd_kafka_topic_partition_list_add(list.get(), topic, p)->offset = RD_KAFKA_OFFSET_SPEC_LATEST;
  }
  rd_kafka_queue_t* queue = rd_kafka_queue_new(rk);
  rd_kafka_AdminOptions_t* options = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_LISTOFFSETS);
  rd_kafka_ListOffsets(rk, list.get(), options, queue);
  rd_kafka_event_t* event = rd_kafka_queue_poll(queue, 60000);
  bool ok = event != nullptr && rd_kafka_event_error(event) == RD_KAFKA_RESP_ERR_NO_ERROR;
  size_t count = 0;
  if (ok) {
    rd_kafka_ListOffsets_result_infos(rd_kafka_event_ListOffsets_result(event), &count);
    ok = count == static_cast<size_t>(partitions);
  }
  if (!ok) std::fprintf(stderr, "ListOffsets: %zu of %d partitions answered\n", count, partitions);
  if (event != nullptr) rd_kafka_event_destroy(event);
  rd_kafka_AdminOptions_destroy(options);
  rd_kafka_queue_destroy(queue);
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_before).count();
  best.cpu = std::min(best.cpu, lagwatch::bench::process_cpu_seconds() - cpu_before);
  best.wall = std::min(best.wall, wall);
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  lagwatch::bench::CliArgs args(argc, argv, 1);
  const int partitions = static_cast<int>(args.integer("partitions", 10000, 1, 1000000));
  const int batch = static_cast<int>(args.integer("batch", 500, 1, 1000000));
  const int repeat = static_cast<int>(args.integer("repeat", 3, 1, 100));
  if (const auto problems = args.problems(); !problems.empty()) {
    for (const auto& problem : problems) std::fprintf(stderr, "%s\n", problem.c_str());
    return 2;
  }
  const char* topic = "watermark-batching";

  char errstr[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  if (rd_kafka_conf_set(conf, "test.mock.num.brokers", "1", errstr, sizeof errstr) !=
      RD_KAFKA_CONF_OK) {
    std::fprintf(stderr, "%s\n", errstr);
    return 1;
  }
  KafkaHandle rk(rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr));
  if (!rk) {
    std::fprintf(stderr, "%s\n", errstr);
    return 1;
  }
  rd_kafka_mock_cluster_t* mock = rd_kafka_handle_mock_cluster(rk.get());
  if (rd_kafka_mock_topic_create(mock, topic, partitions, 1) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    std::fprintf(stderr, "cannot create the mock topic\n");
    return 1;
  }
  Cost one_call, batched, admin;
  for (int r = 0; r < repeat; ++r) {
    if (!query(rk.get(), topic, partitions, partitions, one_call)) return 1;
    if (!query(rk.get(), topic, partitions, batch, batched)) return 1;
    if (!query_admin(rk.get(), topic, partitions, admin)) return 1;
  }
  std::printf("librdkafka %s, %d partitions, best of %d\n", rd_kafka_version_str(), partitions,
              repeat);
  std::printf("| calls | CPU s | wall s |\n| --- | --- | --- |\n");
  std::printf("| 1 of %d | %.3f | %.3f |\n", partitions, one_call.cpu, one_call.wall);
  std::printf("| %d of %d | %.3f | %.3f |\n", (partitions + batch - 1) / batch, batch, batched.cpu,
              batched.wall);
  std::printf("| 1 admin ListOffsets of %d | %.3f | %.3f |\n", partitions, admin.cpu, admin.wall);
  return 0;
}
