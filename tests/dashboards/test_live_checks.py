"""Unit tests of live_checks and the rule rendering, with a fake Prometheus: the live test must
fail on no data, on query errors and on alerts that do not fire."""

import unittest

import live_checks
from prometheus_server import TEST_FOR, render_test_rules


class FakePrometheus:
    def __init__(self, answers, alerts=()):
        self.answers = answers  # {substring of query: (status, result, error)}
        self._alerts = list(alerts)
        self.queries = []

    def query(self, expr):
        self.queries.append(expr)
        for key, answer in self.answers.items():
            if key in expr:
                return answer
        return "success", [], ""

    def alerts(self):
        return self._alerts


DASHBOARD = {"d.json": {"panels": [{"type": "stat", "title": "p", "targets": [
    {"refId": "A", "expr": 'sum(metric_a{c=~"$kafka_cluster"}[$__rate_interval])'},
    {"refId": "B", "expr": "metric_unmade"},
    {"refId": "C", "expr": "metric_broken"}]}]}}
NOT_CREATED = {"d.json / p [B]": "the workload has no such condition"}


def contexts_of(_name):
    return [{"kafka_cluster": ".*", "__rate_interval": "4s"}]


class EvaluatePanels(unittest.TestCase):
    def test_statuses(self):
        prom = FakePrometheus({"metric_a": ("success", [{"value": [0, "1"]}], ""),
                               "metric_broken": ("error", [], "bad_data: parse error")})
        outcomes = live_checks.evaluate_panels(prom, DASHBOARD, contexts_of, NOT_CREATED, 0)
        self.assertEqual([o.status for o in outcomes], ["OK", "NOT-CREATED", "FAIL"])
        self.assertIn("the workload has no such condition", outcomes[1].detail)
        self.assertIn('sum(metric_a{c=~".*"}[4s])', prom.queries)

    def test_no_data_fails_when_not_listed(self):
        outcomes = live_checks.evaluate_panels(FakePrometheus({}), DASHBOARD, contexts_of, {}, 0)
        self.assertEqual([o.status for o in outcomes], ["FAIL", "FAIL", "FAIL"])
        self.assertEqual(live_checks.report(outcomes, out=lambda _line: None), 3)

    def test_listed_query_with_data_is_ok_and_says_so(self):
        prom = FakePrometheus({"metric_": ("success", [{"value": [0, "1"]}], "")})
        outcomes = live_checks.evaluate_panels(prom, DASHBOARD, contexts_of, NOT_CREATED, 0)
        self.assertEqual([o.status for o in outcomes], ["OK", "OK", "OK"])
        self.assertIn("listed as not created", outcomes[1].detail)

    def test_not_created_entries_must_name_a_query(self):
        stale = dict(NOT_CREATED, **{"d.json / gone [A]": "renamed panel"})
        outcomes = live_checks.unknown_not_created(DASHBOARD, stale)
        self.assertEqual([(o.where, o.status) for o in outcomes], [("d.json / gone [A]", "FAIL")])
        self.assertEqual(live_checks.unknown_not_created(DASHBOARD, NOT_CREATED), [])


class EvaluateForContexts(unittest.TestCase):
    def test_each_context_must_have_data(self):
        prom = FakePrometheus({'c=~"yes"': ("success", [{"value": [0, "1"]}], "")})
        wanted = {"d.json / p [A]": {"g-yes": {"kafka_cluster": "yes", "__rate_interval": "4s"},
                                     "g-no": {"kafka_cluster": "no", "__rate_interval": "4s"}},
                  "d.json / gone [A]": {"g-yes": {}}}
        outcomes = live_checks.evaluate_for_contexts(prom, DASHBOARD, wanted, 0)
        self.assertEqual([(o.where, o.status) for o in outcomes],
                         [("d.json / p [A] for g-yes", "OK"), ("d.json / p [A] for g-no", "FAIL"),
                          ("d.json / gone [A] for g-yes", "FAIL")])


class WaitForAlerts(unittest.TestCase):
    def test_firing_pending_and_missing(self):
        prom = FakePrometheus({}, [
            {"labels": {"alertname": "A", "group": "g"}, "state": "firing"},
            {"labels": {"alertname": "B", "group": "g"}, "state": "pending"}])
        expected = [live_checks.ExpectedAlert("A", {"group": "g"}),
                    live_checks.ExpectedAlert("A", {"group": "other"}),
                    live_checks.ExpectedAlert("B", {"group": "g"})]
        outcomes = live_checks.wait_for_alerts(prom, expected, 0)
        self.assertEqual([o.status for o in outcomes], ["OK", "FAIL", "FAIL"])


class RenderTestRules(unittest.TestCase):
    RULES = ("groups:\n  - name: g\n    rules:\n      - alert: Lag\n        expr: x > 300\n"
             "        for: 10m\n      - alert: Other\n        expr: y > 300\n        for: 1h\n")

    def test_shortens_for_and_replaces_only_the_named_alert(self):
        text = render_test_rules(self.RULES, {"Lag": ("> 300", "> 1")})
        self.assertIn("expr: x > 1", text)
        self.assertIn("expr: y > 300", text)
        self.assertEqual(text.count("for: " + TEST_FOR), 2)

    def test_missing_literal_or_alert_is_an_error(self):
        with self.assertRaises(ValueError):
            render_test_rules(self.RULES, {"Lag": ("> 999", "> 1")})
        with self.assertRaises(ValueError):
            render_test_rules(self.RULES, {"Gone": ("> 300", "> 1")})


if __name__ == "__main__":
    unittest.main()
