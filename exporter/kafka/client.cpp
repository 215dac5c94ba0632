#include "kafka/client.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string_view>

#include "kafka/internal/conf.h"
#include "kafka/internal/connection_error.h"
#include "kafka/internal/describe_groups.h"
#include "kafka/internal/errors.h"
#include "kafka/internal/fanout.h"
#include "kafka/internal/handles.h"
#include "log/log.h"

namespace lagwatch::kafka {

using namespace detail;

struct Client::Handles {
  // Declared before rk, so both outlive it: its callbacks reach them through its opaque.
  std::unique_ptr<ConnectionErrors> errors;
  HandleHooks hooks;
  KafkaPtr rk;
};

namespace {

int timeout_ms(std::chrono::milliseconds timeout) { return static_cast<int>(timeout.count()); }

}  // namespace

std::string library_version() { return rd_kafka_version_str(); }

Result<std::unique_ptr<Client>> Client::create(const ClientSettings& settings) {
  auto handles = std::make_unique<Handles>();
  handles->hooks.on_statistics = settings.on_statistics;
  auto conf = make_conf(settings, kAdminRecipe, &handles->hooks);
  if (!conf.has_value()) return conf.error();
  std::vector<std::string> secrets;
  for (const auto& property : settings.properties) {
    if (property.secret) secrets.push_back(property.value);
  }
  auto errors = std::make_unique<ConnectionErrors>(std::move(secrets));
  errors->attach(conf.value().get(), handles->hooks);
  auto rk = make_consumer(std::move(conf).value());
  if (!rk.has_value()) return rk.error();
  handles->errors = std::move(errors);
  handles->rk = std::move(rk).value();
  return std::unique_ptr<Client>(new Client(std::move(handles), settings));
}

Client::Client(std::unique_ptr<Handles> handles, ClientSettings settings)
    : handles_(std::move(handles)), settings_(std::move(settings)) {}

Client::~Client() = default;

void Client::serve_callbacks() { rd_kafka_poll(handles_->rk.get(), 0); }

Result<ClusterMetadata> Client::metadata() {
  const rd_kafka_metadata_t* raw = nullptr;
  const rd_kafka_resp_err_t err = rd_kafka_metadata(handles_->rk.get(), 1, nullptr, &raw,
                                                    timeout_ms(settings_.request_timeout));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return handles_->errors->explain(error_from(err));
  handles_->errors->clear();
  MetadataPtr md(raw);
  ClusterMetadata result;
  result.brokers.reserve(static_cast<size_t>(md->broker_cnt));
  for (int b = 0; b < md->broker_cnt; ++b) {
    const auto& broker = md->brokers[b];
    result.brokers.push_back({broker.id, broker.host != nullptr ? broker.host : "", broker.port});
  }
  std::sort(result.brokers.begin(), result.brokers.end(),
            [](const BrokerMetadata& a, const BrokerMetadata& b) { return a.id < b.id; });
  result.topics.reserve(static_cast<size_t>(md->topic_cnt));
  for (int i = 0; i < md->topic_cnt; ++i) {
    const auto& topic = md->topics[i];
    TopicMetadata entry{topic.topic, topic.partition_cnt, std::nullopt, {}};
    if (topic.err != RD_KAFKA_RESP_ERR_NO_ERROR) entry.error = error_from(topic.err);
    entry.partition_details.reserve(static_cast<size_t>(topic.partition_cnt));
    for (int p = 0; p < topic.partition_cnt; ++p) {
      const auto& partition = topic.partitions[p];
      entry.partition_details.push_back(
          {partition.id, partition.leader,
           std::vector<int32_t>(partition.replicas, partition.replicas + partition.replica_cnt),
           std::vector<int32_t>(partition.isrs, partition.isrs + partition.isr_cnt)});
    }
    std::sort(entry.partition_details.begin(), entry.partition_details.end(),
              [](const PartitionMetadata& a, const PartitionMetadata& b) {
                return a.partition < b.partition;
              });
    result.topics.push_back(std::move(entry));
  }
  return result;
}

Result<std::vector<GroupListing>> Client::list_groups() {
  std::optional<Result<std::vector<GroupListing>>> outcome;
  FanoutRequests request;
  request.count = 1;
  request.op = RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS;
  request.issue = [&](size_t, const rd_kafka_AdminOptions_t* options, rd_kafka_queue_t* queue) {
    rd_kafka_ListConsumerGroups(handles_->rk.get(), options, queue);
  };
  request.complete = [&](size_t, rd_kafka_event_t* event) {
    if (auto error = event_error(event)) {
      outcome = *error;
      return;
    }
    const auto* res = rd_kafka_event_ListConsumerGroups_result(event);
    size_t error_count = 0;
    const rd_kafka_error_t** errors = rd_kafka_ListConsumerGroups_result_errors(res, &error_count);
    // A broker that did not answer means groups it coordinates are missing from the list: the
    // poller must not take their absence as deletion, so the whole listing fails.
    if (error_count > 0) {
      outcome = error_from(errors[0]);
      return;
    }
    size_t count = 0;
    const rd_kafka_ConsumerGroupListing_t** listings =
        rd_kafka_ListConsumerGroups_result_valid(res, &count);
    std::vector<GroupListing> groups;
    groups.reserve(count);
    std::set<std::string_view> seen;
    for (size_t i = 0; i < count; ++i) {
      const char* name = rd_kafka_ConsumerGroupListing_group_id(listings[i]);
      // A group moving between coordinators can be listed twice; keep the first.
      if (!seen.insert(name).second) continue;
      groups.push_back(GroupListing{
          name, rd_kafka_ConsumerGroupListing_is_simple_consumer_group(listings[i]) != 0,
          to_state(rd_kafka_ConsumerGroupListing_state(listings[i]))});
    }
    outcome = std::move(groups);
  };
  request.abandon = [&](size_t, const Error& error) { outcome = error; };
  run_fanout(handles_->rk.get(), request, 1, settings_.request_timeout);
  return std::move(*outcome);
}

Result<std::vector<TopicMetadata>> Client::describe_topics(const std::vector<std::string>& topics) {
  if (topics.empty()) return std::vector<TopicMetadata>{};
  std::vector<const char*> names;
  names.reserve(topics.size());
  for (const auto& topic : topics) names.push_back(topic.c_str());
  TopicCollectionPtr collection(
      rd_kafka_TopicCollection_of_topic_names(names.data(), names.size()));
  std::optional<Result<std::vector<TopicMetadata>>> outcome;
  FanoutRequests request;
  request.count = 1;
  request.op = RD_KAFKA_ADMIN_OP_DESCRIBETOPICS;
  request.issue = [&](size_t, const rd_kafka_AdminOptions_t* options, rd_kafka_queue_t* queue) {
    rd_kafka_DescribeTopics(handles_->rk.get(), collection.get(), options, queue);
  };
  request.complete = [&](size_t, rd_kafka_event_t* event) {
    if (auto error = event_error(event)) {
      outcome = *error;
      return;
    }
    size_t count = 0;
    const rd_kafka_TopicDescription_t** described =
        rd_kafka_DescribeTopics_result_topics(rd_kafka_event_DescribeTopics_result(event), &count);
    std::vector<TopicMetadata> topics_described;
    topics_described.reserve(count);
    for (size_t i = 0; i < count; ++i) {
      size_t partitions = 0;
      rd_kafka_TopicDescription_partitions(described[i], &partitions);
      TopicMetadata entry{rd_kafka_TopicDescription_name(described[i]),
                          static_cast<int32_t>(partitions),
                          std::nullopt,
                          {}};
      const rd_kafka_error_t* error = rd_kafka_TopicDescription_error(described[i]);
      if (error != nullptr && rd_kafka_error_code(error) != RD_KAFKA_RESP_ERR_NO_ERROR) {
        entry.error = error_from(error);
      } else {
        const rd_kafka_Uuid_t* id = rd_kafka_TopicDescription_topic_id(described[i]);
        const int64_t high = id != nullptr ? rd_kafka_Uuid_most_significant_bits(id) : 0;
        const int64_t low = id != nullptr ? rd_kafka_Uuid_least_significant_bits(id) : 0;
        // Brokers without topic IDs send the zero UUID: no ID, not an ID shared by all topics.
        if (high != 0 || low != 0) {
          const char* text = rd_kafka_Uuid_base64str(id);
          entry.id = text != nullptr ? text : std::to_string(high) + ":" + std::to_string(low);
        }
      }
      topics_described.push_back(std::move(entry));
    }
    outcome = std::move(topics_described);
  };
  request.abandon = [&](size_t, const Error& error) { outcome = error; };
  run_fanout(handles_->rk.get(), request, 1, settings_.request_timeout);
  return std::move(*outcome);
}

std::vector<PerGroup<GroupDescription>> Client::describe_groups(
    const std::vector<std::string>& wanted) {
  return describe_groups_of(handles_->rk.get(), wanted, settings_);
}

std::vector<PerGroup<GroupOffsets>> Client::list_group_offsets(
    const std::vector<std::string>& groups) {
  std::vector<std::optional<Result<GroupOffsets>>> results(groups.size());

  FanoutRequests request;
  request.count = groups.size();
  request.op = RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS;
  request.issue = [&](size_t index, const rd_kafka_AdminOptions_t* options,
                      rd_kafka_queue_t* queue) {
    // No partition list: the coordinator returns every partition the group committed on.
    rd_kafka_ListConsumerGroupOffsets_t* one =
        rd_kafka_ListConsumerGroupOffsets_new(groups[index].c_str(), nullptr);
    rd_kafka_ListConsumerGroupOffsets(handles_->rk.get(), &one, 1, options, queue);
    rd_kafka_ListConsumerGroupOffsets_destroy(one);
  };
  request.complete = [&](size_t index, rd_kafka_event_t* event) {
    if (auto error = event_error(event)) {
      results[index] = *error;
      return;
    }
    const auto* res = rd_kafka_event_ListConsumerGroupOffsets_result(event);
    size_t count = 0;
    const rd_kafka_group_result_t** group_results =
        rd_kafka_ListConsumerGroupOffsets_result_groups(res, &count);
    if (count != 1) {
      results[index] =
          error_from(RD_KAFKA_RESP_ERR__BAD_MSG, "unexpected number of groups in the offset reply");
      return;
    }
    if (const rd_kafka_error_t* error = rd_kafka_group_result_error(group_results[0])) {
      results[index] = error_from(error);
      return;
    }
    GroupOffsets offsets;
    offsets.group = groups[index];
    if (const auto* parts = rd_kafka_group_result_partitions(group_results[0])) {
      offsets.offsets.reserve(static_cast<size_t>(parts->cnt));
      for (int p = 0; p < parts->cnt; ++p) {
        const auto& tp = parts->elems[p];
        // No commit (-1) or a per-partition error: no value, so no series.
        if (tp.err != RD_KAFKA_RESP_ERR_NO_ERROR || tp.offset < 0) continue;
        offsets.offsets.push_back(CommittedOffset{tp.topic, tp.partition, tp.offset});
      }
    }
    results[index] = std::move(offsets);
  };
  request.abandon = [&](size_t index, const Error& error) { results[index] = error; };
  run_fanout(handles_->rk.get(), request, settings_.max_in_flight, settings_.request_timeout);

  std::vector<PerGroup<GroupOffsets>> out;
  out.reserve(groups.size());
  for (size_t i = 0; i < groups.size(); ++i) {
    out.push_back({groups[i], std::move(*results[i])});
  }
  return out;
}

Result<std::vector<Watermark>> Client::watermarks(const std::vector<TopicPartition>& partitions,
                                                  const std::vector<TopicPartition>& earliest) {
  std::vector<Watermark> out;
  if (partitions.empty()) return out;
  out.reserve(partitions.size());
  for (const auto& tp : partitions) out.push_back(Watermark{tp.topic, tp.partition, {}, 0, 0});

  std::vector<size_t> all(partitions.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  std::vector<size_t> starts;  // of `partitions`, those whose log start is read
  starts.reserve(earliest.size());
  for (size_t i = 0, k = 0; i < partitions.size() && k < earliest.size(); ++i) {
    while (k < earliest.size() && earliest[k] < partitions[i]) ++k;
    if (k < earliest.size() && earliest[k] == partitions[i]) starts.push_back(i);
  }

  // librdkafka normally keeps the input order; look up by name only where it did not.
  std::map<std::pair<std::string_view, int32_t>, size_t> by_name;
  auto index_of = [&](const rd_kafka_topic_partition_t& elem, size_t hint) -> size_t {
    if (hint < partitions.size() && partitions[hint].partition == elem.partition &&
        partitions[hint].topic == elem.topic) {
      return hint;
    }
    if (by_name.empty()) {
      for (size_t k = 0; k < partitions.size(); ++k) {
        by_name.emplace(
            std::make_pair(std::string_view(partitions[k].topic), partitions[k].partition), k);
      }
    }
    auto it = by_name.find({std::string_view(elem.topic), elem.partition});
    return it == by_name.end() ? partitions.size() : it->second;
  };

  // ListOffsets takes the special timestamps -1 (latest) and -2 (earliest). librdkafka (2.0.2,
  // and still 2.14.2, its admin ListOffsets too) matches every reply partition to its request by
  // a linear search, so one call costs O(n^2): 10,000 partitions took 0.48 s of CPU in one call
  // and 0.035 s in calls of 500 (bench/watermark_batching, librdkafka 2.14.2).
  constexpr size_t kPartitionsPerCall = 500;
  auto query = [&](const std::vector<size_t>& indices, int64_t spec, bool high) -> Status {
    for (size_t begin = 0; begin < indices.size(); begin += kPartitionsPerCall) {
      const size_t end = std::min(indices.size(), begin + kPartitionsPerCall);
      PartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(end - begin)));
      for (size_t k = begin; k < end; ++k) {
        const auto& tp = partitions[indices[k]];
        rd_kafka_topic_partition_list_add(list.get(), tp.topic.c_str(), tp.partition)->offset =
            spec;
      }
      const rd_kafka_resp_err_t err = rd_kafka_offsets_for_times(
          handles_->rk.get(), list.get(), timeout_ms(settings_.request_timeout));
      if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return error_from(err);
      for (int i = 0; i < list->cnt; ++i) {
        const auto& elem = list->elems[i];
        const size_t position = begin + static_cast<size_t>(i);
        const size_t index =
            index_of(elem, position < indices.size() ? indices[position] : partitions.size());
        if (index >= out.size()) continue;
        auto& w = out[index];
        if (elem.err != RD_KAFKA_RESP_ERR_NO_ERROR || elem.offset < 0) {
          if (!w.error)
            w.error = error_from(
                elem.err != RD_KAFKA_RESP_ERR_NO_ERROR ? elem.err : RD_KAFKA_RESP_ERR__NO_OFFSET);
          continue;
        }
        (high ? w.high : w.low) = elem.offset;
      }
    }
    return {};
  };
  if (auto status = query(all, -1, true); !status) return status.error();
  if (auto status = query(starts, -2, false); !status) return status.error();
  return out;
}

}  // namespace lagwatch::kafka
