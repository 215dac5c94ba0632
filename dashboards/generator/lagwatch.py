"""lagwatch / Exporter: is lagwatch itself healthy and are its numbers fresh."""

import grafana
from grafana import UP_MAPPINGS, Layout, dashboard, query_variable, stat, table, \
    timeseries


def target(expr, legend="", **kwargs):
    """This dashboard is about lagwatch processes: one series per instance, never folded, and
    the instance in every legend."""
    if legend:
        legend = "{{instance}} " + legend
    return grafana.target(expr, legend, per_instance=True, **kwargs)


# Values of lagwatch_rebalance_source{source="consumer_offsets"}: 0 means describe is the source.
REBALANCE_SOURCE_MAPPINGS = [
    {"type": "value", "options": {
        "1": {"text": "exact (__consumer_offsets)", "color": "green", "index": 0},
        "0": {"text": "lower bound (describe)", "color": "orange", "index": 1}}},
]

CAUGHT_UP_MAPPINGS = [
    {"type": "value", "options": {
        "1": {"text": "caught up", "color": "green", "index": 0},
        "0": {"text": "replaying", "color": "orange", "index": 1}}},
]

NOT_UNDERSTOOD = 'outcome=~"unknown_type|unknown_version|malformed"'

CLUSTER = 'kafka_cluster=~"$kafka_cluster"'


