// What each librdkafka handle is configured with: the same cluster settings through each
// handle's recipe, read back from the resulting configuration.

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

#include <map>
#include <string>

#include "kafka/internal/conf.h"

namespace lagwatch::kafka::detail {
namespace {

using Properties = std::map<std::string, std::string>;

Properties dump(const rd_kafka_conf_t* conf) {
  size_t count = 0;
  const char** pairs = rd_kafka_conf_dump(const_cast<rd_kafka_conf_t*>(conf), &count);
  Properties out;
  for (size_t i = 0; i + 1 < count; i += 2) out[pairs[i]] = pairs[i + 1];
  rd_kafka_conf_dump_free(pairs, count);
  return out;
}

ClientSettings user_settings() {
  ClientSettings settings;
  settings.bootstrap_servers = "127.0.0.1:1";
  settings.properties = {
      {"group.id", "the-users-group", false},
      {"group.instance.id", "the-users-instance", false},
      {"isolation.level", "read_committed", false},
      {"fetch.wait.max.ms", "900", false},
      {"socket.timeout.ms", "12345", false},
      {"client.id", "from-the-user", false},
  };
  return settings;
}

Properties made_by(const HandleRecipe& recipe) {
  auto conf = make_conf(user_settings(), recipe, nullptr);
  EXPECT_TRUE(conf.has_value()) << conf.error().to_string();
  return conf.has_value() ? dump(conf.value().get()) : Properties{};
}

TEST(HandleRecipes, NoHandleJoinsTheUsersGroup) {
  for (const HandleRecipe* recipe : {&kAdminRecipe, &kOffsetsReaderRecipe, &kSamplerRecipe}) {
    const Properties got = made_by(*recipe);
    EXPECT_EQ(got.count("group.id"), 0u);
    EXPECT_EQ(got.count("group.instance.id"), 0u);
    EXPECT_EQ(got.at("metadata.broker.list"), "127.0.0.1:1");  // bootstrap.servers
    // A passthrough property nobody forces reaches every handle, and wins over a default.
    EXPECT_EQ(got.at("socket.timeout.ms"), "12345");
    EXPECT_EQ(got.at("client.id"), "from-the-user");
    EXPECT_EQ(got.at("allow.auto.create.topics"), "false");
  }
}

TEST(HandleRecipes, AdminClientTakesTheUsersIsolationLevel) {
  EXPECT_EQ(made_by(kAdminRecipe).at("isolation.level"), "read_committed");
  ClientSettings plain;
  plain.bootstrap_servers = "127.0.0.1:1";
  auto conf = make_conf(plain, kAdminRecipe, nullptr);
  ASSERT_TRUE(conf.has_value());
  const Properties got = dump(conf.value().get());
  // The log end offset kafka-consumer-groups shows, open transactions included.
  EXPECT_EQ(got.at("isolation.level"), "read_uncommitted");
  EXPECT_EQ(got.at("client.id"), "lagwatch");
  EXPECT_EQ(got.at("enable.auto.commit"), "false");
}

TEST(HandleRecipes, ReaderAppliesOnlyCommittedTransactions) {
  ClientSettings settings = user_settings();
  settings.properties.push_back({"isolation.level", "read_uncommitted", false});
  auto conf = make_conf(settings, kOffsetsReaderRecipe, nullptr);
  ASSERT_TRUE(conf.has_value());
  const Properties got = dump(conf.value().get());
  EXPECT_EQ(got.at("isolation.level"), "read_committed");
  EXPECT_EQ(got.at("enable.partition.eof"), "true");
  EXPECT_EQ(got.at("fetch.queue.backoff.ms"), "10");
  EXPECT_EQ(got.at("fetch.wait.max.ms"), "900");  // a default: the user's wins
}

TEST(HandleRecipes, SamplerKeepsItsFetchBoundsAndSeesOpenTransactions) {
  const Properties got = made_by(kSamplerRecipe);
  EXPECT_EQ(got.at("isolation.level"), "read_uncommitted");
  EXPECT_EQ(got.at("fetch.wait.max.ms"), "100");
  EXPECT_EQ(got.at("fetch.max.bytes"), "262144");
  EXPECT_EQ(got.at("fetch.queue.backoff.ms"), "10");
  EXPECT_EQ(got.at("enable.partition.eof"), "true");
}

TEST(HandleRecipes, StatisticsOnlyWhenSomebodyListens) {
  ClientSettings settings = user_settings();
  settings.statistics_interval = std::chrono::milliseconds(2500);
  HandleHooks silent;
  auto without = make_conf(settings, kAdminRecipe, &silent);
  ASSERT_TRUE(without.has_value());
  EXPECT_EQ(dump(without.value().get()).at("statistics.interval.ms"), "0");

  HandleHooks listening;
  listening.on_statistics = [](std::string_view) {};
  auto with = make_conf(settings, kAdminRecipe, &listening);
  ASSERT_TRUE(with.has_value());
  EXPECT_EQ(dump(with.value().get()).at("statistics.interval.ms"), "2500");
}

TEST(HandleRecipes, TheUsersStatisticsIntervalWinsOverTheDefault) {
  // [clusters.librdkafka] "statistics.interval.ms" sets how current lagwatch_kafka_requests_total
  // is; the handle-wide default (5 s) must not overwrite it.
  ClientSettings settings = user_settings();
  settings.properties.push_back({"statistics.interval.ms", "500", false});
  HandleHooks listening;
  listening.on_statistics = [](std::string_view) {};
  for (const HandleRecipe* recipe : {&kAdminRecipe, &kOffsetsReaderRecipe}) {
    auto conf = make_conf(settings, *recipe, &listening);
    ASSERT_TRUE(conf.has_value());
    EXPECT_EQ(dump(conf.value().get()).at("statistics.interval.ms"), "500");
  }
}

TEST(HandleRecipes, ASecretValueIsNeverInTheError) {
  ClientSettings settings;
  settings.bootstrap_servers = "127.0.0.1:1";
  settings.properties = {{"socket.timeout.ms", "hunter2-not-a-number", true}};
  auto conf = make_conf(settings, kSamplerRecipe, nullptr);
  ASSERT_FALSE(conf.has_value());
  EXPECT_EQ(conf.error().message.find("hunter2"), std::string::npos);
  EXPECT_NE(conf.error().message.find("socket.timeout.ms"), std::string::npos);
}

}  // namespace
}  // namespace lagwatch::kafka::detail
