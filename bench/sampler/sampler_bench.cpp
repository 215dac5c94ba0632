// Where does RecordSampler::sample() spend its time when it reads one offset of each of many
// partitions (the scale workload's shape: ~1 committed offset per partition per poll)? This
// program writes records to librdkafka's in-process mock cluster and times sample() over N
// partitions with K offsets each, best of R, wall and process CPU.
//   lagwatch_bench_sampler [NAME=VALUE...] [--partitions N] [--offsets K] [--records M] [--repeat
//   R]
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "common/cli_args.h"
#include "common/kafka_handles.h"
#include "common/process_cpu.h"
#include "kafka/record_sampler.h"

namespace {}  // namespace

int main(int argc, char** argv) {
  int first_option = 1;
  while (first_option < argc && std::string(argv[first_option]).rfind("--", 0) != 0) ++first_option;
  lagwatch::bench::CliArgs args(argc, argv, first_option);
  const int partitions = static_cast<int>(args.integer("partitions", 1000, 1, 100000));
  const int offsets = static_cast<int>(args.integer("offsets", 1, 1, 1000));
  const int records = static_cast<int>(args.integer("records", 100, 2, 1000000));
  const int repeat = static_cast<int>(args.integer("repeat", 3, 1, 100));
  for (const auto& problem : args.problems()) {
    std::fprintf(stderr, "%s\n", problem.c_str());
    return 2;
  }

  auto producer = lagwatch::bench::make_kafka_handle(
      RD_KAFKA_PRODUCER, {{"test.mock.num.brokers", "3"}, {"linger.ms", "5"}});
  if (!producer.handle) {
    std::fprintf(stderr, "mock cluster: %s\n", producer.error.c_str());
    return 1;
  }
  rd_kafka_t* rk = producer.handle.get();
  rd_kafka_mock_cluster_t* mock = rd_kafka_handle_mock_cluster(rk);
  const char* topic = "sampled";
  rd_kafka_mock_topic_create(mock, topic, partitions, 1);
  const std::string value(100, 'x');
  for (int p = 0; p < partitions; ++p) {
    for (int o = 0; o < records; ++o) {
      while (rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_PARTITION(p),
                               RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
                               RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                               RD_KAFKA_V_END) == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        rd_kafka_poll(rk, 10);
      }
    }
  }
  if (rd_kafka_flush(rk, 120000) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    std::fprintf(stderr, "flush failed\n");
    return 1;
  }

  lagwatch::kafka::ClientSettings settings;
  settings.bootstrap_servers = rd_kafka_mock_cluster_bootstraps(mock);
  // NAME=VALUE librdkafka properties of the sampler handle, to try alternatives.
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto eq = arg.find('=');
    if (arg.rfind("--", 0) != 0 && eq != std::string::npos) {
      settings.properties.push_back({arg.substr(0, eq), arg.substr(eq + 1), false});
    }
  }
  auto sampler = lagwatch::kafka::RecordSampler::create(settings);
  if (!sampler.has_value()) {
    std::fprintf(stderr, "sampler: %s\n", sampler.error().to_string().c_str());
    return 1;
  }
  std::vector<lagwatch::kafka::SampleRequest> requests;
  for (int p = 0; p < partitions; ++p) {
    for (int k = 0; k < offsets; ++k) {
      requests.push_back({topic, p, static_cast<int64_t>(records) * (k + 1) / (offsets + 1)});
    }
  }
  double best_wall = 1e9, best_cpu = 1e9;
  std::map<std::string, int> outcomes;
  for (int r = 0; r < repeat; ++r) {
    const double cpu_before = lagwatch::bench::process_cpu_seconds();
    const auto wall_before = std::chrono::steady_clock::now();
    const auto samples = sampler.value()->sample(requests, std::chrono::seconds(60));
    best_wall = std::min(
        best_wall,
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_before).count());
    best_cpu = std::min(best_cpu, lagwatch::bench::process_cpu_seconds() - cpu_before);
    outcomes.clear();
    for (const auto& sample : samples)
      ++outcomes[lagwatch::kafka::sample_outcome_name(sample.outcome)];
  }
  std::printf("partitions=%d offsets_per_partition=%d samples=%zu best_wall_s=%.3f best_cpu_s=%.3f",
              partitions, offsets, requests.size(), best_wall, best_cpu);
  for (const auto& [name, count] : outcomes) std::printf(" %s=%d", name.c_str(), count);
  std::printf("\n");
  return 0;
}