def build():
    layout = Layout()
    layout.row("Status")
    layout.add(
        stat("Cluster polls",
             "Whether the last poll of each cluster succeeded. DOWN: lagwatch cannot reach the "
             "brokers or is refused (check the log, bootstrap_servers, credentials and ACLs); "
             "the other series keep their last values meanwhile.",
             "none", [target("lagwatch_up{%s}" % CLUSTER, "{{kafka_cluster}}")],
             mappings=UP_MAPPINGS, thresholds=((1, "green"),), width=4),
        stat("Data age",
             "Seconds since the last successful poll finished: how old every number on the "
             "other dashboards is. Normal is up to one poll interval plus one poll duration.",
             "s", [target("time() - lagwatch_last_successful_poll_timestamp_seconds{%s}"
                          % CLUSTER, "{{kafka_cluster}}")],
             thresholds=((60, "orange"), (300, "red")), width=4),
        stat("Groups exported",
             "Consumer groups in the last snapshot per cluster. Compare with the group filters "
             "in the config when a group is missing.",
             "none", [target("lagwatch_groups{%s}" % CLUSTER, "{{kafka_cluster}}")],
             thresholds=(), width=4),
        table("Build",
              "Version and revision of every lagwatch instance being scraped. Mixed versions "
              "during a rollout are expected; otherwise they mean a stuck deployment.",
              "none", [target("lagwatch_build_info", instant=True)], width=4, height=4,
              hidden=("Value",)),
        stat("Rebalance count source",
             "Where the rebalance counts of each cluster come from. exact: every generation "
             "or epoch change read from __consumer_offsets. lower bound: inferred from "
             "describe polls because __consumer_offsets cannot be read (no READ ACL, or "
             "switched off); rebalances between two polls are missed and generation, commit "
             "counts and KIP-848 member counts are absent. Grant READ on the topic to get "
             "exact counts.",
             "none", [target('lagwatch_rebalance_source{%s, source="consumer_offsets"}'
                             % CLUSTER, "{{kafka_cluster}}")],
             mappings=REBALANCE_SOURCE_MAPPINGS, width=4),
        stat("__consumer_offsets replay",
             "Whether lagwatch has replayed __consumer_offsets up to where it ended at start-up. "
             "Until then /readyz answers 503 and rebalance counts have no baseline; a replay "
             "that never finishes points at a huge or unreadable topic (see the lagwatch log).",
             "none", [target("lagwatch_offsets_reader_caught_up{%s}" % CLUSTER,
                             "{{kafka_cluster}}")],
             mappings=CAUGHT_UP_MAPPINGS, width=4),
    )
    layout.row("Polling")
    layout.add(
        timeseries("Poll duration",
                   "Wall time of the last poll cycle per cluster, and of each of its stages. "
                   "Approaching the poll interval means the data gets older than configured: "
                   "a slow group_offsets stage calls for a higher max_in_flight, slow render or "
                   "publish stages for fewer series (granularity, filters) or sharding.",
                   "s", [target("lagwatch_poll_duration_seconds{%s}" % CLUSTER,
                                "{{kafka_cluster}}"),
                         target("lagwatch_poll_stage_duration_seconds{%s}" % CLUSTER,
                                "{{kafka_cluster}} {{stage}}")]),
        timeseries("Data age",
                   "Seconds since the last successful poll over time. A sawtooth up to the poll "
                   "interval is normal; a ramp means polls keep failing.",
                   "s", [target("time() - lagwatch_last_successful_poll_timestamp_seconds{%s}"
                                % CLUSTER, "{{kafka_cluster}}")]),
        timeseries("Stage failure ratio",
                   "Share of failed requests per poll stage (metadata, list_groups, "
                   "describe_groups, group_offsets, watermarks, record_timestamps in exact "
                   "mode). Non-zero: the lagwatch log "
                   "names the error; timeouts suggest raising request_timeout.",
                   "percentunit",
                   [target("sum by (kafka_cluster, stage) (rate(lagwatch_poll_stage_failures_"
                           "total{%s}[$__rate_interval])) / sum by (kafka_cluster, stage) "
                           "(rate(lagwatch_poll_stage_attempts_total{%s}[$__rate_interval]))"
                           % (CLUSTER, CLUSTER), "{{kafka_cluster}} {{stage}}")]),
        timeseries("Not authorized",
                   "Resources the principal's ACLs refused in the last poll, per kind: topic "
                   "(topics the exported groups commit to or are assigned that it may not "
                   "describe; their partitions are missing), group (groups that could not be "
                   "described or fetched), consumer_offsets (1: __consumer_offsets may not be "
                   "read). Above 0: the landing page names them; grant Describe (and Read) or "
                   "narrow the filters.",
                   "short", [target("lagwatch_unauthorized{%s}" % CLUSTER,
                                    "{{kafka_cluster}} {{resource}}")]),
        timeseries("Stage requests and failures",
                   "Requests per second per poll stage and the failed ones. Attempts scale "
                   "with the number of groups; failures should stay at 0.",
                   "reqps",
                   [target("sum by (kafka_cluster, stage) (rate(lagwatch_poll_stage_attempts_"
                           "total{%s}[$__rate_interval]))" % CLUSTER,
                           "attempts {{kafka_cluster}} {{stage}}"),
                    target("sum by (kafka_cluster, stage) (rate(lagwatch_poll_stage_failures_"
                           "total{%s}[$__rate_interval]))" % CLUSTER,
                           "failures {{kafka_cluster}} {{stage}}")]),
    )
    layout.row("__consumer_offsets reader")
    layout.add(
        timeseries("Records read by outcome",
                   "Records of __consumer_offsets read per second: applied (commits and group "
                   "metadata used by lagwatch), ignored (known record types lagwatch does not "
                   "need, such as share groups), unknown_type, unknown_version, malformed. The "
                   "last three mean the brokers write formats this lagwatch does not know: "
                   "upgrade lagwatch, and expect rebalance and commit counts to miss them.",
                   "cps", [target("sum by (kafka_cluster, outcome) (rate(lagwatch_offsets_"
                                    "reader_records_total{%s}[$__rate_interval]))" % CLUSTER,
                                    "{{kafka_cluster}} {{outcome}}")], width=16),
        stat("Records not understood (range)",
             "Records of __consumer_offsets over the time range that lagwatch could not decode "
             "(unknown_type, unknown_version, malformed). Above 0: upgrade lagwatch; the "
             "groups concerned may show too few rebalances and commits.",
             "none", [target("sum(increase(lagwatch_offsets_reader_records_total{%s, %s}"
                             "[$__range])) or vector(0)" % (CLUSTER, NOT_UNDERSTOOD))],
             thresholds=((1, "orange"),), width=8, height=8),
    )
    layout.row("Exposition")
    layout.add(
        timeseries("Exposition size",
                   "Size of the /metrics body, plain and gzip. Growth means more groups or "
                   "partitions; if scrapes get slow or large, narrow the filters or shard.",
                   "bytes", [target("lagwatch_exposition_bytes", "{{instance}} {{encoding}}")],
                   width=8),
        timeseries("Exposition series",
                   "Series in the /metrics body: the cardinality lagwatch adds to Prometheus.",
                   "short", [target("lagwatch_exposition_series", "{{instance}}")], width=8),
        timeseries("Scrape duration",
                   "How long Prometheus takes to scrape lagwatch (scrape_duration_seconds of "
                   "the lagwatch targets). Scrapes serve a cached body, so this should stay "
                   "well under a second; if not, look at body size and network.",
                   "s", [target("scrape_duration_seconds and on (job, instance) "
                                "lagwatch_build_info", "{{instance}}")], width=8),
    )
    variables = [
        query_variable("kafka_cluster", "Cluster", "label_values(lagwatch_up, kafka_cluster)"),
    ]
    return dashboard("lagwatch-self", "lagwatch / Exporter",
                     "Health of lagwatch itself: poll success, data age, poll duration, stage "
                     "errors and the size of what it exposes.", layout, variables)
