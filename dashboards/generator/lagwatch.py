"""lagwatch / Exporter: is lagwatch itself healthy and are its numbers fresh."""

from grafana import UP_MAPPINGS, Layout, dashboard, query_variable, stat, table, target, \
    timeseries

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
             mappings=UP_MAPPINGS, thresholds=((1, "green"),), width=6),
        stat("Data age",
             "Seconds since the last successful poll finished: how old every number on the "
             "other dashboards is. Normal is up to one poll interval plus one poll duration.",
             "s", [target("time() - lagwatch_last_successful_poll_timestamp_seconds{%s}"
                          % CLUSTER, "{{kafka_cluster}}")],
             thresholds=((60, "orange"), (300, "red")), width=6),
        stat("Groups exported",
             "Consumer groups in the last snapshot per cluster. Compare with the group filters "
             "in the config when a group is missing.",
             "none", [target("lagwatch_groups{%s}" % CLUSTER, "{{kafka_cluster}}")],
             thresholds=(), width=6),
        table("Build",
              "Version and revision of every lagwatch instance being scraped. Mixed versions "
              "during a rollout are expected; otherwise they mean a stuck deployment.",
              "none", [target("lagwatch_build_info", instant=True)], width=6, height=4,
              hidden=("Value",)),
    )
    layout.row("Polling")
    layout.add(
        timeseries("Poll duration",
                   "Wall time of the last poll cycle per cluster. Approaching the poll "
                   "interval means the data gets older than configured: raise max_in_flight "
                   "or the interval, or narrow the group filters.",
                   "s", [target("lagwatch_poll_duration_seconds{%s}" % CLUSTER,
                                "{{kafka_cluster}}")]),
        timeseries("Data age",
                   "Seconds since the last successful poll over time. A sawtooth up to the poll "
                   "interval is normal; a ramp means polls keep failing.",
                   "s", [target("time() - lagwatch_last_successful_poll_timestamp_seconds{%s}"
                                % CLUSTER, "{{kafka_cluster}}")]),
        timeseries("Stage failure ratio",
                   "Share of failed requests per poll stage (metadata, list_groups, "
                   "describe_groups, group_offsets, watermarks). Non-zero: the lagwatch log "
                   "names the error; timeouts suggest raising request_timeout.",
                   "percentunit",
                   [target("sum by (kafka_cluster, stage) (rate(lagwatch_poll_stage_failures_"
                           "total{%s}[$__rate_interval])) / sum by (kafka_cluster, stage) "
                           "(rate(lagwatch_poll_stage_attempts_total{%s}[$__rate_interval]))"
                           % (CLUSTER, CLUSTER), "{{kafka_cluster}} {{stage}}")]),
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
