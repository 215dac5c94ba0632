"""lagwatch / Topics: watermarks, production and the groups that read each topic."""

from grafana import Layout, dashboard, group_dashboard_link, query_variable, table, target, \
    timeseries

PARTS = 'kafka_cluster=~"$kafka_cluster", topic=~"$topic"'
MSG_RATE = "suffix: msg/s"


def build():
    layout = Layout()
    layout.row("Production")
    layout.add(
        timeseries("Production rate per topic",
                   "Messages written per second per topic (rate of the high watermark). "
                   "Compare with the consumption rate of the groups reading it; a sudden "
                   "surge is the usual cause of lag spikes.",
                   MSG_RATE, [target("sum by (kafka_cluster, topic) "
                                     "(rate(lagwatch_partition_high_watermark{%s}"
                                     "[$__rate_interval]))" % PARTS,
                                     "{{kafka_cluster}} / {{topic}}")]),
        timeseries("Production rate per partition",
                   "Messages written per second per partition. One partition far above the "
                   "others of its topic means key skew: its consumer will lag first.",
                   MSG_RATE, [target("rate(lagwatch_partition_high_watermark{%s}"
                                     "[$__rate_interval])" % PARTS,
                                     "{{topic}}/{{partition}}")]),
    )
    layout.row("Watermarks")
    layout.add(
        timeseries("High watermark per partition",
                   "Offset of the next message to be written. Flat lines are idle partitions; "
                   "lag in seconds of idle partitions stays 0 once consumers catch up.",
                   "short", [target("lagwatch_partition_high_watermark{%s}" % PARTS,
                                    "{{topic}}/{{partition}}")], width=8),
        timeseries("Low watermark per partition",
                   "Earliest offset still in the log (log start). Jumps are retention or "
                   "record deletion; a group committed below it has lost data.",
                   "short", [target("lagwatch_partition_low_watermark{%s}" % PARTS,
                                    "{{topic}}/{{partition}}")], width=8),
        timeseries("Retained messages per partition",
                   "High minus low watermark: how many messages retention keeps. A consumer "
                   "whose lag approaches this number is about to lose data.",
                   "short", [target("lagwatch_partition_high_watermark{%s} - "
                                    "lagwatch_partition_low_watermark{%s}" % (PARTS, PARTS),
                                    "{{topic}}/{{partition}}")], width=8),
    )
    layout.row("Consumers")
    layout.add(
        table("Groups reading the topic",
              "Every exported group that has committed on the topic, with its lag in messages "
              "and in seconds (worst partition). Click a group to open its dashboard.",
              "short",
              [target("max by (kafka_cluster, topic, group) "
                      "(lagwatch_group_topic_lag{%s})" % PARTS, instant=True),
               target("max by (kafka_cluster, topic, group) "
                      "(lagwatch_group_topic_max_lag_seconds{%s})" % PARTS, instant=True)],
              links=group_dashboard_link(), width=12),
        timeseries("Consumption rate per group and topic",
                   "Rate of the committed offsets of each group on the topic. Groups below "
                   "the production rate fall behind; groups at 0 are stopped.",
                   MSG_RATE, [target("sum by (kafka_cluster, topic, group) "
                                     "(rate(lagwatch_group_partition_committed_offset{%s}"
                                     "[$__rate_interval]))" % PARTS,
                                     "{{group}} on {{topic}}")],
                   links=group_dashboard_link(), width=12),
    )
    variables = [
        query_variable("kafka_cluster", "Cluster", "label_values(lagwatch_up, kafka_cluster)"),
        query_variable("topic", "Topic",
                       'label_values(lagwatch_partition_high_watermark{'
                       'kafka_cluster=~"$kafka_cluster"}, topic)'),
    ]
    return dashboard("lagwatch-topics", "lagwatch / Topics",
                     "Topics read by the exported groups: watermarks, production rate and the "
                     "groups that read each topic.", layout, variables)
