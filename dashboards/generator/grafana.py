"""Builders for Grafana dashboard JSON (classic model).

The dashboards under dashboards/*.json are generated from the small Python modules next to this
one so that ids, grid positions and the shared variables stay consistent; edit those modules and
run build.py instead of editing the JSON by hand.
"""

import re

SCHEMA_VERSION = 41
DATASOURCE = {"type": "prometheus", "uid": "${datasource}"}
GRID_WIDTH = 24

# Health codes are identifiers, not a severity scale: REWIND (4) is less urgent than STOP (3) and
# ERR (5) means "unknown" rather than "worst". Bad is code >= 2, which is what the alert uses, so
# every bad code gets a warm color and the text carries the code for cross-checking the alert.
HEALTH_MAPPINGS = [
    {
        "type": "value",
        "options": {
            "0": {"text": "0 OK", "color": "green", "index": 0},
            "1": {"text": "1 WARN", "color": "yellow", "index": 1},
            "2": {"text": "2 STALL (bad)", "color": "orange", "index": 2},
            "3": {"text": "3 STOP (bad)", "color": "red", "index": 3},
            "4": {"text": "4 REWIND (bad)", "color": "purple", "index": 4},
            "5": {"text": "5 ERR (bad)", "color": "dark-red", "index": 5},
        },
    }
]

# lagwatch_group_state is one series per state with value 1; a state timeline shows one row per
# state, colored by what the state means for consumption.
STATE_COLORS = {
    "stable": "green",
    "empty": "blue",
    "preparing_rebalance": "orange",
    "completing_rebalance": "orange",
    "assigning": "orange",
    "reconciling": "orange",
    "dead": "red",
    "unknown": "purple",
}

IN_STATE_MAPPINGS = [
    {"type": "value", "options": {"1": {"text": "in state", "index": 0}}},
]

UP_MAPPINGS = [
    {
        "type": "value",
        "options": {
            "0": {"text": "DOWN", "color": "red", "index": 0},
            "1": {"text": "UP", "color": "green", "index": 1},
        },
    }
]


# Every lagwatch series is narrowed to the selected scrape jobs and instances.
SCOPE = 'job=~"$job", instance=~"$instance"'

# The labels lagwatch itself puts on each series (docs/metrics.md), by name prefix; the first
# match wins. Everything else Prometheus adds (job, instance, pod, namespace, ...) tells
# replicas apart.
_OWN_LABELS = (
    ("lagwatch_group_partition_", ("kafka_cluster", "group", "topic", "partition")),
    ("lagwatch_group_topic_", ("kafka_cluster", "group", "topic")),
    ("lagwatch_group_state", ("kafka_cluster", "group", "state")),
    ("lagwatch_group_", ("kafka_cluster", "group")),
    ("lagwatch_partition_", ("kafka_cluster", "topic", "partition")),
    ("lagwatch_poll_stage_", ("kafka_cluster", "stage")),
    ("lagwatch_offsets_reader_records_total", ("kafka_cluster", "outcome")),
    ("lagwatch_rebalance_source", ("kafka_cluster", "source")),
    ("lagwatch_exposition_bytes", ("encoding",)),
    ("lagwatch_exposition_series", ()),
    ("lagwatch_build_info", ("version", "revision")),
    ("lagwatch_", ("kafka_cluster",)),
)

_SELECTOR = re.compile(r"\b(lagwatch_[a-z0-9_]+)(\{[^}]*\})?")
_RANGE_FUNCTION = re.compile(r"(rate|irate|increase|delta|deriv|changes|resets)\(\s*$")


def own_labels(metric):
    return next(labels for prefix, labels in _OWN_LABELS if metric.startswith(prefix))


def scoped(expr):
    """Adds the job/instance matchers to every lagwatch series selector of `expr`."""
    def add(match):
        inner = (match.group(2) or "{}")[1:-1].strip()
        return "%s{%s}" % (match.group(1), SCOPE + (", " + inner if inner else ""))
    return _SELECTOR.sub(add, expr)


def deduplicated(expr):
    """Folds the replicas: every lagwatch selector (with its range function, for counters) is
    wrapped in `max by (<lagwatch's own labels>)`, so two lagwatch pods scraping the same
    cluster give one series, not two, and sums over them do not double."""
    out, position = [], 0
    for match in _SELECTOR.finditer(expr):
        start, end = match.span()
        if start < position:
            continue
        function = _RANGE_FUNCTION.search(expr, position, start)
        if function and expr[end:end + 1] == "[":
            close = expr.index("]", end)
            paren = expr.index(")", close)
            start, end = function.start(), paren + 1
        out.append(expr[position:start])
        wrapper = "max by (%s) (" % ", ".join(own_labels(match.group(1)))
        if "".join(out).endswith(wrapper):  # already folded by exactly these labels
            out.append(expr[start:end])
        else:
            out.append("%s%s)" % (wrapper, expr[start:end]))
        position = end
    out.append(expr[position:])
    return "".join(out)


