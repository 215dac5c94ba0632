"""lagwatch / Overview: every consumer group of the selected clusters, worst first."""

from grafana import (rebalance_annotation, HEALTH_MAPPINGS, Layout, dashboard, group_dashboard_link, query_variable,
                     stat, state_timeline, table, target, timeseries)

SEL = 'kafka_cluster=~"$kafka_cluster", group=~"$group"'


def build():
    layout = Layout()
    layout.row("At a glance")
    layout.add(
        stat("Groups watched",
             "Consumer groups exported in the last snapshot of each selected cluster. A sudden "
             "drop means groups were deleted or filtered out, or the poll failed: check the "
             "lagwatch dashboard.",
             "none", [target('sum(lagwatch_groups{kafka_cluster=~"$kafka_cluster"})')],
             thresholds=()),
        stat("Groups unhealthy",
             "Groups whose health code is 2 or more: STALL (2), STOP (3), REWIND (4) or ERR "
             "(5), the same condition as the LagwatchConsumerGroupUnhealthy alert. The codes "
             "are not a severity scale (WARN is 1, REWIND 4). Anything above 0: open the "
             "health panel below and the group's own dashboard.",
             "none", [target("count(lagwatch_group_health{%s} >= 2) or vector(0)" % SEL)],
             thresholds=((1, "red"),)),
        stat("Groups losing data",
             "Groups whose committed offset is below the log start: retention deleted messages "
             "they never read. Any value above 0 means lost data; see the data loss panel.",
             "none",
             [target("count(lagwatch_group_data_loss_messages{%s} > 0) or vector(0)" % SEL)],
             thresholds=((1, "red"),)),
        stat("Worst lag",
             "Largest consumer lag in seconds of any selected group: how old the oldest unread "
             "message is. Compare with the time the downstream system may lag behind.",
             "s", [target("max(lagwatch_group_max_lag_seconds{%s})" % SEL)],
             thresholds=((300, "orange"), (1800, "red"))),
        stat("Idle groups with lag",
             "Groups with no active member but unread messages: nobody will ever catch up "
             "unless a consumer is started (or the group deleted). See the table below.",
             "none",
             [target("count((max by (kafka_cluster, group) (lagwatch_group_lag{%s}) > 0) "
                     "and on (kafka_cluster, group) (lagwatch_group_members{%s} == 0)) "
                     "or vector(0)" % (SEL, SEL))],
             thresholds=((1, "orange"),)),
        stat("Rebalances (range)",
             "Rebalances of all selected groups over the dashboard's time range. Many "
             "rebalances mean consumers crash, time out or are redeployed in a loop.",
             "none",
             [target("sum(increase(lagwatch_group_rebalances_total{%s}[$__range]))" % SEL)],
             thresholds=((10, "orange"),)),
    )
    layout.row("Ranking")
    layout.add(
        table("Groups ranked by lag in seconds",
              "Age of the oldest unread message per group, worst first (top 20). Click a group "
              "to open its dashboard. Large values: check that the group has members and that "
              "its consumption rate keeps up with the production rate.",
              "s", [target("topk(20, max by (kafka_cluster, group) "
                           "(lagwatch_group_max_lag_seconds{%s}))" % SEL, instant=True)],
              links=group_dashboard_link(), sort_by="Value"),
        table("Groups ranked by lag in messages",
              "Unread messages per group over all its topics, worst first (top 20). Click a "
              "group to open its dashboard. Message lag is only comparable between groups of "
              "similar throughput; prefer the seconds ranking for alerting.",
              "short", [target("topk(20, max by (kafka_cluster, group) "
                               "(lagwatch_group_lag{%s}))" % SEL, instant=True)],
              links=group_dashboard_link(), sort_by="Value"),
        timeseries("Lag in seconds, worst 10 groups",
                   "Age of the oldest unread message of the 10 worst groups over time. A line "
                   "that grows with the clock means the group makes no progress at all.",
                   "s", [target("topk(10, max by (kafka_cluster, group) "
                                "(lagwatch_group_max_lag_seconds{%s}))" % SEL,
                                "{{kafka_cluster}} / {{group}}")],
                   links=group_dashboard_link()),
        timeseries("Lag in messages, worst 10 groups",
                   "Unread messages of the 10 worst groups over time. Growth means producers "
                   "outpace the consumers: scale consumers or look for a slow dependency.",
                   "short", [target("topk(10, max by (kafka_cluster, group) "
                                    "(lagwatch_group_lag{%s}))" % SEL,
                                    "{{kafka_cluster}} / {{group}}")],
                   links=group_dashboard_link()),
    )
    layout.row("Problems")
    layout.add(
        state_timeline("Group health",
                       "Health code per group over time (the worst partition): 0 OK, 1 WARN "
                       "(lag keeps growing), 2 STALL (offset does not move), 3 STOP (no "
                       "progress for long), 4 REWIND (offset went back), 5 ERR (offsets could "
                       "not be read). Codes are identifiers, not severities: 2 and above are "
                       "bad and alert. Open the group dashboard for the partitions behind a "
                       "bad code.",
                       [target("max by (kafka_cluster, group) (lagwatch_group_health{%s})" % SEL,
                               "{{kafka_cluster}} / {{group}}")],
                       HEALTH_MAPPINGS, links=group_dashboard_link()),
        timeseries("Rebalance rate",
                   "Rebalances per minute per group. A steady non-zero rate (a rebalance "
                   "storm) usually means consumers exceed max.poll.interval.ms, crash-loop, or "
                   "session timeouts are too short.",
                   "opm", [target("60 * sum by (kafka_cluster, group) "
                                  "(rate(lagwatch_group_rebalances_total{%s}[$__rate_interval]))"
                                  % SEL, "{{kafka_cluster}} / {{group}}")],
                   links=group_dashboard_link()),
        timeseries("Data loss",
                   "Messages deleted by retention before the group read them (committed offset "
                   "below the log start), for groups where it is above 0. Raise retention or "
                   "speed up the consumer; the lost messages must be recovered from elsewhere.",
                   "short", [target("max by (kafka_cluster, group) "
                                    "(lagwatch_group_data_loss_messages{%s}) > 0" % SEL,
                                    "{{kafka_cluster}} / {{group}}")],
                   links=group_dashboard_link()),
        table("Groups with lag but no members",
              "Groups that have no active member (members == 0) while messages are waiting "
              "(lag > 0). Either start the consumer again or delete the abandoned group so it "
              "stops being reported.",
              "short",
              [target("(max by (kafka_cluster, group) (lagwatch_group_lag{%s}) > 0) "
                      "and on (kafka_cluster, group) (lagwatch_group_members{%s} == 0)"
                      % (SEL, SEL), instant=True)],
              links=group_dashboard_link(), sort_by="Value"),
    )
    variables = [
        query_variable("kafka_cluster", "Cluster", "label_values(lagwatch_up, kafka_cluster)"),
        query_variable("group", "Group",
                       'label_values(lagwatch_group_members{kafka_cluster=~"$kafka_cluster"}, '
                       "group)"),
    ]
    return dashboard("lagwatch-overview", "lagwatch / Overview",
                     "All consumer groups watched by lagwatch, ranked by lag, with health, "
                     "rebalances, data loss and abandoned groups.", layout, variables,
                     annotations=[rebalance_annotation(SEL)])
