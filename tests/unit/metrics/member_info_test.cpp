// lagwatch_group_member_info: one series per group member, only where the cluster asks for it.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "metrics/cluster_renderer.h"

namespace lagwatch::metrics {
namespace {

lag::ClusterSnapshot with_members(std::vector<lag::GroupMember> members, bool switched_on) {
  lag::ClusterSnapshot s;
  s.cluster = "prod";
  s.member_info = switched_on;
  lag::GroupSnapshot group;
  group.name = "billing";
  group.members = static_cast<int32_t>(members.size());
  group.member_details = std::move(members);
  s.groups.push_back(std::move(group));
  return s;
}

const std::string& member_series(const ClusterExposition& e) {
  return e.series[static_cast<size_t>(Family::kGroupMemberInfo)];
}

const std::vector<lag::GroupMember> kTwoMembers = {
    {"consumer-1-4f2a", "billing-worker", "/10.0.0.7"},
    {"consumer-2-9c1d", "billing-worker", "/10.0.0.8"},
};

TEST(MemberInfo, AbsentUnlessSwitchedOn) {
  const auto e = render_cluster(with_members(kTwoMembers, false));
  EXPECT_EQ(member_series(e), "");
  EXPECT_EQ(e.series_count, 2u);  // members and state only
}

TEST(MemberInfo, OneSeriesOfValueOnePerMember) {
  const auto e = render_cluster(with_members(kTwoMembers, true));
  EXPECT_EQ(member_series(e),
            "lagwatch_group_member_info{kafka_cluster=\"prod\",group=\"billing\","
            "member_id=\"consumer-1-4f2a\",client_id=\"billing-worker\",host=\"/10.0.0.7\"} 1\n"
            "lagwatch_group_member_info{kafka_cluster=\"prod\",group=\"billing\","
            "member_id=\"consumer-2-9c1d\",client_id=\"billing-worker\",host=\"/10.0.0.8\"} 1\n");
  EXPECT_EQ(e.series_count, 4u);
}

TEST(MemberInfo, LabelValuesAreEscaped) {
  const auto e = render_cluster(with_members({{"m\"1", "client\\a", "host\nb"}}, true));
  EXPECT_NE(member_series(e).find("member_id=\"m\\\"1\",client_id=\"client\\\\a\","
                                  "host=\"host\\nb\"} 1\n"),
            std::string::npos)
      << member_series(e);
}

TEST(MemberInfo, CarriesTheClusterLabels) {
  const auto e = render_cluster(with_members(kTwoMembers, true), {{"env", "prod-eu"}});
  EXPECT_EQ(
      member_series(e).rfind("lagwatch_group_member_info{kafka_cluster=\"prod\",env=\"prod-eu\","
                             "group=\"billing\",member_id=\"consumer-1-4f2a\",",
                             0),
      0u)
      << member_series(e);
}

TEST(MemberInfo, AMemberThatLeftHasNoSeriesNextPoll) {
  render_cluster(with_members(kTwoMembers, true));
  const auto e = render_cluster(with_members({kTwoMembers[1]}, true));
  EXPECT_EQ(member_series(e).find("consumer-1-4f2a"), std::string::npos);
  EXPECT_NE(member_series(e).find("member_id=\"consumer-2-9c1d\""), std::string::npos);
  EXPECT_EQ(render_cluster(with_members({}, true)).series_count, 2u);
}

}  // namespace
}  // namespace lagwatch::metrics
