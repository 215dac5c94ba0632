"""Evaluates every dashboard query and waits for the expected alerts on a running Prometheus.

The situation under test (real lagwatch + Kafka, or the synthetic exporter) is set up by the
caller; this module only substitutes the template variables as Grafana would, asks Prometheus,
and reports. Queries and alerts that depend on a metric in `pending_metrics` are reported as
PENDING instead of failing when they return nothing.
"""

import dataclasses
import time

import dashboard_model as model
from prometheus_server import RATE_INTERVAL

POLL_INTERVAL_S = 1.0


@dataclasses.dataclass
class Outcome:
    where: str
    expr: str
    status: str  # OK, PENDING, FAIL
    detail: str = ""


@dataclasses.dataclass
class ExpectedAlert:
    name: str
    labels: dict  # must be a subset of the alert's labels
    pending_metrics_used: set = dataclasses.field(default_factory=set)

    def matches(self, alert):
        labels = alert.get("labels", {})
        return labels.get("alertname") == self.name and all(
            labels.get(k) == v for k, v in self.labels.items())


def contexts(dashboard_name, cluster_all, cluster, groups, time_range="5m"):
    """Variable values to evaluate a dashboard with, Grafana style: multi-value variables with
    All selected become their allValue (.*); the group dashboard is single-select, so it is
    evaluated once per group given."""
    common = dict(rate_interval=RATE_INTERVAL, interval="1s", time_range=time_range)
    if dashboard_name == "group.json":
        return [model.grafana_values(cluster=cluster, group=g, **common) for g in groups]
    return [model.grafana_values(cluster=cluster_all, **common)]


def _evaluate_once(prometheus, dashboards, contexts_of, pending_metrics):
    outcomes = []
    for name, dashboard in dashboards.items():
        for title, ref, expr in model.queries(dashboard):
            where = "%s / %s [%s]" % (name, title, ref)
            pending = model.metric_names(expr) & pending_metrics
            errors, has_data = [], False
            for values in contexts_of(name):
                status, result, error = prometheus.query(model.substitute(expr, values))
                if status != "success":
                    errors.append(error)
                elif result:
                    has_data = True
            if errors:
                outcomes.append(Outcome(where, expr, "FAIL", "query error: " + errors[0]))
            elif has_data:
                detail = ("pending metrics %s now have data: remove them from the pending list"
                          % sorted(pending)) if pending else ""
                outcomes.append(Outcome(where, expr, "OK", detail))
            elif pending:
                outcomes.append(Outcome(where, expr, "PENDING",
                                        "no data; waits for %s" % ", ".join(sorted(pending))))
            else:
                outcomes.append(Outcome(where, expr, "FAIL", "no data"))
    return outcomes


def evaluate_panels(prometheus, dashboards, contexts_of, pending_metrics, timeout):
    """Re-evaluates until no query fails or `timeout` seconds pass; returns the last outcomes.

    Rates need two scrapes and lagwatch needs a poll after the workload, hence the retries."""
    deadline = time.monotonic() + timeout
    while True:
        outcomes = _evaluate_once(prometheus, dashboards, contexts_of, pending_metrics)
        if not any(o.status == "FAIL" for o in outcomes) or time.monotonic() >= deadline:
            return outcomes
        time.sleep(POLL_INTERVAL_S)


def wait_for_alerts(prometheus, expected, timeout):
    """Waits until every expected alert is firing or `timeout` passes; returns outcomes."""
    deadline = time.monotonic() + timeout
    while True:
        active = prometheus.alerts()
        outcomes = []
        for alert in expected:
            states = sorted({a["state"] for a in active if alert.matches(a)})
            where = "alert %s %s" % (alert.name, alert.labels)
            if "firing" in states:
                detail = ("pending metrics %s now have data: remove them from the pending list"
                          % sorted(alert.pending_metrics_used)) if alert.pending_metrics_used \
                    else ""
                outcomes.append(Outcome(where, "", "OK", detail))
            elif alert.pending_metrics_used:
                outcomes.append(Outcome(where, "", "PENDING", "not firing (states %s); waits for %s"
                                        % (states, ", ".join(sorted(alert.pending_metrics_used)))))
            else:
                outcomes.append(Outcome(where, "", "FAIL", "not firing (states %s)" % states))
        done = all(o.status != "FAIL" for o in outcomes) and not any(
            o.status == "PENDING" for o in outcomes)
        if done or time.monotonic() >= deadline:
            return outcomes
        time.sleep(POLL_INTERVAL_S)


def rule_errors(prometheus):
    return [Outcome("rule %s" % name, "", "FAIL", "evaluation error: %s" % error)
            for name, error in prometheus.rules_health().items()]


def report(outcomes, out=print):
    """Prints one line per outcome and a summary; returns the number of failures."""
    for outcome in outcomes:
        line = "%-7s %s" % (outcome.status, outcome.where)
        if outcome.detail:
            line += " -- " + outcome.detail
        if outcome.status == "FAIL" and outcome.expr:
            line += "\n        " + outcome.expr
        out(line)
    counts = {s: sum(1 for o in outcomes if o.status == s) for s in ("OK", "PENDING", "FAIL")}
    out("%d ok, %d pending, %d failed" % (counts["OK"], counts["PENDING"], counts["FAIL"]))
    return counts["FAIL"]


def alert_pending_metrics(alert_name, pending_metrics):
    """Pending metrics an alert's expression uses."""
    for name, expr in model.rule_expressions(model.RULES_FILE.read_text()):
        if name == alert_name:
            return model.metric_names(expr) & pending_metrics
    raise KeyError("no alert %s in %s" % (alert_name, model.RULES_FILE))
