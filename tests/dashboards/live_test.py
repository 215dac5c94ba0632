#!/usr/bin/env python3
"""Live test of the dashboards and alert rules against a real Prometheus.

A real Prometheus (own temp dir, loopback port, scrape and evaluation interval 1s) loads a test
copy of dashboards/alerts/lagwatch-rules.yaml (every `for:` shortened, thresholds scaled down as
listed in TEST_THRESHOLDS) and scrapes a lagwatch endpoint plus a dead loopback port in the same
job. Then every panel query of every dashboard is evaluated through /api/v1/query with the
template variables substituted like Grafana does, and each must parse and return data; and every
alert for a condition that was created must reach `firing` in /api/v1/alerts. A second Prometheus
that scrapes only the dead port checks LagwatchAbsent.

Two ways to run it:
  live_test.py --synthetic      against synthetic_exporter.py (no Kafka, no lagwatch needed), a
                                quick extra check. Every query must return data here.
  pytest tests/dashboards/test_live_dashboards.py
                                the real check: the real lagwatch and a real Kafka broker from
                                the integration harness (tests/integration/conftest.py), with a
                                workload that creates each condition; see that file. Queries
                                whose condition that workload does not create are listed in
                                its NOT_CREATED with the reason.
Both are run by tests/dashboards/run.sh.

Exit status of the CLI: 0 when nothing failed.
"""

import argparse
import sys
import tempfile

import dashboard_model as model
import live_checks
import synthetic_exporter
from prometheus_server import PrometheusServer, free_port, render_test_rules

# Thresholds of the test copy of the rules: (literal in the alert's expr, replacement). The
# documented defaults (minutes of lag, 5 rebalances) cannot be reached in a test of a minute.
# The lag thresholds stay a few poll intervals above what a consumer that keeps up shows, so the
# healthy group never alerts.
TEST_THRESHOLDS = {
    "LagwatchConsumerLagHigh": ("> 300", "> 5"),
    "LagwatchConsumerLagCritical": ("> 1800", "> 8"),
    "LagwatchRebalanceStorm": ("> 5", "> 1"),
    "LagwatchDataStale": ("> 300", "> 3"),
}

PANEL_TIMEOUT_S = 60.0
# Dashboards about the lagwatch processes themselves: one series per instance by design, so
# two replicas show two series there (told apart by the instance in the legend).
PER_INSTANCE_DASHBOARDS = ("lagwatch.json",)
ALERT_TIMEOUT_S = 60.0


def test_rules_text():
    return render_test_rules(model.RULES_FILE.read_text(), TEST_THRESHOLDS)


def expected(name, **labels):
    return live_checks.ExpectedAlert(name, labels)


def check_absent(workdir, dead_target, rules_text):
    """LagwatchAbsent and LagwatchTargetDown on a Prometheus that only sees a dead target."""
    with PrometheusServer(workdir, [dead_target], rules_text) as blind:
        return live_checks.wait_for_alerts(
            blind, [expected("LagwatchAbsent"),
                    expected("LagwatchTargetDown", instance=dead_target)],
            ALERT_TIMEOUT_S)


def run_synthetic(out=print):
    rules_text = test_rules_text()
    dashboards = model.load_dashboards()
    dead_target = "127.0.0.1:%d" % free_port()
    cluster = synthetic_exporter.CLUSTER
    # Two replicas of the exporter, as two lagwatch pods watching the same cluster would be.
    with tempfile.TemporaryDirectory(prefix="lagwatch-live-") as tmp, \
            synthetic_exporter.SyntheticExporter() as exporter, \
            synthetic_exporter.SyntheticExporter() as replica, \
            PrometheusServer(tmp + "/main", [exporter.target, replica.target, dead_target],
                             rules_text) as prom:
        outcomes = live_checks.evaluate_panels(
            prom, dashboards,
            lambda name: live_checks.contexts(name, ".*", cluster, synthetic_exporter.GROUPS),
            {}, PANEL_TIMEOUT_S)
        outcomes += live_checks.evaluate_annotations(
            prom, dashboards,
            lambda name: live_checks.contexts(name, ".*", cluster, synthetic_exporter.GROUPS),
            PANEL_TIMEOUT_S)
        outcomes += live_checks.check_no_doubling(
            prom, dashboards,
            lambda name, instance: live_checks.contexts(name, ".*", cluster,
                                                        synthetic_exporter.GROUPS,
                                                        instance=instance),
            [exporter.target, replica.target], skip_dashboards=PER_INSTANCE_DASHBOARDS)
        alerts = [
            expected("LagwatchConsumerLagHigh", group="g-stopped"),
            expected("LagwatchConsumerLagCritical", group="g-stopped"),
            expected("LagwatchConsumerGroupUnhealthy", group="g-stopped"),
            expected("LagwatchConsumerGroupUnhealthy", group="g-lossy"),
            expected("LagwatchConsumerDataLoss", group="g-lossy"),
            expected("LagwatchRebalanceStorm", group="g-churn"),
            expected("LagwatchGroupWithoutMembers", group="g-stopped"),
            expected("LagwatchTargetDown", instance=dead_target),
            expected("LagwatchClusterPollFailing",
                     kafka_cluster=synthetic_exporter.BROKEN_CLUSTER),
            expected("LagwatchDataStale", kafka_cluster=synthetic_exporter.BROKEN_CLUSTER),
        ]
        outcomes += live_checks.wait_for_alerts(prom, alerts, ALERT_TIMEOUT_S)
        outcomes += _no_false_alarms(prom)
        outcomes += live_checks.rule_errors(prom)
        outcomes += check_absent(tmp + "/blind", dead_target, rules_text)
    return live_checks.report(outcomes, out)


def _no_false_alarms(prometheus):
    """The healthy synthetic group must not alert at all."""
    noisy = sorted({a["labels"]["alertname"] for a in prometheus.alerts()
                    if a["labels"].get("group") == "g-active"})
    if noisy:
        return [live_checks.Outcome("alerts of g-active", "", "FAIL",
                                    "healthy group alerts: %s" % ", ".join(noisy))]
    return [live_checks.Outcome("alerts of g-active", "", "OK")]


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--synthetic", action="store_true",
                        help="run against the synthetic exporter (no Kafka, no lagwatch)")
    args = parser.parse_args(argv)
    if not args.synthetic:
        parser.error("the real run is the pytest file test_live_dashboards.py; "
                     "use --synthetic for the self-contained run")
    return 1 if run_synthetic() else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
