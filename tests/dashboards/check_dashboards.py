#!/usr/bin/env python3
"""Structural checks of the Grafana dashboards and the Prometheus alert rules.

Checks: valid JSON, generator output in sync, unique dashboard uids and panel ids,
non-overlapping grid positions inside the 24-column grid, every panel with a datasource, a unit,
a description and unique query refIds, links only to shipped dashboards, every variable used is
defined, every metric name used by a panel, a variable or a rule is documented in
docs/metrics.md and every documented metric is used by a panel or a rule, no rule and no panel
that does not say so uses a family that is off by default, every panel query is
valid PromQL (parsed by promtool as a recording rule), and `promtool check rules` / `promtool
test rules` pass.

Exit status 0 when everything passes; otherwise every problem is printed and the status is 1.
Standard library plus the promtool binary only.
"""

import json
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

import dashboard_model as model

GRID_WIDTH = 24
PROMTOOL_TIMEOUT_S = 120


class Problems:
    def __init__(self):
        self.items = []

    def add(self, where, message):
        self.items.append("%s: %s" % (where, message))


def check_generator(problems):
    generator = model.DASHBOARD_DIR / "generator" / "build.py"
    result = subprocess.run([sys.executable, "-B", str(generator), "--check"],
                            capture_output=True, text=True, timeout=PROMTOOL_TIMEOUT_S)
    if result.returncode != 0:
        problems.add("dashboards/generator", (result.stdout + result.stderr).strip())


