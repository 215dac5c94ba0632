#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "config/config.h"
#include "parse_result_helpers.h"

namespace lagwatch::config {
namespace {

using testing::config_or_fail;
using testing::error_text;

const std::string kCluster =
    "[[clusters]]\nname = \"a\"\nbootstrap_servers = \"k:9092\"\n[clusters.labels]\n";

TEST(ClusterLabels, KeptInFileOrder) {
  const auto config = config_or_fail(parse(kCluster + "zone = \"b\"\nenv = \"prod\"\n", "t.toml"));
  ASSERT_EQ(config.clusters.size(), 1u);
  const std::vector<std::pair<std::string, std::string>> expected = {{"zone", "b"},
                                                                     {"env", "prod"}};
  EXPECT_EQ(config.clusters[0].labels, expected);
}

TEST(ClusterLabels, BadNamesAndValuesAreNamed) {
  EXPECT_EQ(error_text(parse(kCluster + "kafka_cluster = \"x\"\n", "t.toml")),
            "t.toml:5: clusters[0].labels.kafka_cluster: \"kafka_cluster\" is a label lagwatch or "
            "Prometheus sets itself");
  EXPECT_EQ(error_text(parse(kCluster + "job = \"x\"\n", "t.toml")),
            "t.toml:5: clusters[0].labels.job: \"job\" is a label lagwatch or Prometheus sets "
            "itself");
  EXPECT_EQ(error_text(parse(kCluster + "__meta = \"x\"\n", "t.toml")),
            "t.toml:5: clusters[0].labels.__meta: names starting with __ are Prometheus' own");
  EXPECT_EQ(error_text(parse(kCluster + "\"1env\" = \"x\"\n", "t.toml")),
            "t.toml:5: clusters[0].labels.1env: not a Prometheus label name: letters, digits and "
            "_, not starting with a digit");
  EXPECT_NE(error_text(parse(kCluster + "\"a-b\" = \"x\"\n", "t.toml")).find("not a Prometheus"),
            std::string::npos);
  EXPECT_NE(error_text(parse(kCluster + "env = 3\n", "t.toml")).find("expected a string"),
            std::string::npos);
  EXPECT_NE(error_text(parse(kCluster + "env = \"" + std::string(1025, 'x') + "\"\n", "t.toml"))
                .find("longer than 1024 bytes"),
            std::string::npos);
  std::string many = kCluster;
  for (int i = 0; i < 17; ++i) many += "l" + std::to_string(i) + " = \"v\"\n";
  EXPECT_NE(error_text(parse(many, "t.toml")).find("more than 16 labels"), std::string::npos);
}

TEST(ClusterLabels, KafkaExporterLabelNamesAreTakenOnlyWithItsFamilies) {
  const std::string with_names =
      "[[clusters]]\nname = \"a\"\nbootstrap_servers = \"k:9092\"\n[clusters.series]\n"
      "kafka_exporter_names = true\n[clusters.labels]\n";
  EXPECT_EQ(error_text(parse(with_names + "env = \"x\"\nconsumergroup = \"x\"\n", "t.toml")),
            "t.toml:8: clusters[0].labels.consumergroup: \"consumergroup\" is a label of "
            "kafka_exporter's families, which kafka_exporter_names turns on");
  EXPECT_NE(error_text(parse(with_names + "address = \"x\"\n", "t.toml")).find("kafka_exporter"),
            std::string::npos);
  const auto without = config_or_fail(parse(kCluster + "id = \"x\"\n", "t.toml"));
  EXPECT_EQ(without.clusters.at(0).labels.at(0).first, "id");
}

TEST(ClusterLabels, ADifferentLabelIsADifferentCluster) {
  const auto a = config_or_fail(parse(kCluster + "env = \"prod\"\n", "t.toml"));
  const auto b = config_or_fail(parse(kCluster + "env = \"staging\"\n", "t.toml"));
  EXPECT_FALSE(same_cluster_settings(a.clusters.at(0), b.clusters.at(0)));
  EXPECT_TRUE(same_cluster_settings(a.clusters.at(0), a.clusters.at(0)));
}

}  // namespace
}  // namespace lagwatch::config
