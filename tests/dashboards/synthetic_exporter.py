"""A stand-in for lagwatch that serves every metric of docs/metrics.md, with values that move
with the clock, so the dashboards and rules can be exercised against a real Prometheus
without Kafka. It models the situations the live test creates for real:

  cluster "synthetic": g-active (consuming, 2 members), g-stopped (no members, lag growing,
  health STOP), g-lossy (committed below the log start, health ERR), g-churn (rebalancing every
  second); cluster "broken": polls failing for ten minutes.

Label sets follow docs/metrics.md. Standard library only.
"""

import http.server
import threading
import time

CLUSTER = "synthetic"
BROKEN_CLUSTER = "broken"
GROUPS = ("g-active", "g-stopped", "g-lossy", "g-churn")
STAGES = ("metadata", "list_groups", "describe_groups", "group_offsets", "watermarks",
          "record_timestamps")
READER_OUTCOMES = ("applied", "ignored", "unknown_type", "unknown_version", "malformed", "unwatched")
PARTITIONS = {"orders": (0, 1), "events": (0,), "audit": (0,)}
GROUP_TOPICS = {"g-active": "orders", "g-stopped": "orders", "g-lossy": "audit",
                "g-churn": "events"}


def _labels(**labels):
    return "{" + ",".join('%s="%s"' % (k, v) for k, v in labels.items()) + "}"


class _Families:
    def __init__(self):
        self.lines = []

    def add(self, name, kind, samples):
        self.lines.append("# HELP %s synthetic" % name)
        self.lines.append("# TYPE %s %s" % (name, kind))
        for labels, value in samples:
            self.lines.append("%s%s %s" % (name, _labels(**labels), repr(float(value))))

    def text(self):
        return "\n".join(self.lines) + "\n"


