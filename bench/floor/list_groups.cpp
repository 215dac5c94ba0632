#include "floor/floor_stages.h"

namespace lagwatch::bench {

GroupListing list_groups(rd_kafka_t* handle, int timeout_ms) {
  GroupListing listing;
  QueueHandle queue(rd_kafka_queue_new(handle));
  AdminOptionsHandle options =
      make_admin_options(handle, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS, timeout_ms);
  rd_kafka_ListConsumerGroups(handle, options.get(), queue.get());
  EventHandle event = next_event(queue.get(), timeout_ms + 5000);
  if (!event) {
    listing.outcome.fail("ListConsumerGroups: no answer within the timeout");
    return listing;
  }
  if (rd_kafka_event_error(event.get()) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    listing.outcome.fail(rd_kafka_event_error_string(event.get()));
    return listing;
  }
  const auto* result = rd_kafka_event_ListConsumerGroups_result(event.get());
  std::size_t count = 0;
  const rd_kafka_ConsumerGroupListing_t** groups =
      rd_kafka_ListConsumerGroups_result_valid(result, &count);
  listing.group_ids.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    listing.group_ids.emplace_back(rd_kafka_ConsumerGroupListing_group_id(groups[i]));
  }
  // Per-broker failures come back next to the groups that did list.
  std::size_t error_count = 0;
  const rd_kafka_error_t** errors = rd_kafka_ListConsumerGroups_result_errors(result, &error_count);
  for (std::size_t i = 0; i < error_count; ++i) {
    listing.outcome.fail(rd_kafka_error_string(errors[i]));
  }
  return listing;
}

}  // namespace lagwatch::bench
