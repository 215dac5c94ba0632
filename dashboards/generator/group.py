"""lagwatch / Consumer group: one group, per topic and partition."""

from grafana import (rebalance_annotation, HEALTH_MAPPINGS, IN_STATE_MAPPINGS, STATE_COLORS, Layout, dashboard,
                     fixed_color_overrides, query_variable, stat, state_timeline, table, target,
                     timeseries)

GROUP = 'kafka_cluster="$kafka_cluster", group="$group"'
PARTS = GROUP + ', topic=~"$topic"'
# Watermarks carry no group label: keep only the partitions this group has committed on.
OF_GROUP = ("and on (kafka_cluster, topic, partition) "
            "lagwatch_group_partition_committed_offset{%s}" % PARTS)
MSG_RATE = "suffix: msg/s"


def build():
    layout = Layout()
    layout.row("Now")
    layout.add(
        stat("Lag (seconds)",
             "Age of the oldest unread message of the group. If it grows steadily the group "
             "is not keeping up; compare consumption and production rates below.",
             "s", [target("max(lagwatch_group_max_lag_seconds{%s})" % GROUP)],
             thresholds=((300, "orange"), (1800, "red"))),
        stat("Lag (messages)",
             "Unread messages of the group over the selected topics.",
             "short", [target("sum(lagwatch_group_topic_lag{%s})" % PARTS)],
             thresholds=()),
        stat("Health",
             "Current health code of the group (its worst partition): 0 OK, 1 WARN, 2 STALL, "
             "3 STOP, 4 REWIND, 5 ERR. Codes 2 and above are bad (they alert) and need action: "
             "see the partition health panel for where.",
             "none", [target("max(lagwatch_group_health{%s})" % GROUP)],
             mappings=HEALTH_MAPPINGS, thresholds=((1, "yellow"), (2, "red"))),
        stat("Members",
             "Active members of the group. 0 with lag above 0 means nobody is consuming: start "
             "the consumer or delete the group.",
             "none", [target("max(lagwatch_group_members{%s})" % GROUP)],
             thresholds=()),
        stat("Data loss (messages)",
             "Messages deleted by retention before the group read them. Above 0: data is lost "
             "for this consumer; raise retention or speed up consumption.",
             "short", [target("sum(lagwatch_group_data_loss_messages{%s})" % GROUP)],
             thresholds=((1, "red"),)),
        stat("Generation",
             "Current generation (classic group) or group epoch (KIP-848 group); it increases "
             "on every rebalance. Read from __consumer_offsets: no value when lagwatch cannot "
             "read that topic.",
             "none", [target("max(lagwatch_group_generation{%s})" % GROUP)],
             thresholds=()),
    )
    layout.row("Lag")
    layout.add(
        timeseries("Lag in messages per topic",
                   "Unread messages per topic. A topic whose lag grows while others stay flat "
                   "points at a slow handler or a hot partition on that topic.",
                   "short", [target("sum by (topic) (lagwatch_group_topic_lag{%s})" % PARTS,
                                    "{{topic}}")]),
        timeseries("Lag in seconds per topic",
                   "Age of the oldest unread message per topic (the worst partition of the "
                   "topic). The topic whose line climbs with the clock is the one the group is "
                   "stuck on.",
                   "s", [target("max by (topic) (lagwatch_group_topic_max_lag_seconds{%s})"
                                % PARTS, "{{topic}}")]),
        timeseries("Lag in seconds per partition",
                   "Age of the next unread message per partition (0 when caught up). One "
                   "partition far above the rest usually means a stuck or slow consumer "
                   "instance owns it.",
                   "s", [target("lagwatch_group_partition_lag_seconds{%s}" % PARTS,
                                "{{topic}}/{{partition}}")]),
        timeseries("Lag in messages per partition",
                   "Unread messages per partition. Uneven lag across partitions of one topic "
                   "points at key skew or one slow consumer instance.",
                   "short", [target("lagwatch_group_partition_lag{%s}" % PARTS,
                                    "{{topic}}/{{partition}}")]),
        timeseries("Assigned partitions without a commit",
                   "Partitions assigned to an active member of this (classic) group on which the "
                   "group has never committed: their lag is invisible, because there is no "
                   "committed offset to measure it from. Above 0 for long means a consumer that "
                   "reads but never commits one partition (a stuck or misconfigured instance). The "
                   "per-partition lines need [clusters.series] partition_details = true.",
                   "short",
                   [target("max(lagwatch_group_uncommitted_partitions{%s})" % GROUP, "count"),
                    target("lagwatch_group_partition_uncommitted{%s}" % PARTS,
                           "{{topic}}/{{partition}}")]),
        timeseries("Topics hidden by ACLs",
                   "Topics this group commits to or is assigned that lagwatch's principal may not "
                   "describe: their partitions are missing from every panel here, so the group "
                   "is only partly visible. The landing page names the topics.",
                   "short",
                   [target("max(lagwatch_group_unauthorized_topics{%s})" % GROUP, "topics")]),
        table("Partitions",
              "Per partition: committed offset, high watermark, lag, lag seconds, lower bound "
              "(1 = the real lag in seconds is at least the value shown; empty when it is not a "
              "bound), exact (only in exact mode: 1 = from the record's timestamp, 0 = "
              "estimated because the record could not be read), seconds since the last commit "
              "and health code (2 and above are bad). Sort by a column to find the partition "
              "that holds the group back. Lower bound, exact, last commit and health need "
              "[clusters.series] partition_details = true.",
              "short",
              [target("lagwatch_group_partition_committed_offset{%s}" % PARTS, instant=True),
               # Multiplying by 0 keeps the group label so the table merges into one row.
               target("0 * lagwatch_group_partition_committed_offset{%s} + on (kafka_cluster, "
                      "topic, partition) group_left lagwatch_partition_high_watermark{"
                      "kafka_cluster=\"$kafka_cluster\"}" % PARTS, instant=True),
               target("lagwatch_group_partition_lag{%s}" % PARTS, instant=True),
               target("lagwatch_group_partition_lag_seconds{%s}" % PARTS, instant=True),
               target("lagwatch_group_partition_lag_seconds_lower_bound{%s}" % PARTS,
                      instant=True),
               target("lagwatch_group_partition_lag_seconds_exact{%s}" % PARTS, instant=True),
               target("time() - lagwatch_group_partition_last_commit_timestamp_seconds{%s}"
                      % PARTS, instant=True),
               target("lagwatch_group_partition_health{%s}" % PARTS, instant=True)],
              hidden=("kafka_cluster", "group"), width=24),
    )
    layout.row("Throughput")
    layout.add(
        timeseries("Consumption vs production per topic",
                   "Consumption = rate of the committed offset, production = rate of the high "
                   "watermark, per topic. Consumption persistently below production means lag "
                   "will grow without bound: add consumers/partitions or speed up processing.",
                   MSG_RATE,
                   [target("sum by (topic) (rate(lagwatch_group_partition_committed_offset{%s}"
                           "[$__rate_interval]))" % PARTS, "consumed {{topic}}"),
                    target("sum by (topic) (rate(lagwatch_partition_high_watermark{"
                           "kafka_cluster=\"$kafka_cluster\", topic=~\"$topic\"}"
                           "[$__rate_interval]) " + OF_GROUP + ")", "produced {{topic}}")]),
        timeseries("Consumption rate per partition",
                   "Rate of the committed offset per partition. A partition at 0 while its "
                   "production is above 0 is not being consumed.",
                   MSG_RATE,
                   [target("rate(lagwatch_group_partition_committed_offset{%s}"
                           "[$__rate_interval])" % PARTS, "{{topic}}/{{partition}}")]),
        timeseries("Commit rate",
                   "Offset commits per second by the group. Dropping to 0 while members exist "
                   "means the consumers are stuck (or commit only rarely: check their commit "
                   "settings).",
                   "ops", [target("sum(rate(lagwatch_group_offset_commits_total{%s}"
                                  "[$__rate_interval]))" % GROUP, "commits")]),
        timeseries("Seconds since last commit per partition",
                   "Time since the group last committed on each partition. A growing line on "
                   "a partition with lag means its consumer stopped. Needs [clusters.series] "
                   "partition_details = true.",
                   "s", [target("time() - lagwatch_group_partition_last_commit_timestamp_"
                                "seconds{%s}" % PARTS, "{{topic}}/{{partition}}")]),
    )
    layout.row("Membership and rebalances")
    layout.add(
        timeseries("Members",
                   "Active members over time. Drops that line up with rebalances and lag "
                   "spikes point at consumers crashing or being redeployed.",
                   "none", [target("max(lagwatch_group_members{%s})" % GROUP, "members")],
                   width=8),
        state_timeline("Group state",
                       "Coordinator state over time, one row per state: stable, empty, "
                       "preparing_rebalance and completing_rebalance (classic groups), "
                       "assigning and reconciling (KIP-848 groups), dead, unknown. The orange "
                       "states are rebalancing: long stretches in them mean the group spends "
                       "its time rebalancing instead of consuming.",
                       [target("max by (state) (lagwatch_group_state{%s}) == 1" % GROUP,
                               "{{state}}")],
                       IN_STATE_MAPPINGS, width=8, thresholds=(),
                       overrides=fixed_color_overrides(STATE_COLORS)),
        timeseries("Rebalances",
                   "Rebalances per interval and the group generation (or KIP-848 epoch). "
                   "Counted exactly from __consumer_offsets, or as a lower bound from describe "
                   "polls (see the lagwatch dashboard, Rebalance count source). Frequent "
                   "rebalances: check max.poll.interval.ms, session.timeout.ms and consumer "
                   "restarts.",
                   "short",
                   [target("sum(increase(lagwatch_group_rebalances_total{%s}"
                           "[$__rate_interval]))" % GROUP, "rebalances"),
                    target("max(lagwatch_group_generation{%s})" % GROUP, "generation")],
                   width=8),
        table("Member clients",
              "Each active member with its member id, client id (client.id) and host: the "
              "consumer instance to look at when the group lags or rebalances. Needs "
              "[clusters.series] member_info = true (off by default: a series per member).",
              "short",
              # Folds lagwatch replicas: each reports the same members.
              [target("max by (member_id, client_id, host) (lagwatch_group_member_info{%s})"
                      % GROUP, instant=True)],
              hidden=("Value",), width=24),
    )
    layout.row("Health and data loss")
    layout.add(
        state_timeline("Partition health",
                       "Health code per partition over time: 0 OK, 1 WARN, 2 STALL (offset "
                       "does not move), 3 STOP (no progress for long), 4 REWIND (offset went "
                       "back), 5 ERR (offsets not readable). 2 and above are bad. Find the "
                       "consumer instance that owns the partition. The group row (its worst "
                       "partition) is always there; the per-partition rows need "
                       "[clusters.series] partition_details = true.",
                       [target("max(lagwatch_group_health{%s})" % GROUP, "group"),
                        target("lagwatch_group_partition_health{%s}" % PARTS,
                               "{{topic}}/{{partition}}")],
                       HEALTH_MAPPINGS, width=12),
        timeseries("Data loss per partition",
                   "Messages deleted by retention before the group read them, per partition. "
                   "Above 0: those messages are gone for this group; raise retention.ms or "
                   "speed up the consumer. The group total is always there; the per-partition "
                   "lines need [clusters.series] partition_details = true.",
                   "short",
                   [target("max(lagwatch_group_data_loss_messages{%s})" % GROUP, "group"),
                    target("lagwatch_group_partition_data_loss_messages{%s}" % PARTS,
                           "{{topic}}/{{partition}}")], width=12),
    )
    variables = [
        query_variable("kafka_cluster", "Cluster", "label_values(lagwatch_up, kafka_cluster)",
                       multi=False, include_all=False),
        query_variable("group", "Group",
                       'label_values(lagwatch_group_members{kafka_cluster="$kafka_cluster"}, '
                       "group)", multi=False, include_all=False),
        query_variable("topic", "Topic",
                       'label_values(lagwatch_group_topic_lag{kafka_cluster="$kafka_cluster", '
                       'group="$group"}, topic)'),
    ]
    return dashboard("lagwatch-group", "lagwatch / Consumer group",
                     "One consumer group: lag per topic and partition, consumption against "
                     "production, commits, members, state, rebalances, health and data loss.",
                     layout, variables,
                     annotations=[rebalance_annotation(GROUP)])
