"""The HTTP side on a real scrape: promtool accepts the exposition, gzip is the same text, and
the landing page links to /metrics."""

from __future__ import annotations

import gzip
import re
import shutil
import subprocess

import pytest

import scenario
import workload
from exposition import parse
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