def overlaps(a, b):
    return (a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and
            a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"])


def check_layout(name, dashboard, problems):
    seen_ids = set()
    placed = []
    for item in model.panels(dashboard):
        where = "%s panel %r" % (name, item.get("title"))
        panel_id = item.get("id")
        if not isinstance(panel_id, int):
            problems.add(where, "missing integer id")
        elif panel_id in seen_ids:
            problems.add(where, "duplicate id %d" % panel_id)
        seen_ids.add(panel_id)
        grid = item.get("gridPos")
        if not grid or not all(isinstance(grid.get(k), int) for k in ("x", "y", "w", "h")):
            problems.add(where, "missing gridPos")
            continue
        if grid["w"] <= 0 or grid["h"] <= 0 or grid["x"] < 0 or grid["y"] < 0 or \
                grid["x"] + grid["w"] > GRID_WIDTH:
            problems.add(where, "gridPos outside the %d-column grid: %s" % (GRID_WIDTH, grid))
        for other_title, other in placed:
            if overlaps(grid, other):
                problems.add(where, "gridPos %s overlaps panel %r" % (grid, other_title))
        placed.append((item.get("title"), grid))


def check_panels(name, dashboard, problems):
    for item in model.panels(dashboard):
        if item.get("type") == "row":
            continue
        where = "%s panel %r" % (name, item.get("title"))
        datasource = item.get("datasource") or {}
        if datasource.get("uid") != "${datasource}" or datasource.get("type") != "prometheus":
            problems.add(where, "datasource must be the ${datasource} prometheus variable")
        unit = item.get("fieldConfig", {}).get("defaults", {}).get("unit")
        if not unit:
            problems.add(where, "no unit in fieldConfig.defaults")
        if len((item.get("description") or "").strip()) < 40:
            problems.add(where, "description missing or too short to say what to do")
        targets = item.get("targets") or []
        if not targets:
            problems.add(where, "no queries")
        ref_ids = [query.get("refId") for query in targets]
        if len(set(ref_ids)) != len(ref_ids):
            problems.add(where, "duplicate refId among %s" % ref_ids)
        for query in targets:
            if not query.get("expr", "").strip():
                problems.add(where, "query %s has no expr" % query.get("refId"))
            if (query.get("datasource") or {}).get("uid") != "${datasource}":
                problems.add(where, "query %s does not use ${datasource}" % query.get("refId"))


def check_variables(name, dashboard, problems):
    defined = {v.get("name") for v in model.variables(dashboard)}
    defined |= {i.get("name") for i in dashboard.get("__inputs", [])}
    datasource_vars = [v for v in model.variables(dashboard) if v.get("name") == "datasource"]
    if not datasource_vars or datasource_vars[0].get("type") != "datasource" or \
            datasource_vars[0].get("query") != "prometheus":
        problems.add(name, "needs a variable 'datasource' of type datasource (prometheus)")
    # Provisioning and Grafana's dashboard sidecar substitute nothing: an import placeholder
    # such as ${DS_PROMETHEUS} would stay in the JSON and break every panel.
    if dashboard.get("__inputs") or "${DS_" in json.dumps(dashboard):
        problems.add(name, "import placeholders (__inputs / ${DS_...}) are not resolved by "
                           "provisioning or the Grafana sidecar")
    if datasource_vars and datasource_vars[0].get("current"):
        problems.add(name, "the datasource variable presets a data source; leave it to Grafana's "
                           "default")
    for wanted in ("job", "instance"):
        if wanted not in defined:
            problems.add(name, "needs a $%s variable (lagwatch replicas and jobs)" % wanted)
    body = {k: v for k, v in dashboard.items() if k not in ("__inputs", "__requires")}
    for used in sorted(model.used_variables(body)):
        if used not in defined and not used.startswith("__"):
            problems.add(name, "variable $%s is used but not defined" % used)
    for variable in model.variables(dashboard):
        if variable.get("type") == "query" and "label_values(" not in model.variable_query(
                variable):
            problems.add(name, "variable %s is not a label_values() query" % variable.get("name"))


def check_metadata(dashboards, problems):
    uids = {}
    for name, dashboard in dashboards.items():
        for key in ("uid", "title", "schemaVersion", "description"):
            if not dashboard.get(key):
                problems.add(name, "missing %s" % key)
        uid = dashboard.get("uid")
        if uid in uids:
            problems.add(name, "uid %r also used by %s" % (uid, uids[uid]))
        uids[uid] = name
    expected = {"overview.json", "group.json", "topics.json", "lagwatch.json"}
    for missing in sorted(expected - set(dashboards)):
        problems.add("dashboards", "missing %s" % missing)


def check_links(dashboards, problems):
    """Links to /d/UID/... must point at one of the shipped dashboards."""
    uids = {d.get("uid") for d in dashboards.values()}
    for name, dashboard in dashboards.items():
        for url in re.findall(r'"url": "([^"]*)"', json.dumps(dashboard)):
            match = re.match(r"/d/([^/?]+)", url)
            if match and match.group(1) not in uids:
                problems.add(name, "link to unknown dashboard uid %s" % match.group(1))


def check_metric_names(dashboards, problems):
    documented = model.documented_metrics()
    known = documented | model.PROMETHEUS_SERIES
    if not documented:
        problems.add("docs/metrics.md", "no metric names found in its tables")
    uses = []
    for name, dashboard in dashboards.items():
        for title, ref, expr in model.all_queries(dashboard):
            uses.append(("%s panel %r query %s" % (name, title, ref), expr))
        for variable in model.variables(dashboard):
            if variable.get("type") == "query":
                uses.append(("%s variable %s" % (name, variable.get("name")),
                             model.label_values_metric(model.variable_query(variable))))
    for rule, expr in model.rule_expressions(model.RULES_FILE.read_text()):
        uses.append(("rule %s" % rule, expr))
    if not any(where.startswith("rule ") for where, _ in uses):
        problems.add("rules", "no rule expressions found")
    used = set()
    for where, expr in uses:
        used |= model.metric_names(expr)
        for metric in sorted(model.metric_names(expr) - known):
            problems.add(where, "metric %s is not documented" % metric)
    # The doc is the complete list of what lagwatch exports: each family deserves a panel or rule.
    for metric in sorted(documented - used):
        problems.add("docs/metrics.md", "metric %s is shown by no panel and no rule" % metric)


def check_opt_in_metrics(dashboards, rules_text, problems):
    """Families off by default are never alerted on, and a panel that shows one says in its
    description that it needs the opt-in, so an empty panel is not mistaken for a fault."""
    switches = model.opt_in_switches()
    opt_in = set(switches)
    if not opt_in:
        problems.add("docs/metrics.md", "no opt-in families listed under \"Series budget\"")
        return
    for rule, expr in model.rule_expressions(rules_text):
        for metric in sorted(model.metric_names(expr) & opt_in):
            problems.add("rule %s" % rule, "uses %s, which is off by default" % metric)
    for name, dashboard in dashboards.items():
        for item in model.panels(dashboard):
            used = set()
            for query in item.get("targets", []) or []:
                used |= model.metric_names(query.get("expr", ""))
            for switch in sorted({switches[metric] for metric in used & opt_in}):
                if switch in item.get("description", ""):
                    continue
                needing = sorted(m for m in used & opt_in if switches[m] == switch)
                problems.add("%s panel %r" % (name, item.get("title", "")),
                             "shows %s (off by default) without saying it needs %s"
                             % (", ".join(needing), switch))


def run_promtool(args, where, problems):
    promtool = shutil.which("promtool")
    if not promtool:
        problems.add(where, "promtool not found (Debian package prometheus)")
        return
    result = subprocess.run([promtool] + args, capture_output=True, text=True,
                            timeout=PROMTOOL_TIMEOUT_S)
    if result.returncode != 0:
        problems.add(where, "promtool %s failed:\n%s" % (args[0] + " " + args[1],
                                                        (result.stdout + result.stderr).strip()))


def yaml_quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def check_query_syntax(dashboards, problems):
    """Feeds every interpolated panel query to promtool as a recording rule to parse it."""
    lines = ["groups:", "  - name: dashboard-queries", "    rules:"]
    for name, dashboard in dashboards.items():
        for index, (title, ref, expr) in enumerate(model.all_queries(dashboard)):
            try:
                text = model.substitute(expr, model.grafana_values())
            except KeyError as error:
                problems.add("%s panel %r" % (name, title), str(error))
                continue
            lines.append("      - record: dashboard:%s:%d" % (name.replace(".", "_"), index))
            lines.append("        expr: " + yaml_quote(text))
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "dashboard-queries.yaml"
        path.write_text("\n".join(lines) + "\n")
        run_promtool(["check", "rules", str(path)], "dashboard queries", problems)


def main():
    problems = Problems()
    try:
        dashboards = model.load_dashboards()
    except ValueError as error:
        print("FAIL " + str(error))
        return 1
    check_generator(problems)
    check_metadata(dashboards, problems)
    for name, dashboard in dashboards.items():
        check_layout(name, dashboard, problems)
        check_panels(name, dashboard, problems)
        check_variables(name, dashboard, problems)
    check_links(dashboards, problems)
    check_metric_names(dashboards, problems)
    check_opt_in_metrics(dashboards, model.RULES_FILE.read_text(), problems)
    check_query_syntax(dashboards, problems)
    run_promtool(["check", "rules", str(model.RULES_FILE)], "alert rules", problems)
    tests = sorted(str(p) for p in model.RULE_TESTS_DIR.glob("*.yaml"))
    if not tests:
        problems.add("alert rule tests", "none in %s" % model.RULE_TESTS_DIR)
    else:
        run_promtool(["test", "rules"] + tests, "alert rule tests", problems)
    panel_count = sum(1 for d in dashboards.values() for p in model.panels(d)
                      if p.get("type") != "row")
    for item in problems.items:
        print("FAIL " + item)
    print("%d dashboards, %d panels, %d problems" % (len(dashboards), panel_count,
                                                     len(problems.items)))
    return 1 if problems.items else 0


if __name__ == "__main__":
    sys.exit(main())
