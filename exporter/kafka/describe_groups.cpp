#include "kafka/internal/describe_groups.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <string_view>

#include "kafka/internal/errors.h"
#include "kafka/internal/fanout.h"
#include "offsets/consumer_assignment.h"

namespace lagwatch::kafka::detail {
namespace {

int timeout_ms(std::chrono::milliseconds timeout) { return static_cast<int>(timeout.count()); }

// nullopt when the member's assignment bytes are malformed (offsets::decode_consumer_assignment).
std::optional<std::vector<TopicPartition>> member_assignment(
    const rd_kafka_group_member_info& member) {
  if (member.member_assignment == nullptr || member.member_assignment_size <= 0) {
    return std::vector<TopicPartition>{};
  }
  const auto decoded = offsets::decode_consumer_assignment(
      {static_cast<const std::uint8_t*>(member.member_assignment),
       static_cast<std::size_t>(member.member_assignment_size)});
  if (!decoded) return std::nullopt;
  std::vector<TopicPartition> out;
  for (const auto& topic : *decoded) {
    for (const std::int32_t partition : topic.partitions) out.push_back({topic.topic, partition});
  }
  return out;
}

GroupMember member_of(const char* id, const char* client_id, const char* host) {
  return GroupMember{id, client_id != nullptr ? client_id : "", host != nullptr ? host : ""};
}

void sort_members(std::vector<GroupMember>& members) {
  std::sort(members.begin(), members.end(),
            [](const GroupMember& a, const GroupMember& b) { return a.member_id < b.member_id; });
}

// The admin DescribeConsumerGroups of librdkafka 2.0.2 sends one DescribeGroups per group, each
// after its own FindCoordinator (its coordinator cache keeps about ten groups), so a cycle over
// thousands of groups costs two round trips per group. The legacy group listing asks each broker
// once for the groups it coordinates and describes them all in one request. Groups it could not
// describe cleanly are absent from the result and go through the admin path.
std::map<std::string, GroupDescription, std::less<>> describe_by_broker(
    rd_kafka_t* rk, const std::vector<std::string>& groups, std::chrono::milliseconds timeout) {
  std::map<std::string, GroupDescription, std::less<>> out;
  const rd_kafka_group_list* raw = nullptr;
  // PARTIAL still carries what the answering brokers said.
  const rd_kafka_resp_err_t err = rd_kafka_list_groups(rk, nullptr, &raw, timeout_ms(timeout));
  if (raw == nullptr) return out;
  std::unique_ptr<const rd_kafka_group_list, decltype(&rd_kafka_group_list_destroy)> list(
      raw, &rd_kafka_group_list_destroy);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR__PARTIAL) return out;
  const std::set<std::string_view> wanted(groups.begin(), groups.end());
  for (int g = 0; g < list->group_cnt; ++g) {
    const rd_kafka_group_info& info = list->groups[g];
    if (info.err != RD_KAFKA_RESP_ERR_NO_ERROR || info.group == nullptr ||
        !wanted.contains(info.group) || out.contains(info.group)) {
      continue;
    }
    GroupDescription description;
    description.name = info.group;
    description.state = to_state(rd_kafka_consumer_group_state_code(info.state ? info.state : ""));
    description.members = info.member_cnt;
    const bool consumer_protocol = info.protocol_type == nullptr ||
                                   std::strcmp(info.protocol_type, "consumer") == 0 ||
                                   info.protocol_type[0] == '\0';
    bool parsed = true;
    for (int m = 0; m < info.member_cnt && parsed; ++m) {
      const rd_kafka_group_member_info& member = info.members[m];
      if (member.member_id != nullptr) {
        description.member_details.push_back(
            member_of(member.member_id, member.client_id, member.client_host));
      }
      if (!consumer_protocol) continue;
      auto assigned = member_assignment(member);
      parsed = assigned.has_value();
      if (parsed) {
        description.assigned.insert(description.assigned.end(), assigned->begin(), assigned->end());
      }
    }
    if (!parsed) continue;
    std::sort(description.assigned.begin(), description.assigned.end());
    sort_members(description.member_details);
    out.emplace(description.name, std::move(description));
  }
  return out;
}

// librdkafka's admin DescribeConsumerGroups, `settings.describe_batch` groups per request.
std::map<std::string, Result<GroupDescription>, std::less<>> describe_each(
    rd_kafka_t* rk, const std::vector<std::string>& groups, const ClientSettings& settings) {
  const size_t batch = static_cast<size_t>(std::max(1, settings.describe_batch));
  const size_t batches = (groups.size() + batch - 1) / batch;
  std::map<std::string, Result<GroupDescription>, std::less<>> results;

  FanoutRequests request;
  request.count = batches;
  request.op = RD_KAFKA_ADMIN_OP_DESCRIBECONSUMERGROUPS;
  request.issue = [&](size_t index, const rd_kafka_AdminOptions_t* options,
                      rd_kafka_queue_t* queue) {
    std::vector<const char*> names;
    for (size_t i = index * batch; i < std::min(groups.size(), (index + 1) * batch); ++i) {
      names.push_back(groups[i].c_str());
    }
    rd_kafka_DescribeConsumerGroups(rk, names.data(), names.size(), options, queue);
  };
  auto fail_batch = [&](size_t index, const Error& error) {
    for (size_t i = index * batch; i < std::min(groups.size(), (index + 1) * batch); ++i) {
      results.insert_or_assign(groups[i], error);
    }
  };
  request.complete = [&](size_t index, rd_kafka_event_t* event) {
    if (auto error = event_error(event)) {
      fail_batch(index, *error);
      return;
    }
    const auto* res = rd_kafka_event_DescribeConsumerGroups_result(event);
    size_t count = 0;
    const rd_kafka_ConsumerGroupDescription_t** descs =
        rd_kafka_DescribeConsumerGroups_result_groups(res, &count);
    for (size_t i = 0; i < count; ++i) {
      const auto* desc = descs[i];
      const std::string name = rd_kafka_ConsumerGroupDescription_group_id(desc);
      if (const rd_kafka_error_t* error = rd_kafka_ConsumerGroupDescription_error(desc)) {
        results.insert_or_assign(name, error_from(error));
        continue;
      }
      GroupDescription out;
      out.name = name;
      out.state = to_state(rd_kafka_ConsumerGroupDescription_state(desc));
      const size_t members = rd_kafka_ConsumerGroupDescription_member_count(desc);
      out.members = static_cast<int32_t>(members);
      for (size_t m = 0; m < members; ++m) {
        const auto* member = rd_kafka_ConsumerGroupDescription_member(desc, m);
        if (const char* id = rd_kafka_MemberDescription_consumer_id(member)) {
          out.member_details.push_back(member_of(id, rd_kafka_MemberDescription_client_id(member),
                                                 rd_kafka_MemberDescription_host(member)));
        }
        const auto* assignment = rd_kafka_MemberDescription_assignment(member);
        const auto* parts = assignment ? rd_kafka_MemberAssignment_partitions(assignment) : nullptr;
        if (parts == nullptr) continue;
        for (int p = 0; p < parts->cnt; ++p) {
          out.assigned.push_back(TopicPartition{parts->elems[p].topic, parts->elems[p].partition});
        }
      }
      std::sort(out.assigned.begin(), out.assigned.end());
      sort_members(out.member_details);
      results.insert_or_assign(name, std::move(out));
    }
  };
  request.abandon = fail_batch;
  run_fanout(rk, request, settings.max_in_flight, settings.request_timeout);
  return results;
}

}  // namespace

