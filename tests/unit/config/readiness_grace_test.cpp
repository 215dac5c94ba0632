#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "config/config.h"
#include "parse_result_helpers.h"

namespace lagwatch::config {
namespace {

using testing::config_or_fail;
using testing::error_text;

const std::string kCluster = "[[clusters]]\nname = \"a\"\nbootstrap_servers = \"k:9092\"\n";

TEST(ReadinessGrace, DefaultsToFiveMinutes) {
  EXPECT_EQ(config_or_fail(parse(kCluster, "t.toml")).readiness_grace, std::chrono::minutes(5));
}

TEST(ReadinessGrace, TakesADurationAndZeroForForever) {
  EXPECT_EQ(config_or_fail(parse("[server]\nreadiness_grace = \"90s\"\n" + kCluster, "t.toml"))
                .readiness_grace,
            std::chrono::seconds(90));
  EXPECT_EQ(config_or_fail(parse("[server]\nreadiness_grace = \"0s\"\n" + kCluster, "t.toml"))
                .readiness_grace,
            std::chrono::seconds(0));
}

TEST(ReadinessGrace, RefusesWhatIsNotADuration) {
  EXPECT_EQ(error_text(parse("[server]\nreadiness_grace = \"soon\"\n" + kCluster, "t.toml"))
                .rfind("t.toml:2: server.readiness_grace: ", 0),
            0u)
      << error_text(parse("[server]\nreadiness_grace = \"soon\"\n" + kCluster, "t.toml"));
}

}  // namespace
}  // namespace lagwatch::config
