#include "floor/request_counts.h"

#include <chrono>
#include <cstdlib>
#include <string_view>

namespace lagwatch::bench {

namespace {

// Sums every `"req": { "Name": N, ... }` object of the statistics (one per broker, including
// the bootstrap and internal ones). A tiny scan instead of a JSON library: the object holds
// only flat name/number pairs.
std::map<std::string, uint64_t> sum_requests(std::string_view json) {
  std::map<std::string, uint64_t> totals;
  const std::string_view marker = "\"req\":";
  for (size_t at = json.find(marker); at != std::string_view::npos;
       at = json.find(marker, at + 1)) {
    const size_t open = json.find('{', at);
    const size_t close = json.find('}', open);
    if (open == std::string_view::npos || close == std::string_view::npos) break;
    std::string_view body = json.substr(open + 1, close - open - 1);
    while (!body.empty()) {
      const size_t name_start = body.find('"');
      const size_t name_end = body.find('"', name_start + 1);
      const size_t colon = body.find(':', name_end);
      if (name_start == std::string_view::npos || name_end == std::string_view::npos ||
          colon == std::string_view::npos) {
        break;
      }
      const std::string name(body.substr(name_start + 1, name_end - name_start - 1));
      totals[name] += std::strtoull(std::string(body.substr(colon + 1, 24)).c_str(), nullptr, 10);
      const size_t comma = body.find(',', colon);
      if (comma == std::string_view::npos) break;
      body.remove_prefix(comma + 1);
    }
  }
  return totals;
}

}  // namespace

void RequestCounter::install(rd_kafka_conf_t* conf, int interval_ms) {
  rd_kafka_conf_set(conf, "statistics.interval.ms", std::to_string(interval_ms).c_str(), nullptr,
                    0);
  rd_kafka_conf_set_stats_cb(conf, &RequestCounter::on_stats);
  rd_kafka_conf_set_opaque(conf, this);
}

int RequestCounter::on_stats(rd_kafka_t*, char* json, size_t length, void* opaque) {
  auto* self = static_cast<RequestCounter*>(opaque);
  auto totals = sum_requests(std::string_view(json, length));
  std::lock_guard lock(self->mutex_);
  self->latest_ = std::move(totals);
  return 0;  // librdkafka frees the JSON
}

std::map<std::string, uint64_t> RequestCounter::take_delta(rd_kafka_t* handle, int wait_ms) {
  // Statistics are delivered through the main queue, which nothing else in the floor serves.
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
  while (std::chrono::steady_clock::now() < until) rd_kafka_poll(handle, 50);
  std::lock_guard lock(mutex_);
  std::map<std::string, uint64_t> delta;
  for (const auto& [name, count] : latest_) {
    const uint64_t before = previous_.count(name) ? previous_[name] : 0;
    if (count > before) delta[name] = count - before;
  }
  previous_ = latest_;
  return delta;
}

std::string describe_counts(const std::map<std::string, uint64_t>& counts) {
  std::string out;
  for (const auto& [name, count] : counts) {
    if (!out.empty()) out += ", ";
    out += name + " " + std::to_string(count);
  }
  return out.empty() ? "none" : out;
}

}  // namespace lagwatch::bench
