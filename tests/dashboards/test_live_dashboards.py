"""Live test of every dashboard query and every alert against the real lagwatch and a real Kafka
broker (the `kafka` fixture of tests/integration/conftest.py), scraped by a real Prometheus.

Run (needs scripts/install-deps.sh and a built lagwatch, LAGWATCH_BIN or build/exporter/lagwatch);
tests/dashboards/run.sh does this with a bound on the time:
  cd tests/dashboards && ../.venv/bin/python -m pytest test_live_dashboards.py

lagwatch polls every second with exact lag seconds for every group but PREFIX-churn and fast
health settings (dashboard_workload.write_config). The workload creates one group per condition,
all under a unique prefix that lagwatch is restricted to:
  PREFIX-active   classic group consuming the orders topic while it is written: rates, members,
                  stable, exact lag seconds from record timestamps; must not alert
  PREFIX-k848     the same with the KIP-848 consumer protocol (Kafka 4 only): members and epoch
                  from __consumer_offsets; must not alert
  PREFIX-stopped  consumed and committed for a few seconds, then left: lag and lag seconds grow,
                  no members, health STALL then STOP
  PREFIX-lossy    committed offset 10 on the audit topic, then records before 60 are deleted:
                  data loss; its record is gone, so exact mode falls back to the estimate
                  (`_exact` 0), and offset 10 is older than the watermark history (`_lower_bound`)
  PREFIX-churn    joins and leaves repeatedly: rebalances; estimate mode, committed far behind
                  the history: `_lower_bound`
Two lagwatch replicas watch the cluster with the same config and are scraped in the same job,
as two pods of the chart's Deployment would be: every panel must show the same as for one of
them (live_checks.check_no_doubling), apart from the per-instance lagwatch.json.
plus a dead loopback target in the lagwatch scrape job (target down), a Prometheus that sees
only that dead target (lagwatch absent), and finally the broker stopped for a while (cluster
poll failing, data stale) and restarted.

Every panel query must return data; the ones whose condition this workload does not create are
listed in NOT_CREATED with the reason. Queries whose series exist only under a condition
(CONDITIONAL) must return data for each group that creates it. Every alert must fire.
"""

import contextlib
import os
import time
import uuid

import pytest

import dashboard_model as model
import dashboard_workload
import live_checks
import live_test
import workload
from processes import CLUSTER_NAME, Lagwatch, free_port, lagwatch_binary
from prometheus_server import RATE_INTERVAL, PrometheusServer

ORDERS_PARTITIONS = 3
STOPPED_GROUP_ACTIVE_S = 4.0
CHURN_CYCLES = 5
LOSSY_COMMITTED = 10
LOSSY_DELETED_BEFORE = 60
GROUP_NAMES = ("active", "k848", "stopped", "lossy", "churn")
# Groups that consume normally and must raise no alert.
HEALTHY = ("active", "k848")
# PREFIX-churn stays on the estimate so that both lag-seconds sources are exercised.
EXACT_GROUPS = ("active", "k848", "stopped", "lossy")

# query_key -> why this workload does not create the query's condition. Empty: the workload
# creates every condition a panel shows. An entry that names no panel query fails the test.
NOT_CREATED = {
    "group.json / Topics hidden by ACLs [A]":
        "the plain broker has no ACLs; test_security.py checks the series on the secured broker",
    "group.json / Assigned partitions without a commit [B]":
        "every member group of the workload commits each partition it is assigned",
}

# query_key -> the workload groups that create the condition under which its series exist
# (docs/metrics.md); each of those groups must get data from the query on the group dashboard.
CONDITIONAL = {
    # `_lower_bound` exists only while the value is a lower bound: estimate mode with the
    # committed offset older than the history (churn), and the exact-mode fallback for a
    # deleted record (lossy).
    "group.json / Partitions [E]": ("churn", "lossy"),
    # `_exact` exists only in exact mode: 1 from the record (active, stopped), 0 where the record
    # was deleted (lossy).
    "group.json / Partitions [F]": ("active", "stopped", "lossy"),
    # Data loss exists as a series for every partition but shows only where it is above 0.
    "overview.json / Data loss [A]": ("lossy",),
    # Generation and group epoch come from __consumer_offsets, for classic and KIP-848 groups.
    "group.json / Generation [A]": ("active", "k848"),
    # Members with [clusters.series] member_info: from DescribeGroups for the classic group, from
    # __consumer_offsets for the KIP-848 one.
    "group.json / Member clients [A]": ("active", "k848"),
    # The count exists where the assignment is known: classic groups with members.
    "group.json / Assigned partitions without a commit [A]": ("active",),
}


