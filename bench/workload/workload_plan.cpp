#include "workload/workload_plan.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <random>
#include <set>
#include <string_view>

namespace lagwatch::bench {

namespace {

constexpr std::array<std::string_view, 10> kDomains = {
    "orders", "payments",  "inventory", "shipping", "customers",
    "clicks", "audit-log", "billing",   "search",   "notifications"};
constexpr std::array<std::string_view, 6> kEntities = {"events",    "commands", "changelog",
                                                       "snapshots", "retry",    "dead-letter"};
constexpr std::array<std::string_view, 8> kServices = {
    "fraud-scorer",  "ledger-writer", "email-sender",   "search-indexer",
    "stock-updater", "analytics-etl", "audit-archiver", "recommendation-feed"};

std::string numbered(std::string_view base, int index) {
  std::array<char, 16> digits{};
  std::snprintf(digits.data(), digits.size(), "%05d", index);
  return std::string(base) + "-" + digits.data();
}

// Heavy-tailed sizes like real clusters: many 1-6 partition topics, a few with hundreds.
std::vector<int> partition_counts(int topics, int total, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> unit(1e-3, 1.0);
  std::vector<double> weights(topics);
  double sum = 0;
  for (auto& weight : weights) {
    weight = 1.0 / std::pow(unit(rng), 0.9);
    sum += weight;
  }
  std::vector<int> counts(topics);
  long long assigned = 0;
  for (int i = 0; i < topics; ++i) {
    counts[i] = std::max(1, static_cast<int>(weights[i] / sum * total));
    assigned += counts[i];
  }
  std::uniform_int_distribution<int> pick(0, topics - 1);
  for (; assigned < total; ++assigned) ++counts[pick(rng)];
  // Rounding up to one partition each can overshoot: take back from the biggest topics.
  while (assigned > total) {
    auto biggest = std::max_element(counts.begin(), counts.end());
    --*biggest;
    --assigned;
  }
  return counts;
}

// Traffic differs per topic (idle, normal, busy) so that lags differ by orders of magnitude.
std::vector<int> record_counts(int partitions, int max_records, std::mt19937_64& rng) {
  std::uniform_int_distribution<int> traffic_class(0, 9);
  int low = 0;
  int high = 0;
  switch (traffic_class(rng)) {
    case 0:
    case 1:
      high = std::min(max_records, 5);
      break;
    case 8:
    case 9:
      low = max_records / 2;
      high = max_records;
      break;
    default:
      high = max_records / 4;
      break;
  }
  std::uniform_int_distribution<int> per_partition(low, high);
  std::vector<int> records(partitions);
  for (auto& count : records) count = per_partition(rng);
  return records;
}

double commit_fraction(std::mt19937_64& rng) {
  std::uniform_int_distribution<int> profile(0, 19);
  int chosen = profile(rng);
  if (chosen < 7) return 1.0;                                             // caught up
  if (chosen < 14) return std::uniform_real_distribution(0.9, 1.0)(rng);  // slightly behind
  if (chosen < 18) return std::uniform_real_distribution(0.3, 0.9)(rng);  // far behind
  return 0.0;                                                             // never progressed
}

GroupPlan make_group(const std::vector<TopicPlan>& topics, int index, int max_partitions,
                     const std::string& prefix, std::mt19937_64& rng) {
  GroupPlan group;
  group.name = numbered(prefix + "-" + std::string(kServices[index % kServices.size()]), index);
  int wanted = std::uniform_int_distribution<int>(1, max_partitions)(rng);
  std::uniform_int_distribution<int> pick_topic(0, static_cast<int>(topics.size()) - 1);
  std::set<int> used_topics;
  // Bounded: a group never needs more topics than partitions it wants, plus slack for repeats.
  for (int attempt = 0; attempt < wanted * 4 && wanted > 0; ++attempt) {
    int topic = pick_topic(rng);
    if (!used_topics.insert(topic).second) continue;
    int take = std::min(wanted, topics[topic].partitions);
    for (int partition = 0; partition < take; ++partition) {
      group.partitions.push_back({topic, partition});
    }
    wanted -= take;
  }
  group.commit_fraction = commit_fraction(rng);
  return group;
}

}  // namespace

WorkloadPlan make_plan(const PlanParams& params) {
  std::mt19937_64 rng(params.seed);
  WorkloadPlan plan;
  std::vector<int> counts = partition_counts(params.topics, params.partitions, rng);
  plan.topics.reserve(counts.size());
  for (int i = 0; i < params.topics; ++i) {
    TopicPlan topic;
    std::string base = params.prefix + "." + std::string(kDomains[i % kDomains.size()]) + "." +
                       std::string(kEntities[(i / kDomains.size()) % kEntities.size()]);
    topic.name = numbered(base, i);
    topic.partitions = counts[i];
    topic.records = record_counts(counts[i], params.max_records_per_partition, rng);
    for (int records : topic.records) plan.total_records += records;
    plan.topics.push_back(std::move(topic));
  }
  plan.groups.reserve(params.groups);
  for (int i = 0; i < params.groups; ++i) {
    plan.groups.push_back(
        make_group(plan.topics, i, params.max_partitions_per_group, params.prefix, rng));
    plan.group_partition_pairs += static_cast<long long>(plan.groups.back().partitions.size());
  }
  return plan;
}

}  // namespace lagwatch::bench