def target(expr, legend="", instant=False, ref_id="A", per_instance=False):
    """One Prometheus query of a panel. lagwatch series are scoped to $job/$instance and, unless
    the panel is about lagwatch instances themselves (`per_instance`), deduplicated."""
    expr = scoped(expr if per_instance else deduplicated(expr))
    query = {
        "datasource": DATASOURCE,
        "expr": expr,
        "legendFormat": legend or "__auto",
        "refId": ref_id,
        "range": not instant,
        "instant": instant,
    }
    if instant:
        query["format"] = "table"
    return query


def _thresholds(steps):
    # Grafana wants the base step first with value null.
    out = [{"color": "green", "value": None}]
    for value, color in steps:
        out.append({"color": color, "value": value})
    return {"mode": "absolute", "steps": out}


def panel(kind, title, description, unit, targets, width, height, mappings=None,
          thresholds=(), links=None, options=None, transformations=None, custom=None,
          overrides=()):
    """A panel without id and gridPos; Layout assigns those."""
    for index, query in enumerate(targets):
        query["refId"] = chr(ord("A") + index)
    defaults = {"unit": unit, "thresholds": _thresholds(thresholds)}
    if mappings:
        defaults["mappings"] = mappings
    if links:
        defaults["links"] = links
    if custom:
        defaults["custom"] = custom
    result = {
        "type": kind,
        "title": title,
        "description": description,
        "datasource": DATASOURCE,
        "fieldConfig": {"defaults": defaults, "overrides": list(overrides)},
        "options": options or {},
        "targets": targets,
        "_size": (width, height),
    }
    if transformations:
        result["transformations"] = transformations
    return result


def timeseries(title, description, unit, targets, width=12, height=8, **kwargs):
    kwargs.setdefault("options", {"legend": {"displayMode": "table", "placement": "right",
                                             "calcs": ["lastNotNull", "max"]},
                                  "tooltip": {"mode": "multi", "sort": "desc"}})
    return panel("timeseries", title, description, unit, targets, width, height, **kwargs)


def stat(title, description, unit, targets, width=4, height=4, **kwargs):
    kwargs.setdefault("options", {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "",
                                                    "values": False},
                                  "colorMode": "background", "graphMode": "none",
                                  "textMode": "auto"})
    return panel("stat", title, description, unit, targets, width, height, **kwargs)


def fixed_color_overrides(colors):
    """Field overrides giving the series whose display name is a key a fixed color."""
    return [{"matcher": {"id": "byName", "options": name},
             "properties": [{"id": "color", "value": {"mode": "fixed", "fixedColor": color}}]}
            for name, color in colors.items()]


def state_timeline(title, description, targets, mappings, width=24, height=8, **kwargs):
    kwargs.setdefault("options", {"showValue": "auto", "mergeValues": True,
                                  "legend": {"displayMode": "list", "placement": "bottom"}})
    kwargs.setdefault("thresholds", ((1, "red"),))
    return panel("state-timeline", title, description, "none", targets, width, height,
                 mappings=mappings, **kwargs)


def table(title, description, unit, targets, width=12, height=8, hidden=(), sort_by=None,
          **kwargs):
    """Instant-query table; `hidden` names columns not worth showing."""
    excluded = {"Time": True, "__name__": True, "job": True, "instance": True}
    excluded.update({name: True for name in hidden})
    transformations = [{"id": "merge", "options": {}},
                       {"id": "organize", "options": {"excludeByName": excluded}}]
    options = {"showHeader": True, "cellHeight": "sm"}
    if sort_by:
        options["sortBy"] = [{"displayName": sort_by, "desc": True}]
    return panel("table", title, description, unit, targets, width, height,
                 transformations=transformations, options=options, **kwargs)


