"""Evaluates every dashboard query and waits for the expected alerts on a running Prometheus.

The situation under test (real lagwatch + Kafka, or the synthetic exporter) is set up by the
caller; this module only substitutes the template variables as Grafana would, asks Prometheus,
and reports. A query may come back empty only when the caller lists it in `not_created`
(keyed by `query_key()`) with the reason its condition does not exist in that situation; it is
then reported as NOT-CREATED with that reason. Every other empty query fails.
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
    status: str  # OK, NOT-CREATED, FAIL
    detail: str = ""


@dataclasses.dataclass
class ExpectedAlert:
    name: str
    labels: dict  # must be a subset of the alert's labels

    def matches(self, alert):
        labels = alert.get("labels", {})
        return labels.get("alertname") == self.name and all(
            labels.get(k) == v for k, v in self.labels.items())


def contexts(dashboard_name, cluster_all, cluster, groups, time_range="5m", instance=".*",
             rate_interval=RATE_INTERVAL):
    """Variable values to evaluate a dashboard with, Grafana style: multi-value variables with
    All selected become their allValue (.*); the group dashboard is single-select, so it is
    evaluated once per group given."""
    common = dict(rate_interval=rate_interval, interval="1s", time_range=time_range,
                  instance=instance)
    if dashboard_name == "group.json":
        return [model.grafana_values(cluster=cluster, group=g, **common) for g in groups]
    return [model.grafana_values(cluster=cluster_all, **common)]


def query_key(dashboard_name, panel_title, ref_id):
    """How a panel query is named in reports and in `not_created`."""
    return "%s / %s [%s]" % (dashboard_name, panel_title, ref_id)


def unknown_not_created(dashboards, not_created):
    """FAIL outcomes for `not_created` entries that name no query, so the list cannot rot."""
    known = {query_key(name, title, ref) for name, dashboard in dashboards.items()
             for title, ref, _expr in model.queries(dashboard)}
    return [Outcome(key, "", "FAIL", "listed as not created, but no such panel query")
            for key in sorted(set(not_created) - known)]


def _evaluate_once(prometheus, dashboards, contexts_of, not_created):
    outcomes = []
    for name, dashboard in dashboards.items():
        for title, ref, expr in model.queries(dashboard):
            where = query_key(name, title, ref)
            reason = not_created.get(where)
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
                detail = ("has data although listed as not created (%s)" % reason) if reason \
                    else ""
                outcomes.append(Outcome(where, expr, "OK", detail))
            elif reason:
                outcomes.append(Outcome(where, expr, "NOT-CREATED", "no data: " + reason))
            else:
                outcomes.append(Outcome(where, expr, "FAIL", "no data"))
    return outcomes


def evaluate_panels(prometheus, dashboards, contexts_of, not_created, timeout):
    """Re-evaluates until no query fails or `timeout` seconds pass; returns the last outcomes.

    Rates need two scrapes and lagwatch needs a poll after the workload, hence the retries.
    `not_created` maps query_key() to why that query's condition is absent."""
    deadline = time.monotonic() + timeout
    while True:
        outcomes = _evaluate_once(prometheus, dashboards, contexts_of, not_created)
        if not any(o.status == "FAIL" for o in outcomes) or time.monotonic() >= deadline:
            return outcomes
        time.sleep(POLL_INTERVAL_S)


def evaluate_for_contexts(prometheus, dashboards, wanted, timeout):
    """Queries that must return data in specific contexts, not just in any: `wanted` maps
    query_key() to {context name: variable values}. Re-evaluates until all have data or
    `timeout` seconds pass; returns one outcome per (query, context)."""
    exprs = {query_key(name, title, ref): expr for name, dashboard in dashboards.items()
             for title, ref, expr in model.queries(dashboard)}
    deadline = time.monotonic() + timeout
    while True:
        outcomes = []
        for key, contexts_by_name in wanted.items():
            for context_name, values in contexts_by_name.items():
                where = "%s for %s" % (key, context_name)
                if key not in exprs:
                    outcomes.append(Outcome(where, "", "FAIL", "no such panel query"))
                    continue
                status, result, error = prometheus.query(model.substitute(exprs[key], values))
                if status != "success":
                    outcomes.append(Outcome(where, exprs[key], "FAIL", "query error: " + error))
                elif result:
                    outcomes.append(Outcome(where, exprs[key], "OK"))
                else:
                    outcomes.append(Outcome(where, exprs[key], "FAIL",
                                            "no data although %s creates the condition"
                                            % context_name))
        if all(o.status == "OK" for o in outcomes) or time.monotonic() >= deadline:
            return outcomes
        time.sleep(POLL_INTERVAL_S)