def render(start, now):
    """Exposition text at wall time `now` for an exporter started at `start`."""
    t = now - start
    f = _Families()
    high = {(topic, p): 1000 + (10 + p) * t for topic, parts in PARTITIONS.items() for p in parts}
    low = {key: (500 if key[0] == "audit" else 0) for key in high}
    committed = {}
    for group, topic in GROUP_TOPICS.items():
        for p in PARTITIONS[topic]:
            value = {"g-active": high[(topic, p)] - 5, "g-stopped": 1000, "g-lossy": 100,
                     "g-churn": high[(topic, p)]}[group]
            committed[(group, topic, p)] = int(value)

    def part(group, topic, p):
        return dict(kafka_cluster=CLUSTER, group=group, topic=topic, partition=str(p))

    def grp(group):
        return dict(kafka_cluster=CLUSTER, group=group)

    lag = {key: max(0, int(high[key[1:]]) - value) for key, value in committed.items()}
    f.add("lagwatch_group_partition_committed_offset", "gauge",
          [(part(*k), v) for k, v in committed.items()])
    f.add("lagwatch_group_partition_lag", "gauge", [(part(*k), v) for k, v in lag.items()])
    f.add("lagwatch_group_topic_lag", "gauge",
          [(dict(grp(g), topic=GROUP_TOPICS[g]),
            sum(v for k, v in lag.items() if k[0] == g)) for g in GROUPS])
    f.add("lagwatch_group_lag", "gauge",
          [(grp(g), sum(v for k, v in lag.items() if k[0] == g)) for g in GROUPS])
    lag_seconds = {k: (5 + t if k[0] == "g-stopped" else (0.5 if v else 0)) for k, v in lag.items()}
    f.add("lagwatch_group_partition_lag_seconds", "gauge",
          [(part(*k), v) for k, v in lag_seconds.items()])
    # Like lagwatch with [clusters.series] partition_details = true, so that every panel has
    # data; check_dashboards checks that panels showing these opt-in families say they need it.
    # Like lagwatch: the flag exists only where the value is a bound, and _exact only in exact
    # mode (here: every group; the lossy group's record is deleted, so it is estimated).
    f.add("lagwatch_group_partition_lag_seconds_lower_bound", "gauge",
          [(part(*k), 1) for k in lag_seconds if k[0] == "g-stopped"])
    f.add("lagwatch_group_partition_lag_seconds_exact", "gauge",
          [(part(*k), 0 if k[0] in ("g-lossy", "g-stopped") else 1) for k in lag_seconds])
    f.add("lagwatch_group_topic_max_lag_seconds", "gauge",
          [(dict(grp(g), topic=GROUP_TOPICS[g]),
            max(v for k, v in lag_seconds.items() if k[0] == g)) for g in GROUPS])
    f.add("lagwatch_group_max_lag_seconds", "gauge",
          [(grp(g), max(v for k, v in lag_seconds.items() if k[0] == g)) for g in GROUPS])
    health = {"g-active": 0, "g-stopped": 3, "g-lossy": 5, "g-churn": 1}
    f.add("lagwatch_group_health", "gauge", [(grp(g), health[g]) for g in GROUPS])
    f.add("lagwatch_group_partition_health", "gauge",
          [(part(*k), health[k[0]]) for k in committed])
    loss = {k: max(0, low[k[1:]] - v) for k, v in committed.items()}
    f.add("lagwatch_group_partition_data_loss_messages", "gauge",
          [(part(*k), v) for k, v in loss.items()])
    f.add("lagwatch_group_data_loss_messages", "gauge",
          [(grp(g), sum(v for k, v in loss.items() if k[0] == g)) for g in GROUPS])
    members = {"g-active": 2, "g-stopped": 0, "g-lossy": 1, "g-churn": int(t) % 2}
    f.add("lagwatch_group_members", "gauge", [(grp(g), members[g]) for g in GROUPS])
    # Like lagwatch with [clusters.series] member_info = true.
    f.add("lagwatch_group_member_info", "gauge",
          [(dict(grp(g), member_id="%s-m%d" % (g, m), client_id=g, host="/127.0.0.1"), 1)
           for g in GROUPS for m in range(members[g])])
    # Like lagwatch: known for classic groups with members; g-active reads one more partition
    # of its topic than it has ever committed on.
    active_topic = GROUP_TOPICS["g-active"]
    never_committed = max(PARTITIONS[active_topic]) + 1
    f.add("lagwatch_group_uncommitted_partitions", "gauge",
          [(grp(g), 1 if g == "g-active" else 0) for g in GROUPS if members[g] > 0])
    # lagwatch exports it only for groups referencing a topic its principal may not describe;
    # here every group has one, so the panel has data.
    f.add("lagwatch_group_unauthorized_topics", "gauge", [(grp(g), 1) for g in GROUPS])
    f.add("lagwatch_group_partition_uncommitted", "gauge",
          [(part("g-active", active_topic, never_committed), 1)])
    states = {"g-active": "stable", "g-stopped": "empty", "g-lossy": "stable",
              "g-churn": "preparing_rebalance" if int(t) % 2 else "stable"}
    f.add("lagwatch_group_state", "gauge",
          [(dict(grp(g), state=states[g]), 1) for g in GROUPS])
    rebalances = {"g-active": 1, "g-stopped": 2, "g-lossy": 1, "g-churn": int(t)}
    f.add("lagwatch_group_rebalances_total", "counter",
          [(grp(g), rebalances[g]) for g in GROUPS])
    f.add("lagwatch_group_generation", "gauge", [(grp(g), rebalances[g] + 1) for g in GROUPS])
    commits = {"g-active": int(2 * t), "g-stopped": 50, "g-lossy": 7, "g-churn": int(t)}
    f.add("lagwatch_group_offset_commits_total", "counter",
          [(grp(g), commits[g]) for g in GROUPS])
    f.add("lagwatch_group_partition_last_commit_timestamp_seconds", "gauge",
          [(part(*k), start if k[0] == "g-stopped" else now - 1) for k in committed])
    f.add("lagwatch_partition_high_watermark", "gauge",
          [(dict(kafka_cluster=CLUSTER, topic=k[0], partition=str(k[1])), int(v))
           for k, v in high.items()])
    f.add("lagwatch_partition_low_watermark", "gauge",
          [(dict(kafka_cluster=CLUSTER, topic=k[0], partition=str(k[1])), v)
           for k, v in low.items()])
    clusters = (CLUSTER, BROKEN_CLUSTER)
    f.add("lagwatch_up", "gauge", [(dict(kafka_cluster=CLUSTER), 1),
                                   (dict(kafka_cluster=BROKEN_CLUSTER), 0)])
    f.add("lagwatch_last_successful_poll_timestamp_seconds", "gauge",
          [(dict(kafka_cluster=CLUSTER), now - 0.5),
           (dict(kafka_cluster=BROKEN_CLUSTER), start - 600)])
    f.add("lagwatch_poll_duration_seconds", "gauge",
          [(dict(kafka_cluster=c), 0.2) for c in clusters])
    f.add("lagwatch_poll_stage_duration_seconds", "gauge",
          [(dict(kafka_cluster=CLUSTER, stage=s), 0.02)
           for s in STAGES + ("snapshot", "render", "status", "publish")])
    f.add("lagwatch_poll_stage_attempts_total", "counter",
          [(dict(kafka_cluster=c, stage=s), int(10 * t)) for c in clusters for s in STAGES])
    f.add("lagwatch_poll_stage_failures_total", "counter",
          [(dict(kafka_cluster=c, stage=s), int(10 * t) if c == BROKEN_CLUSTER else 0)
           for c in clusters for s in STAGES])
    f.add("lagwatch_rebalance_source", "gauge",
          [(dict(kafka_cluster=c, source=source), int(active == source))
           for c, active in ((CLUSTER, "consumer_offsets"), (BROKEN_CLUSTER, "describe"))
           for source in ("consumer_offsets", "describe")])
    f.add("lagwatch_unauthorized", "gauge",
          [(dict(kafka_cluster=c, resource=r), int(c == CLUSTER and r == "topic"))
           for c in clusters for r in ("topic", "group", "consumer_offsets")])
    f.add("lagwatch_offsets_reader_caught_up", "gauge",
          [(dict(kafka_cluster=CLUSTER), 1), (dict(kafka_cluster=BROKEN_CLUSTER), 0)])
    f.add("lagwatch_offsets_reader_records_total", "counter",
          [(dict(kafka_cluster=CLUSTER, outcome=o), int(5 * t) if o == "applied" else 0)
           for o in READER_OUTCOMES])
    f.add("lagwatch_groups", "gauge",
          [(dict(kafka_cluster=CLUSTER), len(GROUPS)), (dict(kafka_cluster=BROKEN_CLUSTER), 0)])
    f.add("lagwatch_exposition_series", "gauge", [({}, len(f.lines))])
    f.add("lagwatch_exposition_bytes", "gauge",
          [(dict(encoding="identity"), 9000 + t), (dict(encoding="gzip"), 1200 + t)])
    f.add("lagwatch_build_info", "gauge", [(dict(version="0.0.0", revision="synthetic"), 1)])
    return f.text()


class SyntheticExporter:
    """Serves render() on 127.0.0.1:port/metrics from a background thread."""

    def __init__(self):
        self.start_time = time.time()
        exporter = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - name required by BaseHTTPRequestHandler
                body = render(exporter.start_time, time.time()).encode()
                self.send_response(200 if self.path == "/metrics" else 404)
                self.send_header("Content-Type", "text/plain; version=0.0.4")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args):
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def target(self):
        return "127.0.0.1:%d" % self.port

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *_exc):
        self._server.shutdown()
        self._server.server_close()