class Layout:
    """Places panels left to right and wraps at the grid width, so positions never overlap."""

    def __init__(self):
        self._panels = []
        self._x = 0
        self._y = 0
        self._row_height = 0

    def add(self, *panels):
        for item in panels:
            width, height = item.pop("_size")
            if self._x + width > GRID_WIDTH:
                self._newline()
            item["gridPos"] = {"x": self._x, "y": self._y, "w": width, "h": height}
            item["id"] = len(self._panels) + 1
            self._x += width
            self._row_height = max(self._row_height, height)
            self._panels.append(item)

    def row(self, title):
        """A non-collapsing section header across the full width."""
        self._newline()
        self._panels.append({"type": "row", "title": title, "collapsed": False, "panels": [],
                             "id": len(self._panels) + 1,
                             "gridPos": {"x": 0, "y": self._y, "w": GRID_WIDTH, "h": 1}})
        self._y += 1

    def _newline(self):
        if self._x > 0:
            self._y += self._row_height
        self._x = 0
        self._row_height = 0

    @property
    def panels(self):
        return self._panels


def datasource_variable():
    """No preset value: Grafana (and its dashboard sidecar, which substitutes nothing) selects
    the default Prometheus data source, and the user can switch."""
    return {"name": "datasource", "label": "Data source", "type": "datasource",
            "query": "prometheus", "current": {}, "hide": 0, "refresh": 1, "regex": "",
            "options": []}


def instance_variables():
    """$job and $instance: the lagwatch scrape jobs and instances to show (All by default)."""
    return [query_variable("job", "Job", "label_values(lagwatch_build_info, job)", scope=False),
            query_variable("instance", "Instance",
                           'label_values(lagwatch_build_info{job=~"$job"}, instance)',
                           scope=False)]


def rebalance_annotation(selector):
    """Marks every rebalance of the selected groups on the time axis."""
    return {"name": "Rebalances", "datasource": DATASOURCE, "enable": True,
            "iconColor": "orange", "hide": False,
            "expr": scoped(deduplicated(
                "increase(lagwatch_group_rebalances_total{%s}[$__rate_interval]) > 0"
                % selector)),
            "step": "$__interval", "titleFormat": "Rebalance",
            "textFormat": "{{kafka_cluster}} / {{group}}", "useValueForTime": False}


def query_variable(name, label, query, multi=True, include_all=True, scope=True):
    """A label_values() variable; 'All' becomes .* so it can sit inside =~ matchers."""
    if scope:
        query = scoped(query)
    variable = {
        "name": name, "label": label, "type": "query", "datasource": DATASOURCE,
        "query": {"query": query, "refId": "PrometheusVariableQueryEditor-VariableQuery"},
        "definition": query, "refresh": 2, "sort": 1, "hide": 0, "regex": "",
        "multi": multi, "includeAll": include_all, "options": [],
        "current": {},
    }
    if include_all:
        variable["allValue"] = ".*"
        variable["current"] = {"text": ["All"], "value": ["$__all"]} if multi else {
            "text": "All", "value": "$__all"}
    return variable


def dashboard(uid, title, description, layout, variables, links=(), tags=("lagwatch", "kafka"),
              annotations=()):
    panel_types = sorted({p["type"] for p in layout.panels if p["type"] != "row"})
    return {
        "__requires": [{"type": "grafana", "id": "grafana", "name": "Grafana",
                        "version": "11.0.0"},
                       {"type": "datasource", "id": "prometheus", "name": "Prometheus",
                        "version": "1.0.0"}] +
                      [{"type": "panel", "id": kind, "name": kind, "version": ""}
                       for kind in panel_types],
        "uid": uid,
        "title": title,
        "description": description,
        "tags": list(tags),
        "schemaVersion": SCHEMA_VERSION,
        "version": 1,
        "editable": True,
        "graphTooltip": 1,
        "time": {"from": "now-3h", "to": "now"},
        "timepicker": {},
        "timezone": "",
        "refresh": "30s",
        "fiscalYearStartMonth": 0,
        "liveNow": False,
        "annotations": {"list": list(annotations)},
        "links": [{"title": "lagwatch dashboards", "type": "dashboards", "tags": ["lagwatch"],
                   "asDropdown": True, "includeVars": True, "keepTime": True}] + list(links),
        "templating": {"list": [datasource_variable()] + instance_variables() + list(variables)},
        "panels": layout.panels,
    }


def group_dashboard_link(cluster_field="kafka_cluster", group_field="group"):
    """Data link from a row that has kafka_cluster and group labels to the group dashboard."""
    return [{
        "title": "Open group ${__data.fields.%s}" % group_field,
        "url": "/d/lagwatch-group/lagwatch-consumer-group?var-datasource=${datasource}"
               "&${job:queryparam}&${instance:queryparam}"
               "&var-kafka_cluster=${__data.fields.%s}&var-group=${__data.fields.%s}"
               "&${__url_time_range}" % (cluster_field, group_field),
    }]
