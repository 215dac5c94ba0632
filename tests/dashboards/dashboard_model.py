"""Reading the lagwatch dashboards and rules the way Grafana and Prometheus would.

Shared by check_dashboards.py (structure, offline) and live_test.py (queries against a real
Prometheus). Standard library only.
"""

import json
import pathlib
import re

REPO = pathlib.Path(__file__).resolve().parents[2]
DASHBOARD_DIR = REPO / "dashboards"
RULES_FILE = DASHBOARD_DIR / "alerts" / "lagwatch-rules.yaml"
RULE_TESTS_DIR = DASHBOARD_DIR / "alerts" / "tests"
METRICS_DOC = REPO / "docs" / "metrics.md"

# Series Prometheus itself attaches to every scrape target.
PROMETHEUS_SERIES = {"up", "scrape_duration_seconds"}

PROMQL_KEYWORDS = {"and", "or", "unless", "by", "without", "on", "ignoring", "group_left",
                   "group_right", "offset", "bool", "inf", "nan", "atan2"}

# $name, ${name}, ${name:format}, ${__data.fields.x} and the deprecated [[name]].
VARIABLE_RE = re.compile(r"\$\{([A-Za-z0-9_.]+)(?::[^}]*)?\}"
                         r"|\$([A-Za-z0-9_]+)"
                         r"|\[\[([A-Za-z0-9_]+)\]\]")


def load_dashboards():
    """{file name: parsed JSON} for dashboards/*.json; raises ValueError on invalid JSON."""
    result = {}
    for path in sorted(DASHBOARD_DIR.glob("*.json")):
        try:
            result[path.name] = json.loads(path.read_text())
        except json.JSONDecodeError as error:
            raise ValueError("%s: invalid JSON: %s" % (path.name, error)) from error
    return result


def panels(dashboard):
    """Every panel, including those nested in collapsed rows, rows themselves included."""
    for item in dashboard.get("panels", []):
        yield item
        for nested in item.get("panels", []) or []:
            yield nested


def variables(dashboard):
    return dashboard.get("templating", {}).get("list", [])


def variable_query(variable):
    query = variable.get("query", "")
    if isinstance(query, dict):
        query = query.get("query", "")
    return query


def queries(dashboard):
    """(panel title, refId, expr) for every query target."""
    for item in panels(dashboard):
        for query in item.get("targets", []) or []:
            yield item.get("title", ""), query.get("refId", ""), query.get("expr", "")


def annotation_queries(dashboard):
    """("annotation NAME", "ANN", expr) for every Prometheus annotation query. Grafana evaluates
    these as range queries over the dashboard's time range."""
    for item in dashboard.get("annotations", {}).get("list", []):
        if item.get("expr"):
            yield "annotation " + item.get("name", ""), "ANN", item["expr"]


def all_queries(dashboard):
    """Panel queries, then annotation queries."""
    yield from queries(dashboard)
    yield from annotation_queries(dashboard)


def used_variables(value):
    """Names of template variables referenced anywhere inside a JSON value."""
    found = set()
    if isinstance(value, dict):
        for inner in value.values():
            found |= used_variables(inner)
    elif isinstance(value, list):
        for inner in value:
            found |= used_variables(inner)
    elif isinstance(value, str):
        for match in VARIABLE_RE.finditer(value):
            name = next(group for group in match.groups() if group)
            found.add(name.split(".")[0])
    return found


def substitute(expr, values):
    """Replaces template variables like Grafana does; `values` maps a name to its text."""
    def replace(match):
        name = next(group for group in match.groups() if group)
        if name not in values:
            raise KeyError("no value for variable %r in %r" % (name, expr))
        return values[name]
    return VARIABLE_RE.sub(replace, expr)


def label_values_metric(query):
    """The series selector inside label_values(selector, label), or '' for label_values(label)."""
    match = re.fullmatch(r"\s*label_values\((.*),\s*[A-Za-z_][A-Za-z0-9_]*\s*\)\s*", query)
    return match.group(1) if match else ""


def metric_names(expr):
    """Metric names a PromQL expression selects (functions, keywords and labels excluded)."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    text = re.sub(r"'(?:[^'\\]|\\.)*'", "''", text)
    text = re.sub(r"\{[^}]*\}", " ", text)
    text = re.sub(r"\[[^\]]*\]", " ", text)
    text = re.sub(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", text)
    names = set()
    for match in re.finditer(r"(?<![\w.:$])([A-Za-z_:][A-Za-z0-9_:]*)(\s*\()?", text):
        word, is_call = match.group(1), match.group(2)
        if not is_call and word not in PROMQL_KEYWORDS:
            names.add(word)
    return names


def documented_metrics():
    """Metric names in the first column of the tables of docs/metrics.md."""
    names = set()
    for line in METRICS_DOC.read_text().splitlines():
        match = re.match(r"\|\s*`([a-z_:][a-z0-9_:]*)`\s*\|", line)
        if match:
            names.add(match.group(1))
    return names


def opt_in_switches():
    """{family: switch} for the families docs/metrics.md lists under "Series budget", each
    needing the [clusters.series] switch named in the paragraph above its list: absent at the
    default configuration."""
    text = METRICS_DOC.read_text()
    if "## Series budget" not in text:
        return {}
    section = text.split("## Series budget", 1)[1].split("\n## ", 1)[0]
    switches = {}
    switch = None
    for line in section.splitlines():
        if named := re.search(r"\[clusters\.series\] ([a-z_]+) = true", line):
            switch = named.group(1)
        elif (m := re.match(r"- `([a-z_:][a-z0-9_:]*)`", line)) and switch:
            switches[m.group(1)] = switch
    return switches


def opt_in_metrics():
    return set(opt_in_switches())


def rule_expressions(text):
    """(alert or record name, expr) from a rules file in the layout used by lagwatch-rules.yaml.

    Only what that file uses is understood: `- alert: NAME` / `- record: NAME` followed by an
    `expr:` that is either on one line or a `|` / `>` block. The full YAML is validated by
    promtool; this exists so the metric-name check needs no YAML library.
    """
    result = []
    name = None
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        head = re.match(r"\s*-\s*(?:alert|record):\s*(\S+)", line)
        if head:
            name = head.group(1)
        expr = re.match(r"(\s*)expr:\s*(.*)$", line)
        if expr:
            indent, value = len(expr.group(1)), expr.group(2).strip()
            if value[:1] in ("|", ">"):
                block = []
                index += 1
                while index < len(lines) and (not lines[index].strip() or
                                              len(lines[index]) - len(lines[index].lstrip())
                                              > indent):
                    block.append(lines[index].strip())
                    index += 1
                result.append((name, " ".join(block)))
                continue
            result.append((name, value.strip("'\"")))
        index += 1
    return result


def grafana_values(cluster=".*", group=".*", topic=".*", rate_interval="1m", interval="15s",
                   time_range="1h", job=".*", instance=".*"):
    """Values of every variable the dashboards use, as Grafana would interpolate them."""
    return {
        "datasource": "prometheus",
        "job": job,
        "instance": instance,
        "kafka_cluster": cluster,
        "group": group,
        "topic": topic,
        "__rate_interval": rate_interval,
        "__interval": interval,
        "__range": time_range,
    }
