"""The status page's JSON API and `lagwatch describe` against Kafka's own answer: a group with
known lag, one caught up (with a name that needs URL encoding), no secret anywhere."""

from __future__ import annotations

import json
import subprocess
import urllib.parse

import pytest

import kafka_tools
import scenario
import workload
from processes import CLUSTER_NAME, lagwatch_binary, wait_for_fresh_poll

SECRET = "status-page-secret-7f3a"
COMMAND_TIMEOUT_S = 30


@pytest.fixture(scope="module")
def known_lag(kafka):
    prefix = scenario.unique_prefix("status")
    topic = f"{prefix}-orders"
    workload.create_topic(kafka.bootstrap, topic, 2)
    workload.produce(kafka.bootstrap, topic, {0: 30, 1: 10})
    slow, fast = f"{prefix}-slow", f"{prefix}-fast a/b c?#%"
    workload.commit_offsets(kafka.bootstrap, slow, [(topic, 0, 5), (topic, 1, 2)])
    workload.commit_offsets(kafka.bootstrap, fast, [(topic, 0, 30), (topic, 1, 10)])
    return prefix, topic, slow, fast


@pytest.fixture
def instance(lagwatch, known_lag):
    prefix = known_lag[0]
    started = lagwatch(
        groups_allow=[f"{prefix}-.*"],
        topics_allow=[f"{prefix}-.*"],
        extra_config=f'[clusters.librdkafka]\n"sasl.password" = "{SECRET}"',
    )
    wait_for_fresh_poll(started)
    return started


def get_json(instance, path: str):
    response = instance.get(path)
    assert response.headers.get("Content-Type") == "application/json", response.headers
    return response.status, json.loads(response.body)


def group_path(cluster: str, group: str) -> str:
    return "/api/v1/groups/" + urllib.parse.quote(cluster, safe="") + "/" + urllib.parse.quote(group, safe="")


def describe(instance, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(lagwatch_binary()), "describe", "--url", instance.url, *args],
        capture_output=True, text=True, timeout=COMMAND_TIMEOUT_S, stdin=subprocess.DEVNULL,
    )


def partition_rows(document) -> dict[tuple[str, str, int], tuple[int, int, int]]:
    return {
        (document["name"], p["topic"], p["partition"]): (p["committed_offset"], p["log_end_offset"], p["lag"])
        for p in document["topic_partitions"]
    }


def test_api_equals_kafka_consumer_groups_describe(kafka, known_lag, instance):
    _, topic, slow, fast = known_lag
    clusters = get_json(instance, "/api/v1/clusters")[1]["clusters"]
    assert [c["name"] for c in clusters] == [CLUSTER_NAME]
    assert clusters[0]["up"] is True and clusters[0]["groups"] == 2 and clusters[0]["series"] > 0
    assert clusters[0]["last_success_unix_seconds"] > 0 and "metadata" in clusters[0]["stage_duration_seconds"]

    status, document = get_json(instance, group_path(CLUSTER_NAME, slow))
    assert status == 200, document
    assert partition_rows(document) == kafka_tools.committed_rows(kafka.consumer_groups("--describe", "--group", slow))
    assert document["name"] == slow and document["lag"] == 25 + 8

    # kafka-consumer-groups' table cannot be split where the name has spaces: known values.
    status, document = get_json(instance, group_path(CLUSTER_NAME, fast))
    assert status == 200, document
    assert partition_rows(document) == {(fast, topic, 0): (30, 30, 0), (fast, topic, 1): (10, 10, 0)}

    groups = get_json(instance, "/api/v1/groups")[1]["groups"]
    assert [g["name"] for g in groups] == [slow, fast], "the lagging group ranks first"
    assert groups[0]["lag"] == 33 and groups[1]["lag"] == 0 and groups[1]["health"] == "ok"
    assert {"cluster", "lag", "lag_seconds", "health", "members", "rebalances"} <= set(groups[0])


def test_unknown_groups_and_clusters_are_404(known_lag, instance):
    _, _, slow, _ = known_lag
    assert get_json(instance, group_path(CLUSTER_NAME, slow + "-nope"))[0] == 404
    assert get_json(instance, group_path("no-such-cluster", slow))[0] == 404


def test_describe_prints_what_kafka_prints(kafka, known_lag, instance):
    _, topic, slow, fast = known_lag
    result = describe(instance, slow)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "CLUSTER", "GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG",
        "LAG-SECONDS", "HEALTH", "REBALANCES",
    ]
    printed = {(row[1], row[2], int(row[3])): (int(row[4]), int(row[5]), int(row[6])) for row in map(str.split, lines[1:])}
    assert printed == kafka_tools.committed_rows(kafka.consumer_groups("--describe", "--group", slow))

    listing = describe(instance)
    assert listing.returncode == 0, listing.stderr
    rows = listing.stdout.splitlines()
    assert rows[0].split()[:2] == ["CLUSTER", "GROUP"]
    assert rows[1].split()[1] == slow and rows[1].split()[5] == "33"
    assert fast in rows[2]

    # A name that needs URL encoding is found too.
    assert describe(instance, fast).returncode == 0


def test_describe_fails_clearly(known_lag, instance):
    _, _, slow, _ = known_lag
    unknown = describe(instance, slow + "-nope")
    assert unknown.returncode == 1
    assert "is unknown" in unknown.stderr and unknown.stdout == ""
    unreachable = subprocess.run(
        [str(lagwatch_binary()), "describe", "--url", "http://127.0.0.1:9", slow],
        capture_output=True, text=True, timeout=COMMAND_TIMEOUT_S, stdin=subprocess.DEVNULL,
    )
    assert unreachable.returncode == 1
    assert "cannot read http://127.0.0.1:9/api/v1/clusters" in unreachable.stderr


def test_no_secret_on_page_or_api(known_lag, instance):
    _, _, slow, _ = known_lag
    cluster = CLUSTER_NAME
    page = instance.get("/").body.decode(errors="replace")
    assert "sasl.password" in page and "<redacted>" in page.replace("&lt;", "<").replace("&gt;", ">")
    for body in (page, instance.get("/api/v1/clusters").body.decode(), instance.get("/api/v1/groups").body.decode(),
                 instance.get(group_path(cluster, slow)).body.decode()):
        assert SECRET not in body
