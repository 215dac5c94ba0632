"""Unit tests of the structural checker: each check must catch the fault it exists for.

Standard library unittest: python3 -m unittest discover -s tests/dashboards -p 'test_check_*.py'
"""

import copy
import unittest

import check_dashboards as check
import dashboard_model as model


def problems_of(function, *args):
    problems = check.Problems()
    function(*args, problems)
    return problems.items


class MetricNames(unittest.TestCase):
    def test_ignores_functions_labels_keywords_and_ranges(self):
        expr = ('sum by (kafka_cluster, group) (rate(lagwatch_group_rebalances_total'
                '{group=~"a|b"}[$__rate_interval] offset 5m)) > 0 and on (group) '
                'lagwatch_group_members == 0 or vector(1e3)')
        self.assertEqual(model.metric_names(expr),
                         {"lagwatch_group_rebalances_total", "lagwatch_group_members"})

    def test_finds_metric_after_group_left(self):
        expr = "0 * a_metric{x=\"y\"} + on (t, p) group_left b_metric"
        self.assertEqual(model.metric_names(expr), {"a_metric", "b_metric"})

    def test_documented_metrics_are_read_from_the_doc(self):
        documented = model.documented_metrics()
        self.assertIn("lagwatch_group_partition_lag", documented)
        self.assertIn("lagwatch_build_info", documented)


class OptInMetrics(unittest.TestCase):
    def dashboard(self, description):
        return {"panels": [{"title": "p", "description": description,
                            "targets": [{"expr": "lagwatch_group_partition_health{a=\"b\"}"}]}]}

    def test_the_doc_lists_the_opt_in_families(self):
        self.assertIn("lagwatch_group_partition_health", model.opt_in_metrics())
        self.assertNotIn("lagwatch_group_partition_lag", model.opt_in_metrics())
        self.assertEqual(model.opt_in_switches()["lagwatch_group_partition_health"],
                         "partition_details")
        self.assertEqual(model.opt_in_switches()["lagwatch_group_member_info"], "member_info")
        self.assertNotIn("lagwatch_group_members", model.opt_in_metrics())

    def test_panel_must_name_the_switch_of_its_family(self):
        members = {"panels": [{"title": "m", "description": "Needs partition_details = true.",
                               "targets": [{"expr": "lagwatch_group_member_info{a=\"b\"}"}]}]}
        found = problems_of(check.check_opt_in_metrics, {"d": members}, "")
        self.assertEqual(len(found), 1)
        self.assertIn("needs member_info", found[0])
        members["panels"][0]["description"] = "Needs member_info = true."
        self.assertEqual(problems_of(check.check_opt_in_metrics, {"d": members}, ""), [])

    def test_panel_must_say_it_needs_the_opt_in(self):
        found = problems_of(check.check_opt_in_metrics, {"d": self.dashboard("Health.")}, "")
        self.assertEqual(len(found), 1)
        self.assertIn("partition_details", found[0])
        self.assertEqual(problems_of(check.check_opt_in_metrics,
                                     {"d": self.dashboard("Needs partition_details = true.")},
                                     ""), [])

    def test_rules_may_not_use_opt_in_families(self):
        rules = "    - alert: A\n      expr: lagwatch_group_partition_health > 1\n"
        found = problems_of(check.check_opt_in_metrics, {}, rules)
        self.assertEqual(len(found), 1)
        self.assertIn("off by default", found[0])


class Variables(unittest.TestCase):
    def test_finds_all_three_syntaxes(self):
        found = model.used_variables(["$a x", "${b:regex}", "[[c]]", "${__data.fields.g}"])
        self.assertEqual(found, {"a", "b", "c", "__data"})

    def test_substitute_replaces_and_rejects_unknown(self):
        self.assertEqual(model.substitute('x{g=~"$group"}[$__rate_interval]',
                                          {"group": ".*", "__rate_interval": "4s"}),
                         'x{g=~".*"}[4s]')
        with self.assertRaises(KeyError):
            model.substitute("$nope", {})


