// How fast records are decoded and folded into the tracker, without Kafka: the ceiling of the
// reader's catch-up rate.

#include <benchmark/benchmark.h>

#include <span>

#include "offsets/group_state_tracker.h"
#include "offsets/record_decoder.h"
#include "synthetic_records.h"

namespace {

using lagwatch::bench::EncodedRecord;

lagwatch::offsets::Record decode(const EncodedRecord& record) {
  if (!record.value) return lagwatch::offsets::decode_record(record.key, std::nullopt);
  return lagwatch::offsets::decode_record(record.key, std::span<const std::uint8_t>(*record.value));
}

const std::vector<EncodedRecord>& records() {
  static const auto all = lagwatch::bench::synthetic_records({});
  return all;
}

void BM_Decode(benchmark::State& state) {
  const auto& input = records();
  for (auto _ : state) {
    for (const auto& record : input) benchmark::DoNotOptimize(decode(record));
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * input.size()));
}

void BM_DecodeAndApply(benchmark::State& state) {
  const auto& input = records();
  for (auto _ : state) {
    lagwatch::offsets::GroupStateTracker tracker;
    for (const auto& record : input) tracker.apply(decode(record));
    benchmark::DoNotOptimize(tracker.groups().size());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * input.size()));
}

}  // namespace

BENCHMARK(BM_Decode)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DecodeAndApply)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
