// Every kind of validation error, with its exact text: file, line, key and message.

#include <gtest/gtest.h>

#include <string>

#include "config/config.h"
#include "error_case.h"
#include "parse_result_helpers.h"

namespace lagwatch::config {
namespace {

using testing::case_name;
using testing::ErrorCase;
using testing::kCluster;

class ErrorCaseTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ErrorCaseTest, ReportsFileLineKeyAndMessage) {
  EXPECT_EQ(testing::error_text(parse(GetParam().toml, "t.toml")), GetParam().expected)
      << GetParam().toml;
}

INSTANTIATE_TEST_SUITE_P(
    Syntax, ErrorCaseTest,
    ::testing::Values(
        ErrorCase{"UnterminatedString", "[[clusters]]\nname = \"a\nbootstrap_servers = \"k\"\n",
                  "t.toml:2: TOML syntax error: parsing string: unescaped control characters "
                  "other than TAB (U+0009) are explicitly prohibited"},
        ErrorCase{"DuplicateKey", kCluster + "name = \"b\"\n",
                  "t.toml:4: TOML syntax error: parsing key-value pair: cannot redefine "
                  "existing string"},
        ErrorCase{"MissingValue", "[server]\nlisten_address =\n",
                  "t.toml:2: TOML syntax error: parsing key-value pair: expected value"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(
    UnknownKeys, ErrorCaseTest,
    ::testing::Values(
        ErrorCase{"TopLevel", kCluster + "listen_address = \"x:1\"\n",
                  "t.toml:4: clusters[0].listen_address: unknown key (allowed: name, "
                  "bootstrap_servers, shard, granularity, lag_seconds, exact_groups, "
                  "exact_max_samples, history_points, groups, topics, health, consumer_offsets, "
                  "series, labels, librdkafka)"},
        ErrorCase{"Root", "verbose = true\n" + kCluster,
                  "t.toml:1: verbose: unknown key (allowed: server, poll, log, metrics, clusters)"},
        ErrorCase{"Server", "[server]\nlisten = \"x:1\"\n" + kCluster,
                  "t.toml:2: server.listen: unknown key (allowed: listen_address, web_config_file, "
                  "readiness_grace)"},
        ErrorCase{"Poll", "[poll]\nintervall = \"15s\"\n" + kCluster,
                  "t.toml:2: poll.intervall: unknown key (allowed: interval, request_timeout, "
                  "max_in_flight, broker_wide_describe_min_groups, earliest_offsets_refresh)"},
        ErrorCase{"EarliestOffsetsRefresh",
                  "[poll]\nearliest_offsets_refresh = \"-1s\"\n" + kCluster,
                  "t.toml:2: poll.earliest_offsets_refresh: invalid duration \"-1s\": expected a "
                  "number with unit ms, s, m or h (\"500ms\", \"15s\"), or a number of seconds"},
        ErrorCase{"Groups", kCluster + "[clusters.groups]\nallowed = []\n",
                  "t.toml:5: clusters[0].groups.allowed: unknown key (allowed: allow, deny)"},
        ErrorCase{"Topics", kCluster + "[clusters.topics]\ndeny = []\nexclude = []\n",
                  "t.toml:6: clusters[0].topics.exclude: unknown key (allowed: allow, deny)"},
        ErrorCase{"FirstInFileOrderNotAlphabetical", "[server]\nzzz = 1\naaa = 2\n" + kCluster,
                  "t.toml:2: server.zzz: unknown key (allowed: listen_address, web_config_file, "
                  "readiness_grace)"},
        ErrorCase{"InSecondCluster", kCluster + "[[clusters]]\nname = \"b\"\nbootstrap = \"k\"\n",
                  "t.toml:6: clusters[1].bootstrap: unknown key (allowed: name, "
                  "bootstrap_servers, shard, granularity, lag_seconds, exact_groups, "
                  "exact_max_samples, history_points, groups, topics, health, consumer_offsets, "
                  "series, labels, librdkafka)"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(
    ServerAndPoll, ErrorCaseTest,
    ::testing::Values(
        ErrorCase{"ServerNotTable", "server = 1\n" + kCluster,
                  "t.toml:1: server: expected a table, found integer"},
        ErrorCase{"PollNotTable", "poll = \"15s\"\n" + kCluster,
                  "t.toml:1: poll: expected a table, found string"},
        ErrorCase{"ListenAddressType", "[server]\nlisten_address = true\n" + kCluster,
                  "t.toml:2: server.listen_address: expected a string, found boolean"},
        ErrorCase{"ListenAddressNoPort", "[server]\nlisten_address = \"0.0.0.0\"\n" + kCluster,
                  "t.toml:2: server.listen_address: invalid listen address \"0.0.0.0\": expected "
                  "host:port with port 1-65535"},
        ErrorCase{"ListenAddressPortZero", "[server]\nlisten_address = \"h:0\"\n" + kCluster,
                  "t.toml:2: server.listen_address: invalid listen address \"h:0\": expected "
                  "host:port with port 1-65535"},
        ErrorCase{"ListenAddressPortTooBig", "[server]\nlisten_address = \"h:65536\"\n" + kCluster,
                  "t.toml:2: server.listen_address: invalid listen address \"h:65536\": expected "
                  "host:port with port 1-65535"},
        ErrorCase{"IntervalType", "[poll]\ninterval = false\n" + kCluster,
                  "t.toml:2: poll.interval: expected a duration string (\"15s\") or a number of "
                  "seconds, found boolean"},
        ErrorCase{"IntervalMalformed", "[poll]\ninterval = \"15x\"\n" + kCluster,
                  "t.toml:2: poll.interval: invalid duration \"15x\": expected a number with unit "
                  "ms, s, m or h (\"500ms\", \"15s\"), or a number of seconds"},
        ErrorCase{"IntervalNotANumber", "[poll]\ninterval = nan\n" + kCluster,
                  "t.toml:2: poll.interval: invalid duration \"nan\": expected a number with unit "
                  "ms, s, m or h (\"500ms\", \"15s\"), or a number of seconds"},
        ErrorCase{"IntervalTooShort", "[poll]\ninterval = \"999ms\"\n" + kCluster,
                  "t.toml:2: poll.interval: must be at least 1s, found 999ms"},
        ErrorCase{"IntervalZero", "[poll]\ninterval = 0\n" + kCluster,
                  "t.toml:2: poll.interval: must be at least 1s, found 0s"},
        ErrorCase{"IntervalNegative", "[poll]\ninterval = -5\n" + kCluster,
                  "t.toml:2: poll.interval: must be at least 1s, found -5s"},
        ErrorCase{"RequestTimeoutTooShort", "[poll]\nrequest_timeout = \"99ms\"\n" + kCluster,
                  "t.toml:2: poll.request_timeout: must be at least 100ms, found 99ms"},
        ErrorCase{"RequestTimeoutFloatTooShort", "[poll]\nrequest_timeout = 0.05\n" + kCluster,
                  "t.toml:2: poll.request_timeout: must be at least 100ms, found 50ms"},
        ErrorCase{"MaxInFlightZero", "[poll]\nmax_in_flight = 0\n" + kCluster,
                  "t.toml:2: poll.max_in_flight: must be between 1 and 1024, found 0"},
        ErrorCase{"MaxInFlightTooMany", "[poll]\nmax_in_flight = 1025\n" + kCluster,
                  "t.toml:2: poll.max_in_flight: must be between 1 and 1024, found 1025"},
        ErrorCase{"MaxInFlightString", "[poll]\nmax_in_flight = \"32\"\n" + kCluster,
                  "t.toml:2: poll.max_in_flight: expected an integer, found string"},
        ErrorCase{"BrokerWideDescribeNegative",
                  "[poll]\nbroker_wide_describe_min_groups = -1\n" + kCluster,
                  "t.toml:2: poll.broker_wide_describe_min_groups: must be between 0 and "
                  "1000000000, found -1"},
        ErrorCase{"MaxInFlightFloat", "[poll]\nmax_in_flight = 1.5\n" + kCluster,
                  "t.toml:2: poll.max_in_flight: expected an integer, found float"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(
    Clusters, ErrorCaseTest,
    ::testing::Values(
        ErrorCase{"NoClusters", "",
                  "t.toml: clusters: at least one [[clusters]] table is required"},
        ErrorCase{"EmptyClusterArray", "clusters = []\n",
                  "t.toml:1: clusters: at least one [[clusters]] table is required"},
        ErrorCase{"ClustersSingleTable", "[clusters]\nname = \"a\"\n",
                  "t.toml:1: clusters: expected an array of tables ([[clusters]]), found table"},
        ErrorCase{"ClusterNotTable", "clusters = [1]\n",
                  "t.toml:1: clusters[0]: expected a table, found integer"},
        ErrorCase{"NameMissing", "[[clusters]]\nbootstrap_servers = \"k:9092\"\n",
                  "t.toml:1: clusters[0].name: missing required key"},
        ErrorCase{"NameEmpty", "[[clusters]]\nname = \"\"\nbootstrap_servers = \"k:9092\"\n",
                  "t.toml:2: clusters[0].name: must not be empty"},
        ErrorCase{"NameInvalid",
                  "[[clusters]]\nname = \"my cluster\"\nbootstrap_servers = \"k:9092\"\n",
                  "t.toml:2: clusters[0].name: must match [A-Za-z0-9_.-]+, found \"my cluster\""},
        ErrorCase{"NameType", "[[clusters]]\nname = 7\nbootstrap_servers = \"k:9092\"\n",
                  "t.toml:2: clusters[0].name: expected a string, found integer"},
        ErrorCase{"NameDuplicate",
                  kCluster + "\n[[clusters]]\nbootstrap_servers = \"k2:9092\"\nname = \"a\"\n",
                  "t.toml:7: clusters[1].name: duplicate cluster name \"a\" (first used on line "
                  "2)"},
        ErrorCase{"BootstrapMissing", "[[clusters]]\nname = \"a\"\n",
                  "t.toml:1: clusters[0].bootstrap_servers: missing required key"},
        ErrorCase{"BootstrapEmptyString", "[[clusters]]\nname = \"a\"\nbootstrap_servers = \"\"\n",
                  "t.toml:3: clusters[0].bootstrap_servers: must not be empty"},
        ErrorCase{"BootstrapEmptyArray", "[[clusters]]\nname = \"a\"\nbootstrap_servers = []\n",
                  "t.toml:3: clusters[0].bootstrap_servers: must not be empty"},
        ErrorCase{"BootstrapType", "[[clusters]]\nname = \"a\"\nbootstrap_servers = 9092\n",
                  "t.toml:3: clusters[0].bootstrap_servers: expected a string or an array of "
                  "strings, found integer"},
        ErrorCase{"BootstrapElementType",
                  "[[clusters]]\nname = \"a\"\nbootstrap_servers = [\"k:9092\",\n  9093]\n",
                  "t.toml:4: clusters[0].bootstrap_servers[1]: expected a string, found integer"},
        ErrorCase{"BootstrapElementEmpty",
                  "[[clusters]]\nname = \"a\"\nbootstrap_servers = [\"k:9092\", \"\"]\n",
                  "t.toml:3: clusters[0].bootstrap_servers[1]: must not be empty"},
        ErrorCase{"ShardType", kCluster + "shard = 1\n",
                  "t.toml:4: clusters[0].shard: expected a string, found integer"},
        ErrorCase{"ShardIndexTooBig", kCluster + "shard = \"2/2\"\n",
                  "t.toml:4: clusters[0].shard: invalid shard \"2/2\": expected \"I/N\" with 0 <= "
                  "I < N"},
        ErrorCase{"ShardZeroCount", kCluster + "shard = \"0/0\"\n",
                  "t.toml:4: clusters[0].shard: invalid shard \"0/0\": expected \"I/N\" with 0 <= "
                  "I < N"},
        ErrorCase{"ShardMalformed", kCluster + "shard = \"half\"\n",
                  "t.toml:4: clusters[0].shard: invalid shard \"half\": expected \"I/N\" with 0 <= "
                  "I < N"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(
    Filters, ErrorCaseTest,
    ::testing::Values(
        ErrorCase{"GroupsNotTable", kCluster + "groups = [\"a\"]\n",
                  "t.toml:4: clusters[0].groups: expected a table, found array"},
        ErrorCase{"AllowNotArray", kCluster + "[clusters.groups]\nallow = \"a.*\"\n",
                  "t.toml:5: clusters[0].groups.allow: expected an array of strings, found "
                  "string"},
        ErrorCase{"AllowElementType", kCluster + "[clusters.topics]\nallow = [\"a\", 1]\n",
                  "t.toml:5: clusters[0].topics.allow[1]: expected a string, found integer"},
        ErrorCase{"InvalidAllowRegex", kCluster + "[clusters.topics]\nallow = [\"[ab\"]\n",
                  "t.toml:5: clusters[0].topics.allow[0]: invalid regular expression \"[ab\": "
                  "unbalanced square brackets"},
        ErrorCase{"InvalidDenyRegex", kCluster + "[clusters.groups]\ndeny = [\"a\", \"b{2,1}\"]\n",
                  "t.toml:5: clusters[0].groups.deny[1]: invalid regular expression \"b{2,1}\": "
                  "invalid repetition count in braces"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(
    Librdkafka, ErrorCaseTest,
    ::testing::Values(
        ErrorCase{"NotTable", kCluster + "librdkafka = \"acks=all\"\n",
                  "t.toml:4: clusters[0].librdkafka: expected a table, found string"},
        ErrorCase{"IntegerValue",
                  kCluster + "[clusters.librdkafka]\n\"socket.timeout.ms\" = 30000\n",
                  "t.toml:5: clusters[0].librdkafka.socket.timeout.ms: expected a string, { env = "
                  "\"NAME\" } or { file = \"PATH\" }, found integer"},
        ErrorCase{"EmptyTableValue", kCluster + "[clusters.librdkafka]\n\"client.id\" = {}\n",
                  "t.toml:5: clusters[0].librdkafka.client.id: expected a string, { env = "
                  "\"NAME\" } or { file = \"PATH\" }, found table"},
        ErrorCase{"ReferenceWithTwoSources",
                  kCluster + "[clusters.librdkafka]\n\"sasl.password\" = { env = \"A\", file = "
                             "\"/b\" }\n",
                  "t.toml:5: clusters[0].librdkafka.sasl.password: a secret reference takes "
                  "exactly one key: env or file"},
        ErrorCase{"ReferenceWithExtraKey",
                  kCluster + "[clusters.librdkafka]\n\"sasl.password\" = { env = \"A\", "
                             "default = \"x\" }\n",
                  "t.toml:5: clusters[0].librdkafka.sasl.password: a secret reference takes "
                  "exactly one key: env or file"},
        ErrorCase{"ReferenceNotString",
                  kCluster + "[clusters.librdkafka]\n\"sasl.password\" = { env = 1 }\n",
                  "t.toml:5: clusters[0].librdkafka.sasl.password.env: expected a string, found "
                  "integer"},
        ErrorCase{"ReferenceEmptyName",
                  kCluster + "[clusters.librdkafka]\n\"sasl.password\" = { file = \"\" }\n",
                  "t.toml:5: clusters[0].librdkafka.sasl.password.file: must not be empty"},
        ErrorCase{"BootstrapServersProperty",
                  kCluster + "[clusters.librdkafka]\n\"bootstrap.servers\" = \"k2:9092\"\n",
                  "t.toml:5: clusters[0].librdkafka.bootstrap.servers: set bootstrap_servers of "
                  "the cluster instead"},
        ErrorCase{"SameNameQuotedAndDotted",
                  kCluster + "[clusters.librdkafka]\n\"sasl.username\" = \"a\"\n"
                             "sasl.username = \"b\"\n",
                  "t.toml:6: clusters[0].librdkafka.sasl.username: set twice (first on line 5)"},
        ErrorCase{"EmptyPropertyName", kCluster + "[clusters.librdkafka]\n\"\" = \"x\"\n",
                  "t.toml:5: clusters[0].librdkafka.: property names must not be empty"}),
    case_name);

}  // namespace
}  // namespace lagwatch::config