@pytest.fixture
def dashboard_lagwatch(kafka, request, tmp_path):
    """Factory: starts lagwatch with dashboard_workload.write_config, ready (its
    __consumer_offsets replay done); stopped at teardown, its output attached to a failure."""
    binary = lagwatch_binary()
    if not os.access(binary, os.X_OK):
        pytest.fail(f"lagwatch binary {binary} not found: build it or set LAGWATCH_BIN")
    instances = []
    # Read by the integration conftest's report hook.
    request.node._lagwatch_instances = instances

    def start(prefix, exact_groups):
        port = free_port()
        name = "lagwatch-%d" % len(instances)
        config = tmp_path / (name + ".toml")
        dashboard_workload.write_config(config, port, kafka.bootstrap, prefix, exact_groups)
        instance = Lagwatch(binary, config, tmp_path / (name + ".log"), port)
        instances.append(instance)
        instance.start()
        return instance

    yield start
    for instance in instances:
        instance.stop()


def group_values(group):
    return model.grafana_values(cluster=CLUSTER_NAME, group=group, rate_interval=RATE_INTERVAL,
                                interval="1s", time_range="5m")


def create_conditions(kafka, groups, orders, audit, stack):
    """Runs the workload; consumers that must stay are entered into `stack`."""
    bootstrap = kafka.bootstrap
    stack.enter_context(dashboard_workload.BackgroundProducer(bootstrap, orders,
                                                              ORDERS_PARTITIONS))
    active = stack.enter_context(workload.ActiveConsumer(bootstrap, groups["active"], [orders],
                                                         max_records_per_second=50))
    k848 = stack.enter_context(workload.ActiveConsumer(bootstrap, groups["k848"], [orders],
                                                       protocol="consumer"))
    active.wait_assigned()
    k848.wait_assigned()
    with workload.ActiveConsumer(bootstrap, groups["stopped"], [orders]) as stopped:
        stopped.wait_assigned()
        time.sleep(STOPPED_GROUP_ACTIVE_S)
    workload.commit_offsets(bootstrap, groups["lossy"], [(audit, 0, LOSSY_COMMITTED)])
    dashboard_workload.delete_records_before(bootstrap, audit, 0, LOSSY_DELETED_BEFORE)
    for _ in range(CHURN_CYCLES):
        workload.commit_as_member(bootstrap, groups["churn"], [orders], [(orders, 0, 1)])
        # Lets lagwatch (1 s polls) observe every generation.
        time.sleep(1.5)


def no_alerts_for(prometheus, groups):
    outcomes = []
    for group in groups:
        noisy = sorted({a["labels"]["alertname"] for a in prometheus.alerts()
                        if a["labels"].get("group") == group})
        outcomes.append(live_checks.Outcome(
            "alerts of healthy group %s" % group, "", "FAIL" if noisy else "OK",
            "healthy group alerts: %s" % noisy if noisy else ""))
    return outcomes


