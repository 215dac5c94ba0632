#include "poll/hidden_resources.h"

#include <set>
#include <string_view>
#include <unordered_set>

namespace lagwatch::poll {

namespace {

// Every topic a group names in this poll's replies: its commits and its members' assignment.
template <class Visit>
void for_each_referenced_topic(const CycleReplies& replies, Visit&& visit) {
  for (const auto& fetched : replies.offsets) {
    if (!fetched.result.has_value()) continue;
    for (const auto& committed : fetched.result.value().offsets)
      visit(fetched.group, committed.topic);
  }
  for (const auto& described : replies.descriptions) {
    if (!described.result.has_value()) continue;
    for (const auto& tp : described.result.value().assigned) visit(described.group, tp.topic);
  }
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

}  // namespace

std::vector<std::string> unlisted_topics(const CycleReplies& replies,
                                         const config::NameFilter& topic_filter) {
  std::unordered_set<std::string_view> listed;
  for (const auto& topic : replies.metadata.topics) listed.insert(topic.name);
  std::set<std::string> unlisted;
  for_each_referenced_topic(replies, [&](const std::string&, const std::string& topic) {
    if (!listed.contains(topic) && topic_filter.matches(topic)) unlisted.insert(topic);
  });
  return {unlisted.begin(), unlisted.end()};
}

HiddenResources find_hidden_resources(const CycleReplies& replies,
                                      const config::NameFilter& topic_filter,
                                      const std::vector<kafka::TopicMetadata>& described,
                                      bool consumer_offsets_refused) {
  HiddenResources hidden;
  hidden.consumer_offsets = consumer_offsets_refused;
  std::set<std::string, std::less<>> refused;
  for (const auto& topic : described) {
    if (topic.error && topic.error->unauthorized() && topic_filter.matches(topic.name)) {
      refused.insert(topic.name);
    }
  }
  hidden.topics.assign(refused.begin(), refused.end());

  std::map<std::string, std::set<std::string>, std::less<>> by_group;
  for_each_referenced_topic(replies, [&](const std::string& group, const std::string& topic) {
    if (refused.contains(topic)) by_group[group].insert(topic);
  });
  for (auto& [group, topics] : by_group) {
    hidden.group_topics.emplace(group, std::vector<std::string>(topics.begin(), topics.end()));
  }

  std::set<std::string> refused_groups;
  for (const auto& d : replies.descriptions) {
    if (!d.result.has_value() && d.result.error().unauthorized()) refused_groups.insert(d.group);
  }
  for (const auto& o : replies.offsets) {
    if (!o.result.has_value() && o.result.error().unauthorized()) refused_groups.insert(o.group);
  }
  hidden.groups.assign(refused_groups.begin(), refused_groups.end());
  return hidden;
}

std::vector<std::string> describe_hidden_resources(const HiddenResources& hidden) {
  std::vector<std::string> lines;
  if (hidden.consumer_offsets) {
    lines.push_back("topic __consumer_offsets: not authorized to read it");
  }
  std::map<std::string, std::vector<std::string>, std::less<>> groups_of_topic;
  for (const auto& [group, topics] : hidden.group_topics) {
    for (const auto& topic : topics) groups_of_topic[topic].push_back(group);
  }
  for (const auto& topic : hidden.topics) {
    lines.push_back("topic " + topic +
                    ": not authorized to describe it; its partitions are "
                    "missing from groups " +
                    joined(groups_of_topic[topic]));
  }
  for (const auto& group : hidden.groups) {
    lines.push_back("group " + group + ": not authorized to describe it or fetch its offsets");
  }
  return lines;
}

}  // namespace lagwatch::poll
