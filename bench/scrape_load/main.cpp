// Scrape load: N concurrent clients issue M GETs in total against a metrics endpoint, each on a
// fresh connection as Prometheus does after an idle interval, and report latency percentiles.
#include <atomic>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/cli_args.h"
#include "common/percentiles.h"
#include "common/stopwatch.h"
#include "scrape_load/body_decoding.h"
#include "scrape_load/http_get.h"

namespace lagwatch::bench {
namespace {

constexpr const char* kUsage =
    R"(usage: lagwatch_bench_scrape_load --url http://127.0.0.1:PORT/metrics
  --clients N (1)       concurrent clients
  --requests M (20)     requests in total, shared by the clients
  --gzip                send Accept-Encoding: gzip (and require a gzip answer)
  --verify              decode each body (chunked, gzip) after timing it and check it is text
  --timeout-ms N (60000)
)";

struct Options {
  HttpTarget target;
  int clients = 1;
  int requests = 20;
  bool gzip = false;
  bool verify = false;
  int timeout_ms = 60000;
};

struct Totals {
  std::mutex mutex;
  std::vector<double> latencies_ms;
  std::size_t wire_bytes = 0;
  std::size_t decoded_bytes = 0;
  std::size_t failures = 0;
  std::string first_error;

  void fail(const std::string& error) {
    std::lock_guard lock(mutex);
    if (failures++ == 0) first_error = error;
  }
};

// Empty when the body is acceptable; checked outside the timed part of the request.
std::string check_body(const HttpResponse& response, const Options& options,
                       std::size_t& decoded_bytes) {
  if (options.gzip && response.content_encoding != "gzip") return "asked for gzip, got plain";
  if (!options.verify) return {};
  std::optional<std::string> body =
      response.chunked ? dechunk(response.body) : std::optional<std::string>(response.body);
  if (!body) return "broken chunked framing";
  if (response.content_encoding == "gzip") body = gunzip(*body);
  if (!body) return "body is not valid gzip";
  if (body->find("# TYPE") == std::string::npos) return "body has no # TYPE line";
  decoded_bytes = body->size();
  return {};
}

void client(const Options& options, std::atomic<int>& remaining, Totals& totals) {
  while (remaining.fetch_sub(1) > 0) {
    Stopwatch stopwatch;
    HttpResponse response = http_get(options.target, options.gzip, options.timeout_ms);
    double elapsed = stopwatch.elapsed_ms();
    if (!response.error.empty()) {
      totals.fail(response.error);
      continue;
    }
    if (response.status != 200) {
      totals.fail("HTTP status " + std::to_string(response.status));
      continue;
    }
    std::size_t decoded = 0;
    if (std::string problem = check_body(response, options, decoded); !problem.empty()) {
      totals.fail(problem);
      continue;
    }
    std::lock_guard lock(totals.mutex);
    totals.latencies_ms.push_back(elapsed);
    totals.wire_bytes += response.body.size();
    totals.decoded_bytes += decoded;
  }
}

int run(const Options& options) {
  Totals totals;
  std::atomic<int> remaining{options.requests};
  Stopwatch wall;
  std::vector<std::thread> clients;
  for (int i = 0; i < options.clients; ++i) {
    clients.emplace_back(client, std::cref(options), std::ref(remaining), std::ref(totals));
  }
  for (auto& thread : clients) thread.join();
  double wall_s = wall.elapsed_ms() / 1000.0;
  Summary summary = summarize(totals.latencies_ms);
  const double ok = static_cast<double>(summary.count);
  std::printf(
      "scrape\tclients %d\tgzip %s\trequests %zu ok, %zu failed\tmedian %.1f ms\tp99 %.1f ms\t"
      "max %.1f ms\t%.1f req/s\tbody %.0f bytes on the wire%s\n",
      options.clients, options.gzip ? "yes" : "no", summary.count, totals.failures, summary.median,
      summary.p99, summary.max, wall_s > 0 ? ok / wall_s : 0.0,
      ok > 0 ? static_cast<double>(totals.wire_bytes) / ok : 0.0,
      options.verify && ok > 0
          ? (", " + std::to_string(totals.decoded_bytes / summary.count) + " decoded").c_str()
          : "");
  if (totals.failures > 0) std::fprintf(stderr, "first failure: %s\n", totals.first_error.c_str());
  return totals.failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace lagwatch::bench

int main(int argc, char** argv) {
  using namespace lagwatch::bench;
  CliArgs args(argc, argv, 1);
  if (args.flag("help")) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  Options options;
  std::string url = args.text("url", "");
  options.clients = static_cast<int>(args.integer("clients", 1, 1, 10000));
  options.requests = static_cast<int>(args.integer("requests", 20, 1, 100'000'000));
  options.gzip = args.flag("gzip");
  options.verify = args.flag("verify");
  options.timeout_ms = static_cast<int>(args.integer("timeout-ms", 60000, 100, 3'600'000));
  auto problems = args.problems();
  std::string error;
  if (auto target = parse_http_url(url, error)) {
    options.target = *target;
  } else {
    problems.push_back(url.empty() ? "--url is required" : error);
  }
  for (const auto& problem : problems) std::fprintf(stderr, "%s\n", problem.c_str());
  if (!problems.empty()) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  return run(options);
}