GroupState to_state(rd_kafka_consumer_group_state_t state) {
  switch (state) {
    case RD_KAFKA_CONSUMER_GROUP_STATE_PREPARING_REBALANCE:
      return GroupState::kPreparingRebalance;
    case RD_KAFKA_CONSUMER_GROUP_STATE_COMPLETING_REBALANCE:
      return GroupState::kCompletingRebalance;
    case RD_KAFKA_CONSUMER_GROUP_STATE_STABLE:
      return GroupState::kStable;
    case RD_KAFKA_CONSUMER_GROUP_STATE_DEAD:
      return GroupState::kDead;
    case RD_KAFKA_CONSUMER_GROUP_STATE_EMPTY:
      return GroupState::kEmpty;
    default:
      return GroupState::kUnknown;
  }
}

std::vector<PerGroup<GroupDescription>> describe_groups_of(rd_kafka_t* rk,
                                                           const std::vector<std::string>& wanted,
                                                           const ClientSettings& settings) {
  std::map<std::string, GroupDescription, std::less<>> bulk;
  if (wanted.size() >= settings.broker_wide_describe_min_groups) {
    bulk = describe_by_broker(rk, wanted, settings.request_timeout);
  }
  // Only what the broker-wide round left out is described per group.
  std::vector<std::string> groups;
  for (const auto& group : wanted) {
    if (!bulk.contains(group)) groups.push_back(group);
  }
  auto results = describe_each(rk, groups, settings);

  std::vector<PerGroup<GroupDescription>> out;
  out.reserve(wanted.size());
  for (const auto& group : wanted) {
    if (auto described = bulk.find(group); described != bulk.end()) {
      out.push_back({group, std::move(described->second)});
      continue;
    }
    auto it = results.find(group);
    if (it == results.end()) {
      out.push_back(
          {group, error_from(RD_KAFKA_RESP_ERR__BAD_MSG, "group missing from the describe reply")});
    } else {
      out.push_back({group, std::move(it->second)});
    }
  }
  return out;
}

}  // namespace lagwatch::kafka::detail
