#include "poll/hidden_resources.h"

#include <gtest/gtest.h>

namespace lagwatch::poll {
namespace {

using kafka::CommittedOffset;
using kafka::GroupDescription;
using kafka::GroupOffsets;
using kafka::GroupState;
using kafka::TopicMetadata;

const Error kTopicRefused{29, "Broker: Topic authorization failed"};
const Error kGroupRefused{30, "Broker: Group authorization failed"};
const Error kUnknownTopic{3, "Broker: Unknown topic or partition"};

// Group "mixed" commits to a listed and an unlisted topic, "assigned" is only assigned the
// unlisted one, "plain" sees the listed topic only.
CycleReplies replies() {
  CycleReplies r;
  r.metadata.topics = {{"orders", 1, std::nullopt, {}}};
  r.offsets.push_back({"mixed", GroupOffsets{"mixed", {{"orders", 0, 4}, {"payroll", 0, 2}}}});
  r.offsets.push_back({"assigned", GroupOffsets{"assigned", {}}});
  r.offsets.push_back({"plain", GroupOffsets{"plain", {{"orders", 0, 8}}}});
  r.descriptions.push_back(
      {"assigned",
       GroupDescription{"assigned", GroupState::kStable, 1, {{"payroll", 0}}, {{"m", "", ""}}}});
  r.descriptions.push_back({"plain", GroupDescription{"plain", GroupState::kEmpty, 0, {}, {}}});
  return r;
}

TEST(UnlistedTopics, AreTheReferencedTopicsMissingFromTheMetadataThatTheFilterAllows) {
  CycleReplies r = replies();
  r.offsets.push_back({"other", GroupOffsets{"other", {{"__internal", 0, 1}, {"gone", 0, 1}}}});
  const config::NameFilter no_internal({}, {"^__.*"});
  EXPECT_EQ(unlisted_topics(r, no_internal), (std::vector<std::string>{"gone", "payroll"}));
  EXPECT_TRUE(unlisted_topics(replies(), config::NameFilter({"orders"}, {})).empty());
}

TEST(HiddenResources, NameTheRefusedTopicAndMarkEveryGroupReferencingIt) {
  const auto hidden = find_hidden_resources(
      replies(), config::NameFilter(), {TopicMetadata{"payroll", 0, kTopicRefused, {}}}, false);
  EXPECT_EQ(hidden.topics, (std::vector<std::string>{"payroll"}));
  const std::map<std::string, std::vector<std::string>, std::less<>> marked = {
      {"assigned", {"payroll"}}, {"mixed", {"payroll"}}};
  EXPECT_EQ(hidden.group_topics, marked);
  EXPECT_TRUE(hidden.groups.empty());
  EXPECT_FALSE(hidden.consumer_offsets);
  EXPECT_EQ(describe_hidden_resources(hidden),
            (std::vector<std::string>{"topic payroll: not authorized to describe it; its "
                                      "partitions are missing from groups assigned, mixed"}));
}

TEST(HiddenResources, ADeletedTopicIsNotHidden) {
  const auto hidden = find_hidden_resources(
      replies(), config::NameFilter(), {TopicMetadata{"payroll", 0, kUnknownTopic, {}}}, false);
  EXPECT_EQ(hidden, HiddenResources{});
  EXPECT_TRUE(describe_hidden_resources(hidden).empty());
}

TEST(HiddenResources, CountRefusedGroupsAndConsumerOffsets) {
  CycleReplies r = replies();
  r.descriptions.push_back({"secret", kGroupRefused});
  r.offsets.push_back({"secret", kGroupRefused});
  r.offsets.push_back({"slow", Error{-185, "Local: Timed out"}});
  const auto hidden = find_hidden_resources(r, config::NameFilter(), {}, true);
  EXPECT_EQ(hidden.groups, (std::vector<std::string>{"secret"}));
  EXPECT_TRUE(hidden.consumer_offsets);
  EXPECT_TRUE(hidden.topics.empty());
  EXPECT_EQ(describe_hidden_resources(hidden),
            (std::vector<std::string>{
                "topic __consumer_offsets: not authorized to read it",
                "group secret: not authorized to describe it or fetch its offsets"}));
}

}  // namespace
}  // namespace lagwatch::poll
