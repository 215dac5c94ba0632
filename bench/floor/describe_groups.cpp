#include <algorithm>
#include <unordered_set>

#include "floor/floor_stages.h"

namespace lagwatch::bench {

namespace {

void collect(rd_kafka_event_t* event, GroupDescriptions& descriptions) {
  if (rd_kafka_event_error(event) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    descriptions.outcome.fail(rd_kafka_event_error_string(event));
    return;
  }
  const auto* result = rd_kafka_event_DescribeConsumerGroups_result(event);
  std::size_t count = 0;
  const rd_kafka_ConsumerGroupDescription_t** groups =
      rd_kafka_DescribeConsumerGroups_result_groups(result, &count);
  for (std::size_t i = 0; i < count; ++i) {
    if (const rd_kafka_error_t* error = rd_kafka_ConsumerGroupDescription_error(groups[i])) {
      descriptions.outcome.fail(std::string(rd_kafka_ConsumerGroupDescription_group_id(groups[i])) +
                                ": " + rd_kafka_error_string(error));
      continue;
    }
    ++descriptions.groups;
    descriptions.members += rd_kafka_ConsumerGroupDescription_member_count(groups[i]);
  }
}

}  // namespace

GroupDescriptions describe_groups_by_broker(rd_kafka_t* handle,
                                            const std::vector<std::string>& group_ids,
                                            int timeout_ms) {
  GroupDescriptions descriptions;
  const rd_kafka_group_list* list = nullptr;
  const rd_kafka_resp_err_t err = rd_kafka_list_groups(handle, nullptr, &list, timeout_ms);
  descriptions.requests = 1;
  if (list == nullptr) {
    descriptions.outcome.fail(std::string("group listing: ") + rd_kafka_err2str(err));
    return descriptions;
  }
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    descriptions.outcome.fail(std::string("group listing: ") + rd_kafka_err2str(err));
  }
  const std::unordered_set<std::string> wanted(group_ids.begin(), group_ids.end());
  for (int g = 0; g < list->group_cnt; ++g) {
    const rd_kafka_group_info& info = list->groups[g];
    if (!wanted.contains(info.group)) continue;
    if (info.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      descriptions.outcome.fail(std::string(info.group) + ": " + rd_kafka_err2str(info.err));
      continue;
    }
    ++descriptions.groups;
    descriptions.members += static_cast<std::size_t>(info.member_cnt);
  }
  rd_kafka_group_list_destroy(list);
  return descriptions;
}

GroupDescriptions describe_groups(rd_kafka_t* handle, const std::vector<std::string>& group_ids,
                                  std::size_t batch_size, int timeout_ms) {
  GroupDescriptions descriptions;
  QueueHandle queue(rd_kafka_queue_new(handle));
  AdminOptionsHandle options =
      make_admin_options(handle, RD_KAFKA_ADMIN_OP_DESCRIBECONSUMERGROUPS, timeout_ms);
  std::vector<const char*> names;
  names.reserve(group_ids.size());
  for (const auto& id : group_ids) names.push_back(id.c_str());
  const std::size_t step = std::max<std::size_t>(batch_size, 1);
  for (std::size_t begin = 0; begin < names.size(); begin += step) {
    std::size_t count = std::min(step, names.size() - begin);
    rd_kafka_DescribeConsumerGroups(handle, names.data() + begin, count, options.get(),
                                    queue.get());
    ++descriptions.requests;
  }
  for (std::size_t pending = descriptions.requests; pending > 0; --pending) {
    EventHandle event = next_event(queue.get(), timeout_ms + 5000);
    if (!event) {
      descriptions.outcome.fail("DescribeConsumerGroups: no answer within the timeout");
      break;
    }
    collect(event.get(), descriptions);
  }
  return descriptions;
}

}  // namespace lagwatch::bench
