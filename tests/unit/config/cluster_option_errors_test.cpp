// Validation errors of the per-cluster options (granularity, lag in seconds, watermark history,
// [clusters.health], [clusters.consumer_offsets], [clusters.series]), with their exact text.

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

const std::string kExact = kCluster + "lag_seconds = \"exact\"\n";

class ClusterOptionErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ClusterOptionErrorTest, ReportsFileLineKeyAndMessage) {
  EXPECT_EQ(testing::error_text(parse(GetParam().toml, "t.toml")), GetParam().expected)
      << GetParam().toml;
}

INSTANTIATE_TEST_SUITE_P(
    Granularity, ClusterOptionErrorTest,
    ::testing::Values(
        ErrorCase{"Type", kCluster + "granularity = 1\n",
                  "t.toml:4: clusters[0].granularity: expected a string, found integer"},
        ErrorCase{"UnknownValue", kCluster + "granularity = \"consumer\"\n",
                  "t.toml:4: clusters[0].granularity: unknown value \"consumer\" (allowed: "
                  "\"partition\", \"topic\", \"group\")"},
        ErrorCase{"CaseMatters", kCluster + "granularity = \"Topic\"\n",
                  "t.toml:4: clusters[0].granularity: unknown value \"Topic\" (allowed: "
                  "\"partition\", \"topic\", \"group\")"},
        ErrorCase{"Empty", kCluster + "granularity = \"\"\n",
                  "t.toml:4: clusters[0].granularity: unknown value \"\" (allowed: "
                  "\"partition\", \"topic\", \"group\")"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(
    LagSeconds, ClusterOptionErrorTest,
    ::testing::Values(
        ErrorCase{"Type", kCluster + "lag_seconds = true\n",
                  "t.toml:4: clusters[0].lag_seconds: expected a string, found boolean"},
        ErrorCase{"UnknownValue", kCluster + "lag_seconds = \"precise\"\n",
                  "t.toml:4: clusters[0].lag_seconds: unknown value \"precise\" (allowed: "
                  "\"estimate\", \"exact\")"},
        ErrorCase{"ExactGroupsWithDefaultMode", kCluster + "exact_groups = [\"payments-.*\"]\n",
                  "t.toml:4: clusters[0].exact_groups: exact_groups needs lag_seconds = "
                  "\"exact\""},
        ErrorCase{"ExactGroupsWithEstimate",
                  kCluster + "exact_groups = [\"a\"]\nlag_seconds = \"estimate\"\n",
                  "t.toml:4: clusters[0].exact_groups: exact_groups needs lag_seconds = "
                  "\"exact\""},
        ErrorCase{"ExactGroupsNotArray", kExact + "exact_groups = \"a.*\"\n",
                  "t.toml:5: clusters[0].exact_groups: expected an array of strings, found "
                  "string"},
        ErrorCase{"ExactGroupsNotArrayInEstimateMode", kCluster + "exact_groups = 1\n",
                  "t.toml:4: clusters[0].exact_groups: expected an array of strings, found "
                  "integer"},
        ErrorCase{"ExactGroupsElementType", kExact + "exact_groups = [\"a\", 2]\n",
                  "t.toml:5: clusters[0].exact_groups[1]: expected a string, found integer"},
        ErrorCase{"ExactGroupsInvalidRegex", kExact + "exact_groups = [\"a\",\n  \"(b\"]\n",
                  "t.toml:6: clusters[0].exact_groups[1]: invalid regular expression \"(b\": "
                  "unbalanced parentheses"},
        ErrorCase{"ExactMaxSamplesZero", kCluster + "exact_max_samples = 0\n",
                  "t.toml:4: clusters[0].exact_max_samples: must be between 1 and 100000, found "
                  "0"},
        ErrorCase{"ExactMaxSamplesTooMany", kExact + "exact_max_samples = 100_001\n",
                  "t.toml:5: clusters[0].exact_max_samples: must be between 1 and 100000, found "
                  "100001"},
        ErrorCase{"ExactMaxSamplesHuge", kExact + "exact_max_samples = 9223372036854775807\n",
                  "t.toml:5: clusters[0].exact_max_samples: must be between 1 and 100000, found "
                  "9223372036854775807"},
        ErrorCase{"ExactMaxSamplesString", kExact + "exact_max_samples = \"1000\"\n",
                  "t.toml:5: clusters[0].exact_max_samples: expected an integer, found string"},
        ErrorCase{"ExactMaxSamplesFloat", kExact + "exact_max_samples = 1e3\n",
                  "t.toml:5: clusters[0].exact_max_samples: expected an integer, found float"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(
    HistoryPoints, ClusterOptionErrorTest,
    ::testing::Values(
        ErrorCase{"One", kCluster + "history_points = 1\n",
                  "t.toml:4: clusters[0].history_points: must be between 2 and 10000, found 1"},
        ErrorCase{"TooMany", kCluster + "history_points = 10001\n",
                  "t.toml:4: clusters[0].history_points: must be between 2 and 10000, found "
                  "10001"},
        ErrorCase{"Negative", kCluster + "history_points = -64\n",
                  "t.toml:4: clusters[0].history_points: must be between 2 and 10000, found -64"},
        ErrorCase{"Float", kCluster + "history_points = 64.0\n",
                  "t.toml:4: clusters[0].history_points: expected an integer, found float"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(
    Health, ClusterOptionErrorTest,
    ::testing::Values(
        ErrorCase{"NotTable", kCluster + "health = 10\n",
                  "t.toml:4: clusters[0].health: expected a table, found integer"},
        ErrorCase{"UnknownKey", kCluster + "[clusters.health]\nwindow = 5\nwindows = 10\n",
                  "t.toml:6: clusters[0].health.windows: unknown key (allowed: window, min_span, "
                  "stop_after)"},
        ErrorCase{"UnknownKeyInInlineTable", kCluster + "health = { stop = \"5m\" }\n",
                  "t.toml:4: clusters[0].health.stop: unknown key (allowed: window, min_span, "
                  "stop_after)"},
        ErrorCase{"WindowOne", kCluster + "[clusters.health]\nwindow = 1\n",
                  "t.toml:5: clusters[0].health.window: must be between 2 and 1000, found 1"},
        ErrorCase{"WindowTooBig", kCluster + "[clusters.health]\nwindow = 1001\n",
                  "t.toml:5: clusters[0].health.window: must be between 2 and 1000, found 1001"},
        ErrorCase{"WindowString", kCluster + "[clusters.health]\nwindow = \"10\"\n",
                  "t.toml:5: clusters[0].health.window: expected an integer, found string"},
        ErrorCase{"MinSpanNegative", kCluster + "[clusters.health]\nmin_span = -1\n",
                  "t.toml:5: clusters[0].health.min_span: must be at least 0s, found -1s"},
        ErrorCase{"MinSpanMalformed", kCluster + "[clusters.health]\nmin_span = \"2 minutes\"\n",
                  "t.toml:5: clusters[0].health.min_span: invalid duration \"2 minutes\": "
                  "expected a number with unit ms, s, m or h (\"500ms\", \"15s\"), or a number "
                  "of seconds"},
        ErrorCase{"MinSpanType", kCluster + "[clusters.health]\nmin_span = true\n",
                  "t.toml:5: clusters[0].health.min_span: expected a duration string (\"15s\") "
                  "or a number of seconds, found boolean"},
        ErrorCase{"StopAfterZero", kCluster + "[clusters.health]\nstop_after = \"0s\"\n",
                  "t.toml:5: clusters[0].health.stop_after: must be at least 1s, found 0s"},
        ErrorCase{"StopAfterTooShort", kCluster + "[clusters.health]\nstop_after = 0.999\n",
                  "t.toml:5: clusters[0].health.stop_after: must be at least 1s, found 999ms"},
        ErrorCase{"StopAfterType", kCluster + "[clusters.health]\nstop_after = [300]\n",
                  "t.toml:5: clusters[0].health.stop_after: expected a duration string "
                  "(\"15s\") or a number of seconds, found array"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(
    ConsumerOffsets, ClusterOptionErrorTest,
    ::testing::Values(
        ErrorCase{"NotTable", kCluster + "consumer_offsets = false\n",
                  "t.toml:4: clusters[0].consumer_offsets: expected a table, found boolean"},
        ErrorCase{"UnknownKey", kCluster + "[clusters.consumer_offsets]\nenable = false\n",
                  "t.toml:5: clusters[0].consumer_offsets.enable: unknown key (allowed: "
                  "enabled, serve_offsets, verify_groups, sync_wait)"},
        ErrorCase{"VerifyGroupsNegative",
                  kCluster + "[clusters.consumer_offsets]\nverify_groups = -1\n",
                  "t.toml:5: clusters[0].consumer_offsets.verify_groups: must be between 0 and "
                  "1000, found -1"},
        ErrorCase{"EnabledString", kCluster + "[clusters.consumer_offsets]\nenabled = \"false\"\n",
                  "t.toml:5: clusters[0].consumer_offsets.enabled: expected a boolean, found "
                  "string"},
        ErrorCase{"EnabledInteger", kCluster + "[clusters.consumer_offsets]\nenabled = 0\n",
                  "t.toml:5: clusters[0].consumer_offsets.enabled: expected a boolean, found "
                  "integer"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(
    SecondCluster, ClusterOptionErrorTest,
    ::testing::Values(ErrorCase{
        "KeyPathNamesTheCluster",
        kCluster + "[[clusters]]\nname = \"b\"\nbootstrap_servers = \"k:9092\"\n"
                   "[clusters.health]\nwindow = 0\n",
        "t.toml:8: clusters[1].health.window: must be between 2 and 1000, found 0"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(
    Series, ClusterOptionErrorTest,
    ::testing::Values(
        ErrorCase{"NotTable", kCluster + "series = true\n",
                  "t.toml:4: clusters[0].series: expected a table, found boolean"},
        ErrorCase{"UnknownKey", kCluster + "[clusters.series]\npartition_detail = true\n",
                  "t.toml:5: clusters[0].series.partition_detail: unknown key (allowed: "
                  "partition_details, member_info, kafka_exporter_names)"},
        ErrorCase{"Type", kCluster + "[clusters.series]\npartition_details = \"yes\"\n",
                  "t.toml:5: clusters[0].series.partition_details: expected a boolean, found "
                  "string"},
        ErrorCase{"MemberInfoType", kCluster + "[clusters.series]\nmember_info = 1\n",
                  "t.toml:5: clusters[0].series.member_info: expected a boolean, found "
                  "integer"},
        ErrorCase{"MemberInfoInlineType",
                  kCluster + "series = { partition_details = false, member_info = \"on\" }\n",
                  "t.toml:4: clusters[0].series.member_info: expected a boolean, found "
                  "string"},
        ErrorCase{"NeedsPartitionGranularity",
                  kCluster + "granularity = \"topic\"\n[clusters.series]\npartition_details = "
                             "true\n",
                  "t.toml:6: clusters[0].series.partition_details: partition_details needs "
                  "granularity = \"partition\", found \"topic\""},
        ErrorCase{"NeedsPartitionGranularityInline",
                  kCluster + "series = { partition_details = true }\ngranularity = \"group\"\n",
                  "t.toml:4: clusters[0].series.partition_details: partition_details needs "
                  "granularity = \"partition\", found \"group\""},
        ErrorCase{"KafkaExporterNamesType",
                  kCluster + "[clusters.series]\nkafka_exporter_names = \"true\"\n",
                  "t.toml:5: clusters[0].series.kafka_exporter_names: expected a boolean, found "
                  "string"},
        ErrorCase{"KafkaExporterNamesInlineType",
                  kCluster + "series = { kafka_exporter_names = 1 }\n",
                  "t.toml:4: clusters[0].series.kafka_exporter_names: expected a boolean, found "
                  "integer"},
        ErrorCase{"KafkaExporterNamesNeedPartitionGranularity",
                  kCluster + "granularity = \"topic\"\n[clusters.series]\nkafka_exporter_names = "
                             "true\n",
                  "t.toml:6: clusters[0].series.kafka_exporter_names: kafka_exporter_names needs "
                  "granularity = \"partition\", found \"topic\""},
        ErrorCase{"MetricsKafkaExporterNamesType",
                  "[metrics]\nkafka_exporter_names = 1\n" + kCluster,
                  "t.toml:2: metrics.kafka_exporter_names: expected a boolean, found integer"},
        ErrorCase{"MetricsUnknownKey", "[metrics]\nkafka_exporter = true\n" + kCluster,
                  "t.toml:2: metrics.kafka_exporter: unknown key (allowed: kafka_exporter_names)"},
        ErrorCase{
            "MetricsKafkaExporterNamesNeedPartitionGranularity",
            "[metrics]\nkafka_exporter_names = true\n" + kCluster + "granularity = \"group\"\n",
            "t.toml:4: clusters[0].series.kafka_exporter_names: [metrics] kafka_exporter_names "
            "needs granularity = \"partition\", found \"group\"; set kafka_exporter_names = "
            "false in [clusters.series] of this cluster"}),
    case_name);

}  // namespace
}  // namespace lagwatch::config
