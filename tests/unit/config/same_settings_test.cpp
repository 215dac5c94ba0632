#include <gtest/gtest.h>

#include <string>

#include "config/config.h"
#include "parse_result_helpers.h"
#include "temp_file.h"

namespace lagwatch::config {
namespace {

using testing::config_or_fail;
using testing::TempFile;

const std::string kCluster =
    "[[clusters]]\nname = \"a\"\nbootstrap_servers = \"k:9092\"\n"
    "[clusters.groups]\nallow = [\"orders-.*\"]\n"
    "[clusters.librdkafka]\n\"sasl.username\" = \"watcher\"\n";

ClusterConfig cluster_of(const std::string& text) {
  auto config = config_or_fail(parse(text, "t.toml"));
  return config.clusters.empty() ? ClusterConfig{} : config.clusters.front();
}

TEST(SameClusterSettings, AReformattedFileIsTheSame) {
  EXPECT_TRUE(same_cluster_settings(cluster_of(kCluster),
                                    cluster_of("# moved down two lines\n\n" + kCluster)));
}

TEST(SameClusterSettings, EachKindOfChangeIsAChange) {
  const ClusterConfig running = cluster_of(kCluster);
  EXPECT_FALSE(same_cluster_settings(running, cluster_of(kCluster + "\"client.id\" = \"x\"\n")));
  std::string filter = kCluster;
  filter.replace(filter.find("orders-"), 7, "billing-");
  EXPECT_FALSE(same_cluster_settings(running, cluster_of(filter)));
  std::string user = kCluster;
  user.replace(user.find("watcher"), 7, "auditor");
  EXPECT_FALSE(same_cluster_settings(running, cluster_of(user)));
  EXPECT_FALSE(
      same_cluster_settings(running, cluster_of(kCluster + "[clusters.health]\nwindow = 4\n")));
  std::string mode = kCluster;
  mode.insert(mode.find("[clusters.groups]"), "lag_seconds = \"exact\"\n");
  EXPECT_FALSE(same_cluster_settings(running, cluster_of(mode)));
  EXPECT_FALSE(same_cluster_settings(
      running, cluster_of(kCluster + "[clusters.series]\npartition_details = true\n")));
  EXPECT_FALSE(same_cluster_settings(
      running, cluster_of(kCluster + "[clusters.series]\nmember_info = true\n")));
  EXPECT_FALSE(same_cluster_settings(
      running, cluster_of(kCluster + "[clusters.series]\nkafka_exporter_names = true\n")));
}

// The running poller re-reads its secret files itself, keeping its state: a new value in the
// same file is no reason to restart it; another file is.
TEST(SameClusterSettings, ASecretFileCountsByItsPath) {
  TempFile first("same_settings_first", "old-password");
  const auto with_file = [](const std::string& path) {
    return kCluster + "\"sasl.password\" = { file = \"" + path + "\" }\n";
  };
  const ClusterConfig running = cluster_of(with_file(first.path()));
  TempFile rotated("same_settings_first", "new-password");  // same path, new value
  const ClusterConfig reloaded = cluster_of(with_file(rotated.path()));
  ASSERT_NE(running.librdkafka.at("sasl.password").value,
            reloaded.librdkafka.at("sasl.password").value);
  EXPECT_TRUE(same_cluster_settings(running, reloaded));
  TempFile other("same_settings_other", "new-password");
  EXPECT_FALSE(same_cluster_settings(running, cluster_of(with_file(other.path()))));
}

TEST(SameClusterSettings, AnInlineSecretCountsByItsValue) {
  const ClusterConfig running = cluster_of(kCluster + "\"sasl.password\" = \"one\"\n");
  EXPECT_TRUE(
      same_cluster_settings(running, cluster_of(kCluster + "\"sasl.password\" = \"one\"\n")));
  EXPECT_FALSE(
      same_cluster_settings(running, cluster_of(kCluster + "\"sasl.password\" = \"two\"\n")));
}

}  // namespace
}  // namespace lagwatch::config
