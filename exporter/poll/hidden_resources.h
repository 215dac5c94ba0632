#pragma once
// What the principal's ACLs hid from a poll, so that it is counted and named instead of silent.
// Kafka leaves a topic the principal may not describe out of the all-topics metadata and out of
// OffsetFetch replies, without an error: a group committing only to such a topic would look
// lag-free. Its name still shows in the group's assignment and in __consumer_offsets, and one
// DescribeTopics request for the names missing from the metadata tells hidden from deleted.

#include <map>
#include <string>
#include <vector>

#include "config/config.h"
#include "kafka/types.h"
#include "poll/cycle_state.h"

namespace lagwatch::poll {

struct HiddenResources {
  std::vector<std::string> topics;  // referenced by exported groups and refused; sorted
  // Each exported group referencing a refused topic, with those topics (sorted).
  std::map<std::string, std::vector<std::string>, std::less<>> group_topics;
  std::vector<std::string> groups;  // exported groups whose describe or offsets were refused
  bool consumer_offsets = false;    // the principal may not read __consumer_offsets
  friend bool operator==(const HiddenResources&, const HiddenResources&) = default;
};

// Topics the exported groups commit to or are assigned, allowed by the topic filter and absent
// from the metadata: deleted, or hidden from this principal. Sorted, without repeats.
std::vector<std::string> unlisted_topics(const CycleReplies& replies,
                                         const config::NameFilter& topic_filter);

// `described` is the DescribeTopics answer for unlisted_topics(replies, topic_filter).
HiddenResources find_hidden_resources(const CycleReplies& replies,
                                      const config::NameFilter& topic_filter,
                                      const std::vector<kafka::TopicMetadata>& described,
                                      bool consumer_offsets_refused);

// One line per hidden resource, for the landing page and the log.
std::vector<std::string> describe_hidden_resources(const HiddenResources& hidden);

}  // namespace lagwatch::poll