def test_every_panel_returns_data_and_every_alert_fires(kafka, dashboard_lagwatch, tmp_path):
    if not kafka.supports_kip848:
        pytest.skip(f"the workload has a KIP-848 group, which needs Kafka 4 (broker is "
                    f"{kafka.version}); run with Kafka 4.3.1")
    started = time.monotonic()
    prefix = "dash-%s" % uuid.uuid4().hex[:8]
    orders, audit = prefix + "-orders", prefix + "-audit"
    groups = {name: "%s-%s" % (prefix, name) for name in GROUP_NAMES}
    bootstrap = kafka.bootstrap
    dashboards = model.load_dashboards()

    workload.create_topic(bootstrap, orders, ORDERS_PARTITIONS)
    workload.create_topic(bootstrap, audit, 1)
    workload.produce_per_partition(bootstrap, orders, 30, ORDERS_PARTITIONS)
    workload.produce(bootstrap, audit, {0: 100})
    # A fresh broker has no __consumer_offsets until the first commit, and lagwatch's reader
    # only notices the topic appearing after a metadata refresh (about a minute), missing the
    # rebalances before. Real clusters always have the topic, so it is created first, by a
    # group outside the watched prefix.
    workload.commit_offsets(bootstrap, "warmup-" + prefix, [(audit, 0, 0)])

    replicas = [dashboard_lagwatch(prefix, [groups[name] for name in EXACT_GROUPS])
                for _ in range(2)]
    replica_targets = ["127.0.0.1:%d" % replica.port for replica in replicas]
    dead_target = "127.0.0.1:%d" % free_port()
    rules_text = live_test.test_rules_text()
    outcomes = live_checks.unknown_not_created(dashboards, NOT_CREATED)
    timings = []
    # Prometheus starts before the workload so that counters (rebalances) are seen increasing.
    with PrometheusServer(tmp_path / "prometheus", replica_targets + [dead_target],
                          rules_text) as prom:
        with contextlib.ExitStack() as consumers:
            create_conditions(kafka, groups, orders, audit, consumers)
            timings.append(("workload", time.monotonic() - started))

            outcomes += live_checks.evaluate_panels(
                prom, dashboards,
                lambda name: live_checks.contexts(name, ".*", CLUSTER_NAME, groups.values()),
                NOT_CREATED, live_test.PANEL_TIMEOUT_S)
            outcomes += live_checks.evaluate_for_contexts(
                prom, dashboards,
                {key: {groups[g]: group_values(groups[g]) for g in names}
                 for key, names in CONDITIONAL.items()},
                live_test.PANEL_TIMEOUT_S)
            outcomes += live_checks.evaluate_annotations(
                prom, dashboards,
                lambda name: live_checks.contexts(name, ".*", CLUSTER_NAME, groups.values()),
                live_test.PANEL_TIMEOUT_S)
            # Rates over a longer window: the replicas poll at different moments, and a 4 s
            # window would compare a burst one of them saw with a quiet one of the other.
            outcomes += live_checks.check_no_doubling(
                prom, dashboards,
                lambda name, one: live_checks.contexts(name, ".*", CLUSTER_NAME, groups.values(),
                                                       instance=one, rate_interval="30s"),
                replica_targets, skip_dashboards=live_test.PER_INSTANCE_DASHBOARDS)
            timings.append(("panels", time.monotonic() - started))
            expected = [
                live_test.expected("LagwatchConsumerLagHigh", group=groups["stopped"]),
                live_test.expected("LagwatchConsumerLagCritical", group=groups["stopped"]),
                live_test.expected("LagwatchConsumerGroupUnhealthy", group=groups["stopped"]),
                live_test.expected("LagwatchConsumerDataLoss", group=groups["lossy"]),
                live_test.expected("LagwatchRebalanceStorm", group=groups["churn"]),
                live_test.expected("LagwatchGroupWithoutMembers", group=groups["stopped"]),
                live_test.expected("LagwatchTargetDown", instance=dead_target),
            ]
            outcomes += live_checks.wait_for_alerts(prom, expected, live_test.ALERT_TIMEOUT_S)
            timings.append(("group alerts", time.monotonic() - started))
            # Checked while the healthy groups still consume, after the others alerted.
            outcomes += no_alerts_for(prom, [groups[name] for name in HEALTHY])
            outcomes += live_checks.rule_errors(prom)

        outcomes += live_test.check_absent(tmp_path / "blind", dead_target, rules_text)
        timings.append(("absent", time.monotonic() - started))

        # Last, because it takes the shared broker away for a while.
        kafka.stop()
        try:
            outcomes += live_checks.wait_for_alerts(
                prom, [live_test.expected("LagwatchClusterPollFailing", kafka_cluster=CLUSTER_NAME),
                       live_test.expected("LagwatchDataStale", kafka_cluster=CLUSTER_NAME)],
                live_test.ALERT_TIMEOUT_S)
        finally:
            kafka.restart()
        timings.append(("broker outage alerts", time.monotonic() - started))

    lines = []
    failures = live_checks.report(outcomes, lines.append)
    lines.append("elapsed since start: " + ", ".join("%s %.0fs" % t for t in timings))
    print("\n".join(lines))
    assert failures == 0, "\n".join(lines)
