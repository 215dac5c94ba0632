"""The status page in a real browser: Debian's chromium, headless, renders / of a lagwatch that
watches two clusters (both on one real broker) with two groups, one far behind. A screenshot is
kept as a CI artifact; the DOM chromium built (inline script run) is checked."""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

import scenario
import workload
from processes import CLUSTER_NAME, REPO_ROOT, toml_string

SECRET = "page-suite-secret-91c2"
SECOND_CLUSTER = "second"
WINDOW = (1280, 1600)
CHROMIUM_TIMEOUT_S = 60
ARTIFACTS = Path(os.environ.get("LAGWATCH_PAGE_ARTIFACTS", REPO_ROOT / "build" / "page-artifacts"))


def chromium(profile: Path, *args: str) -> subprocess.CompletedProcess:
    binary = shutil.which("chromium")
    if binary is None:
        pytest.fail("chromium is missing: run scripts/install-deps.sh")
    # Chromium's sandbox cannot start as root; as any other user it stays on.
    sandbox = ["--no-sandbox"] if os.geteuid() == 0 else []
    return subprocess.run(
        [binary, "--headless", *sandbox, "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage",
         f"--user-data-dir={profile}", f"--window-size={WINDOW[0]},{WINDOW[1]}", *args],
        capture_output=True, text=True, timeout=CHROMIUM_TIMEOUT_S, stdin=subprocess.DEVNULL,
    )


class StatusDom(HTMLParser):
    """What the checks read of the page: the cluster table's first cells, each group entry's
    cluster and name in order, the data-age texts, and all text."""

    def __init__(self) -> None:
        super().__init__()
        self.clusters: list[str] = []
        self.groups: list[dict[str, str]] = []
        self.ages: list[str] = []
        self.text: list[str] = []
        self._stack: list[tuple[str, dict[str, str]]] = []
        self._in_clusters = False
        self._cell = 0

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        self._stack.append((tag, attributes))
        if tag == "table" and attributes.get("id") == "clusters":
            self._in_clusters = True
        elif tag == "tr" and self._in_clusters:
            self._cell = 0
        elif tag == "td" and self._in_clusters:
            self._cell += 1
        elif tag == "details" and "group" in attributes.get("class", "").split():
            self.groups.append({})

    def handle_endtag(self, tag):
        while self._stack:
            open_tag, _ = self._stack.pop()
            if open_tag == tag:
                break
        if tag == "table":
            self._in_clusters = False

    def handle_data(self, data):
        self.text.append(data)
        if not self._stack:
            return
        tag, attributes = self._stack[-1]
        if self._in_clusters and tag == "td" and self._cell == 1:
            self.clusters.append(data)
        classes = attributes.get("class", "").split()
        if tag == "span" and "age" in classes:
            self.ages.append(data)
        if tag == "span" and self.groups and ("cluster" in classes or "name" in classes):
            self.groups[-1]["cluster" if "cluster" in classes else "name"] = data


@pytest.fixture(scope="module")
def two_groups(kafka):
    prefix = scenario.unique_prefix("page")
    topic = f"{prefix}-orders"
    workload.create_topic(kafka.bootstrap, topic, 2)
    workload.produce(kafka.bootstrap, topic, {0: 400, 1: 400})
    slow, fast = f"{prefix}-slow", f"{prefix}-fast"
    workload.commit_offsets(kafka.bootstrap, slow, [(topic, 0, 1), (topic, 1, 1)])
    workload.commit_offsets(kafka.bootstrap, fast, [(topic, 0, 400), (topic, 1, 400)])
    return prefix, slow, fast


def test_status_page_in_chromium(kafka, lagwatch, two_groups, tmp_path):
    prefix, slow, fast = two_groups
    second = f"""[clusters.librdkafka]
"sasl.password" = {toml_string(SECRET)}

[[clusters]]
name = {toml_string(SECOND_CLUSTER)}
bootstrap_servers = {toml_string(kafka.bootstrap)}

[clusters.groups]
allow = [{toml_string(prefix + "-.*")}]

[clusters.topics]
allow = [{toml_string(prefix + "-.*")}]
"""
    instance = lagwatch(groups_allow=[f"{prefix}-.*"], topics_allow=[f"{prefix}-.*"], extra_config=second)

    def ranked():
        groups = json.loads(instance.get("/api/v1/groups").body)["groups"]
        return len(groups) == 4 and all(
            g["name"] == slow and g["lag_seconds"] is not None for g in groups[:1]
        ) and groups

    workload.wait_until(ranked, 60, message="both clusters' groups, the lagging one ranked first with its lag seconds")

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    screenshot = ARTIFACTS / "status-page.png"
    screenshot.unlink(missing_ok=True)
    shot = chromium(tmp_path / "profile-shot", f"--screenshot={screenshot}", instance.url + "/")
    assert shot.returncode == 0, shot.stderr
    png = screenshot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert struct.unpack(">II", png[16:24]) == WINDOW, "the screenshot has the window's size"

    dumped = chromium(tmp_path / "profile-dom", "--dump-dom", "--virtual-time-budget=3000", instance.url + "/")
    assert dumped.returncode == 0, dumped.stderr
    (ARTIFACTS / "status-page.dom.html").write_text(dumped.stdout)
    dom = StatusDom()
    dom.feed(dumped.stdout)

    assert dom.clusters == [CLUSTER_NAME, SECOND_CLUSTER]
    assert dom.groups[0]["name"] == slow, f"the lagging group is listed first: {dom.groups}"
    assert {(g["cluster"], g["name"]) for g in dom.groups} == {
        (c, g) for c in (CLUSTER_NAME, SECOND_CLUSTER) for g in (slow, fast)
    }
    # The inline script turned each cluster's data timestamp into its age.
    assert len(dom.ages) == 2 and all(age.endswith(" s ago") and age.split()[0].isdigit() for age in dom.ages), dom.ages
    # Each group's partitions are in its <details>, shown on click.
    first = dumped.stdout[dumped.stdout.index("<details"):]
    first = first[: first.index("</details>")]
    assert 'class="partitions"' in first and first.count("<tr>") == 1 + 2, first
    text = "".join(dom.text)
    assert "sasl.password" in text and "<redacted>" in text
    assert SECRET not in dumped.stdout
