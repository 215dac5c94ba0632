#pragma once
// Counts the Kafka requests a client sent, by API name, from librdkafka's statistics: it shows
// what a cycle really costs on the wire (e.g. one FindCoordinator per admin request).

#include <librdkafka/rdkafka.h>

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace lagwatch::bench {

class RequestCounter {
 public:
  // Installs the statistics callback on `conf` (emitted every `interval_ms`).
  void install(rd_kafka_conf_t* conf, int interval_ms);
  // Requests sent per API since the previous call, from the newest statistics emitted while
  // serving `handle`'s main queue for `wait_ms` (so they cover the work done before the call).
  std::map<std::string, uint64_t> take_delta(rd_kafka_t* handle, int wait_ms);

 private:
  static int on_stats(rd_kafka_t* handle, char* json, size_t length, void* opaque);
  std::mutex mutex_;
  std::map<std::string, uint64_t> latest_;
  std::map<std::string, uint64_t> previous_;
};

// "FindCoordinator 10000, OffsetFetch 5000" (zero counts left out).
std::string describe_counts(const std::map<std::string, uint64_t>& counts);

}  // namespace lagwatch::bench
