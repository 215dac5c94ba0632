"""Live test of every dashboard query and every alert against the real lagwatch and a real Kafka
broker (fixtures from tests/integration/conftest.py), scraped by a real Prometheus.

Run (needs scripts/install-deps.sh and a built lagwatch, LAGWATCH_BIN or build/exporter/lagwatch):
  tests/.venv/bin/python -m pytest tests/dashboards/test_live_dashboards.py

The workload creates one group per condition, all under a unique prefix that lagwatch is
restricted to:
  PREFIX-active   consumes the orders topic while it is being written (rates, members, stable)
  PREFIX-stopped  consumed and committed for a few seconds, then left: lag and lag seconds
                  grow, no members, health should turn STOP
  PREFIX-lossy    committed offset 10 on the audit topic, then records before 60 are deleted:
                  data loss
  PREFIX-churn    joins and leaves repeatedly: rebalances
plus a dead loopback target in the lagwatch scrape job (target down), a Prometheus that sees
only that dead target (lagwatch absent), and finally the broker stopped for a while (cluster
poll failing, data stale) and restarted. Alerts and panels whose metrics are in
live_test.PENDING_METRICS are reported as PENDING rather than failing when empty.
"""

import threading
import time
import uuid

import pytest
from confluent_kafka import Producer, TopicPartition

import dashboard_model as model
import live_checks
import live_test
import workload
from processes import CLUSTER_NAME
from prometheus_server import PrometheusServer, free_port

ORDERS_PARTITIONS = 3
PRODUCE_EVERY_S = 0.2
STOPPED_GROUP_ACTIVE_S = 4.0
CHURN_CYCLES = 5
LOSSY_COMMITTED = 10
LOSSY_DELETED_BEFORE = 60


class BackgroundProducer:
    """Writes one record to every partition of `topic` every PRODUCE_EVERY_S until stopped, so
    high watermarks (production rate) keep moving and stopped groups keep falling behind."""

    def __init__(self, bootstrap, topic, partitions):
        self._producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 5})
        self._topic = topic
        self._partitions = partitions
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="dashboard-producer", daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *_exc):
        self.stop()

    def _run(self):
        while not self._stop.wait(PRODUCE_EVERY_S):
            for partition in range(self._partitions):
                self._producer.produce(self._topic, value=b"x", partition=partition)
            self._producer.poll(0)
        self._producer.flush(10)

    def stop(self):
        self._stop.set()
        self._thread.join(30)


def delete_records_before(bootstrap, topic, partition, offset, timeout=30.0):
    # The client must outlive the futures: a destroyed client never completes them.
    client = workload.admin(bootstrap)
    futures = client.delete_records([TopicPartition(topic, partition, offset)])
    for future in futures.values():
        future.result(timeout=timeout)


def test_every_panel_returns_data_and_every_alert_fires(kafka, lagwatch, tmp_path):
    prefix = "dash-%s" % uuid.uuid4().hex[:8]
    orders, audit = prefix + "-orders", prefix + "-audit"
    groups = {name: "%s-%s" % (prefix, name) for name in ("active", "stopped", "lossy", "churn")}
    bootstrap = kafka.bootstrap
    pending = live_test.PENDING_METRICS

    workload.create_topic(bootstrap, orders, ORDERS_PARTITIONS)
    workload.create_topic(bootstrap, audit, 1)
    workload.produce_per_partition(bootstrap, orders, 30, ORDERS_PARTITIONS)
    workload.produce(bootstrap, audit, {0: 100})

    instance = lagwatch(groups_allow=[prefix + "-.*"])
    dead_target = "127.0.0.1:%d" % free_port()
    rules_text = live_test.test_rules_text()
    outcomes = []
    # Prometheus starts before the workload so that counters (rebalances) are seen increasing.
    with PrometheusServer(tmp_path / "prometheus", ["127.0.0.1:%d" % instance.port, dead_target],
                          rules_text) as prom:
        with BackgroundProducer(bootstrap, orders, ORDERS_PARTITIONS), \
                workload.ActiveConsumer(bootstrap, groups["active"], [orders],
                                        max_records_per_second=50) as active:
            active.wait_assigned()
            with workload.ActiveConsumer(bootstrap, groups["stopped"], [orders]) as stopped:
                stopped.wait_assigned()
                time.sleep(STOPPED_GROUP_ACTIVE_S)
            workload.commit_offsets(bootstrap, groups["lossy"], [(audit, 0, LOSSY_COMMITTED)])
            delete_records_before(bootstrap, audit, 0, LOSSY_DELETED_BEFORE)
            for _ in range(CHURN_CYCLES):
                workload.commit_as_member(bootstrap, groups["churn"], [orders], [(orders, 0, 1)])
                # Lets lagwatch (1 s polls) observe every generation.
                time.sleep(1.5)

            outcomes += live_checks.evaluate_panels(
                prom, model.load_dashboards(),
                lambda name: live_checks.contexts(name, ".*", CLUSTER_NAME, groups.values()),
                pending, live_test.PANEL_TIMEOUT_S)
            expected = [
                live_test.expected("LagwatchConsumerLagHigh", pending, group=groups["stopped"]),
                live_test.expected("LagwatchConsumerLagCritical", pending,
                                   group=groups["stopped"]),
                live_test.expected("LagwatchConsumerGroupUnhealthy", pending,
                                   group=groups["stopped"]),
                live_test.expected("LagwatchConsumerDataLoss", pending, group=groups["lossy"]),
                live_test.expected("LagwatchRebalanceStorm", pending, group=groups["churn"]),
                live_test.expected("LagwatchGroupWithoutMembers", pending,
                                   group=groups["stopped"]),
                live_test.expected("LagwatchTargetDown", pending, instance=dead_target),
            ]
            outcomes += live_checks.wait_for_alerts(prom, expected, live_test.ALERT_TIMEOUT_S)
            healthy = sorted({a["labels"]["alertname"] for a in prom.alerts()
                              if a["labels"].get("group") == groups["active"]})
            outcomes.append(live_checks.Outcome(
                "alerts of the active group", "", "FAIL" if healthy else "OK",
                "healthy group alerts: %s" % healthy if healthy else ""))
            outcomes += live_checks.rule_errors(prom)

        outcomes += live_test.check_absent(tmp_path / "blind", dead_target, rules_text)

        # Last, because it takes the shared broker away for a while.
        kafka.stop()
        try:
            outcomes += live_checks.wait_for_alerts(
                prom, [live_test.expected("LagwatchClusterPollFailing", pending,
                                          kafka_cluster=CLUSTER_NAME),
                       live_test.expected("LagwatchDataStale", pending,
                                          kafka_cluster=CLUSTER_NAME)],
                live_test.ALERT_TIMEOUT_S)
        finally:
            kafka.restart()

    lines = []
    failures = live_checks.report(outcomes, lines.append)
    print("\n".join(lines))
    assert failures == 0, "\n".join(lines)
