"""The HTTP side on a real scrape: promtool accepts the exposition, gzip is the same text, the
landing page links to /metrics, and the process_* families describe the lagwatch process."""

from __future__ import annotations

import gzip
import os
import re
import resource
import shutil
import subprocess

import pytest

import scenario
import workload
from exposition import parse, select
from observations import converged, expected_view

SNAPSHOT_ATTEMPTS = 20


@pytest.fixture
def populated(kafka, lagwatch):
    """A lagwatch whose /metrics holds every per-group and per-partition family."""
    prefix = scenario.unique_prefix("expo")
    topic, group = f"{prefix}-t", f"{prefix}-g"
    workload.create_topic(kafka.bootstrap, topic, 2)
    workload.produce(kafka.bootstrap, topic, {0: 3, 1: 4})
    workload.commit_offsets(kafka.bootstrap, group, [(topic, 0, 1), (topic, 1, 4)])
    wanted = scenario.Expected(prefix)
    wanted.offsets = {(group, topic, 0): 1, (group, topic, 1): 4}
    wanted.watermarks = {(topic, 0): (0, 3), (topic, 1): (0, 4)}
    wanted.groups = {group: ("empty", 0)}
    instance = lagwatch(groups_allow=[f"{prefix}-.*"], topics_allow=[f"{prefix}-.*"])
    assert converged(instance, expected_view(wanted)) == expected_view(wanted)
    return instance


def test_promtool_accepts_a_real_scrape(populated):
    promtool = shutil.which("promtool")
    assert promtool, "promtool missing: scripts/install-deps.sh installs the prometheus package"
    text = populated.raw_text()
    result = subprocess.run([promtool, "check", "metrics"], input=text, capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, f"{result.stdout}{result.stderr}\n--- scrape ---\n{text}"


def test_gzip_body_decodes_to_the_identity_text(populated):
    # A new poll may land between two requests; an identity/gzip/identity sequence whose two
    # identity bodies agree saw one snapshot, so the gzip body must equal them byte for byte.
    for _attempt in range(SNAPSHOT_ATTEMPTS):
        first = populated.get("/metrics")
        zipped = populated.get("/metrics", {"Accept-Encoding": "gzip"})
        second = populated.get("/metrics")
        assert zipped.status == 200
        assert zipped.headers.get("Content-Encoding") == "gzip", zipped.headers
        decoded = gzip.decompress(zipped.body)
        if first.body == second.body:
            assert decoded == first.body
            return
        # Still a well-formed exposition with the same series even across a poll.
        assert parse(decoded.decode()).keys() == parse(second.body.decode()).keys()
    pytest.fail(f"no two consecutive identity scrapes were equal in {SNAPSHOT_ATTEMPTS} attempts")


def test_identity_is_served_without_content_encoding(populated):
    response = populated.get("/metrics")
    assert response.status == 200
    assert "Content-Encoding" not in response.headers or response.headers["Content-Encoding"] == "identity"
    assert response.headers.get("Content-Type", "").startswith("text/plain")
    parse(response.body.decode())


def test_landing_page_links_to_metrics(populated):
    response = populated.get("/")
    assert response.status == 200
    assert response.headers.get("Content-Type", "").startswith("text/html")
    assert re.search(r"""<a\s[^>]*href=["']?/metrics["'>\s]""", response.body.decode(errors="replace"))


def test_health_endpoints_answer_ok(populated):
    assert populated.get("/healthz").status == 200
    assert populated.get("/readyz").status == 200


PROCESS_FAMILIES = {
    "process_cpu_seconds_total": "counter",
    "process_resident_memory_bytes": "gauge",
    "process_virtual_memory_bytes": "gauge",
    "process_open_fds": "gauge",
    "process_max_fds": "gauge",
    "process_start_time_seconds": "gauge",
    "process_threads": "gauge",
}


def proc_start_time(pid: int) -> float:
    """The process's start in Unix seconds, computed here from /proc independently of lagwatch."""
    stat = open(f"/proc/{pid}/stat").read()
    fields = stat[stat.rindex(")") + 2 :].split()
    start_ticks = int(fields[22 - 3])
    boot = next(int(line.split()[1]) for line in open("/proc/stat") if line.startswith("btime "))
    return boot + start_ticks / os.sysconf("SC_CLK_TCK")


def test_process_families_describe_the_lagwatch_process(populated):
    text = populated.raw_text()
    samples = parse(text)
    values = {}
    for name, kind in PROCESS_FAMILIES.items():
        assert f"# TYPE {name} {kind}\n" in text, name
        series = select(samples, name)
        assert list(series) == [frozenset()], f"{name}: expected one series without labels, got {series}"
        values[name] = series[frozenset()]

    pid = populated.process.pid
    soft_limit, _hard = resource.prlimit(pid, resource.RLIMIT_NOFILE)
    assert values["process_max_fds"] == soft_limit
    assert 3 <= values["process_open_fds"] <= soft_limit
    assert abs(values["process_start_time_seconds"] - proc_start_time(pid)) < 1.0
    # pollers, the HTTP server's workers and librdkafka's threads
    assert values["process_threads"] >= 3
    assert 1e6 < values["process_resident_memory_bytes"] < 2e9
    assert values["process_virtual_memory_bytes"] >= values["process_resident_memory_bytes"]
    assert values["process_cpu_seconds_total"] >= 0  # in clock ticks: 0 until the first 10 ms

    # Later bodies read /proc again: the counter advances.
    first_cpu = values["process_cpu_seconds_total"]
    workload.wait_until(
        lambda: select(parse(populated.raw_text()), "process_cpu_seconds_total")[frozenset()] > first_cpu,
        60.0,
        message="process_cpu_seconds_total advances",
    )