def evaluate_annotations(prometheus, dashboards, contexts_of, timeout, seconds=300):
    """Every annotation query must return points over the last `seconds` (a range query, as
    Grafana runs it) in some context; re-evaluated until then or `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        outcomes = []
        for name, dashboard in dashboards.items():
            for title, ref, expr in model.annotation_queries(dashboard):
                where = query_key(name, title, ref)
                errors, has_data = [], False
                for values in contexts_of(name):
                    status, result, error = prometheus.query_range(
                        model.substitute(expr, values), seconds)
                    if status != "success":
                        errors.append(error)
                    has_data = has_data or bool(result)
                if errors:
                    outcomes.append(Outcome(where, expr, "FAIL", "query error: " + errors[0]))
                else:
                    outcomes.append(Outcome(where, expr, "OK" if has_data else "FAIL",
                                            "" if has_data else "no annotation in range"))
        if all(o.status == "OK" for o in outcomes) or time.monotonic() >= deadline:
            return outcomes
        time.sleep(POLL_INTERVAL_S)


# More than this many times the largest single replica's value is a doubled panel.
DOUBLING_RATIO = 1.5
# Labels Prometheus gives the targets, which tell the replicas apart.
REPLICA_LABELS = {"instance", "job", "pod"}


def _series_key(series):
    return tuple(sorted(series.get("metric", {}).items()))


def _values(result):
    return {_series_key(s): float(s["value"][1]) for s in result}


def check_no_doubling(prometheus, dashboards, contexts_of, instances, skip_dashboards=()):
    """With several lagwatch replicas scraping the same cluster, every query over all instances
    must look like the query over one of them: no two series that differ only in the labels
    telling replicas apart (REPLICA_LABELS), only label sets some replica gives (two replicas
    may briefly disagree, e.g. on a group's state), and no value above DOUBLING_RATIO times the
    largest replica's value for that series. All queries of one (dashboard, context) are evaluated at one instant.
    `contexts_of(name, instance)` gives the variable values with $instance set."""
    outcomes = []
    for name, dashboard in dashboards.items():
        if name in skip_dashboards:
            continue
        for context_index, values_all in enumerate(contexts_of(name, ".*")):
            now = time.time()
            single = [contexts_of(name, instance)[context_index] for instance in instances]
            for title, ref, expr in model.queries(dashboard):
                where = query_key(name, title, ref) + " with %d replicas" % len(instances)
                status, result, error = prometheus.query_at(model.substitute(expr, values_all),
                                                            now)
                per_replica = []
                for values in single:
                    replica_status, replica, replica_error = prometheus.query_at(
                        model.substitute(expr, values), now)
                    status = status if replica_status == "success" else replica_status
                    error = error or replica_error
                    per_replica.append(_values(replica))
                if status != "success":
                    outcomes.append(Outcome(where, expr, "FAIL", "query error: " + error))
                    continue
                problems = []
                both = _values(result)
                folded = {tuple((k, v) for k, v in key if k not in REPLICA_LABELS)
                          for key in both}
                if len(folded) < len(both):
                    problems.append("%d series but only %d once instance/job/pod are ignored: "
                                    "the replicas' copies are shown side by side"
                                    % (len(both), len(folded)))
                for key, value in both.items():
                    seen = [r[key] for r in per_replica if key in r]
                    if not seen:
                        problems.append("series %s comes from no single replica" % dict(key))
                    elif abs(value) > DOUBLING_RATIO * max(abs(v) for v in seen) + 1e-9:
                        problems.append("%s = %g, single replicas %s" % (dict(key), value, seen))
                outcomes.append(Outcome(where, expr, "FAIL" if problems else "OK",
                                        "; ".join(problems[:3])))
    return outcomes


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
                outcomes.append(Outcome(where, "", "OK"))
            else:
                outcomes.append(Outcome(where, "", "FAIL", "not firing (states %s)" % states))
        if all(o.status == "OK" for o in outcomes) or time.monotonic() >= deadline:
            return outcomes
        time.sleep(POLL_INTERVAL_S)


def rule_errors(prometheus):
    return [Outcome("rule %s" % name, "", "FAIL", "evaluation error: %s" % error)
            for name, error in prometheus.rules_health().items()]


def report(outcomes, out=print):
    """Prints one line per outcome and a summary; returns the number of failures."""
    for outcome in outcomes:
        line = "%-11s %s" % (outcome.status, outcome.where)
        if outcome.detail:
            line += " -- " + outcome.detail
        if outcome.status == "FAIL" and outcome.expr:
            line += "\n        " + outcome.expr
        out(line)
    counts = {s: sum(1 for o in outcomes if o.status == s) for s in ("OK", "NOT-CREATED", "FAIL")}
    out("%d ok, %d not created (listed with their reason), %d failed"
        % (counts["OK"], counts["NOT-CREATED"], counts["FAIL"]))
    return counts["FAIL"]