class RuleExpressions(unittest.TestCase):
    def test_single_line_and_block(self):
        text = ("groups:\n  - name: g\n    rules:\n      - alert: One\n        expr: a > 1\n"
                "        for: 1m\n      - record: two:sum\n        expr: |\n          sum(\n"
                "            b)\n        labels: {}\n")
        self.assertEqual(model.rule_expressions(text), [("One", "a > 1"), ("two:sum", "sum( b)")])

    def test_the_real_rules_file_has_every_alert(self):
        names = {name for name, _ in model.rule_expressions(model.RULES_FILE.read_text())}
        self.assertTrue({"LagwatchConsumerLagHigh", "LagwatchConsumerGroupUnhealthy",
                         "LagwatchConsumerDataLoss", "LagwatchRebalanceStorm",
                         "LagwatchGroupWithoutMembers", "LagwatchTargetDown", "LagwatchAbsent",
                         "LagwatchDataStale"} <= names)


class ChecksCatchFaults(unittest.TestCase):
    def setUp(self):
        self.dashboards = model.load_dashboards()
        self.overview = copy.deepcopy(self.dashboards["overview.json"])
        self.first = next(p for p in self.overview["panels"] if p["type"] != "row")

    def test_the_shipped_dashboards_pass(self):
        for name, dashboard in self.dashboards.items():
            self.assertEqual(problems_of(check.check_layout, name, dashboard), [])
            self.assertEqual(problems_of(check.check_panels, name, dashboard), [])
            self.assertEqual(problems_of(check.check_variables, name, dashboard), [])

    def test_duplicate_id_and_overlap(self):
        second = [p for p in self.overview["panels"] if p["type"] != "row"][1]
        second["id"] = self.first["id"]
        second["gridPos"] = dict(self.first["gridPos"], x=self.first["gridPos"]["x"] + 1)
        found = problems_of(check.check_layout, "o", self.overview)
        self.assertTrue(any("duplicate id" in p for p in found), found)
        self.assertTrue(any("overlaps" in p for p in found), found)

    def test_outside_grid(self):
        self.first["gridPos"]["x"] = 20
        self.first["gridPos"]["w"] = 8
        self.assertTrue(problems_of(check.check_layout, "o", self.overview))

    def test_missing_unit_description_datasource(self):
        del self.first["fieldConfig"]["defaults"]["unit"]
        self.first["description"] = ""
        self.first["datasource"] = {"type": "prometheus", "uid": "some-fixed-uid"}
        found = " ".join(problems_of(check.check_panels, "o", self.overview))
        self.assertIn("no unit", found)
        self.assertIn("description", found)
        self.assertIn("datasource", found)

    def test_undefined_variable(self):
        self.first["targets"][0]["expr"] = 'sum(lagwatch_groups{kafka_cluster=~"$cluster"})'
        found = problems_of(check.check_variables, "o", self.overview)
        self.assertTrue(any("$cluster" in p for p in found), found)

    def test_undocumented_metric(self):
        self.first["targets"][0]["expr"] = "sum(lagwatch_made_up_metric)"
        found = problems_of(check.check_metric_names, {"overview.json": self.overview})
        self.assertTrue(any("lagwatch_made_up_metric" in p for p in found), found)

    def test_link_to_unknown_dashboard(self):
        self.first["fieldConfig"]["defaults"]["links"] = [{"title": "x", "url": "/d/nope/x"}]
        found = problems_of(check.check_links, {"overview.json": self.overview})
        self.assertTrue(any("nope" in p for p in found), found)
        self.assertEqual(problems_of(check.check_links, self.dashboards), [])

    def test_duplicate_ref_id(self):
        self.first["targets"].append(dict(self.first["targets"][0]))
        found = problems_of(check.check_panels, "o", self.overview)
        self.assertTrue(any("refId" in p for p in found), found)

    def test_invalid_promql(self):
        self.first["targets"][0]["expr"] = "sum(rate(lagwatch_groups[5m])"
        found = problems_of(check.check_query_syntax, {"overview.json": self.overview})
        self.assertTrue(found)


if __name__ == "__main__":
    unittest.main()
