"""Input anyone allowed to commit offsets can shape: a group id as long as Kafka allows and a group
named to make a backtracking regex engine take exponential time. lagwatch must neither die nor
stall, also when it starts again and replays them from `__consumer_offsets`. And config input
that must fail fast: a misspelt librdkafka property, a secret path that is a FIFO."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import scenario
import workload
from exposition import labels, select
from processes import CLUSTER_NAME, free_port, lagwatch_binary, write_config

# Kafka's limit: a group id is a STRING, int16 length.
MAX_GROUP_ID_BYTES = 32767
# The case: (a+)+$ against this takes a backtracking engine minutes.
CATASTROPHIC_NAME = "a" * 30 + "!"
CATASTROPHIC_ALLOW = "(a+)+$"
# A deny pattern that backtracks exponentially on the long name's run of x.
CATASTROPHIC_DENY = "(x+x+)+y"
# The pass/fail bound on the poll of this cluster (its normal poll takes milliseconds).
POLL_BOUND_S = 2.0
COMMAND_TIMEOUT_S = 30


def committed(instance, group: str, topic: str) -> dict:
    return select(
        instance.scrape(), "lagwatch_group_partition_committed_offset", kafka_cluster=CLUSTER_NAME, group=group,
        topic=topic,
    )


def poll_duration(instance) -> float:
    durations = select(instance.scrape(), "lagwatch_poll_duration_seconds", kafka_cluster=CLUSTER_NAME)
    assert durations, "no lagwatch_poll_duration_seconds"
    return max(durations.values())


def assert_exports_long_group(instance, long_group: str, topic: str, prefix: str) -> None:
    workload.wait_until(
        lambda: committed(instance, long_group, topic) == {labels(partition=0): 7.0},
        30.0,
        message="the long-named group's committed offset",
    )
    # Several polls in a row, each well inside the bound; the process is still there.
    for _ in range(3):
        before = select(
            instance.scrape(), "lagwatch_last_successful_poll_timestamp_seconds", kafka_cluster=CLUSTER_NAME
        )
        workload.wait_until(
            lambda: select(
                instance.scrape(), "lagwatch_last_successful_poll_timestamp_seconds", kafka_cluster=CLUSTER_NAME
            )
            != before,
            30.0,
            message="another successful poll",
        )
        assert poll_duration(instance) < POLL_BOUND_S
    samples = instance.scrape()
    assert select(samples, "lagwatch_up", kafka_cluster=CLUSTER_NAME) == {frozenset(): 1.0}
    assert committed(instance, long_group, topic) == {labels(partition=0): 7.0}
    lags = select(samples, "lagwatch_group_partition_lag", kafka_cluster=CLUSTER_NAME, group=long_group, topic=topic)
    assert lags == {labels(partition=0): 3.0}
    # The catastrophic name matches neither pattern, so it is not exported; nothing else of ours is.
    exported = {dict(key).get("group") for key in select(samples, "lagwatch_group_lag", kafka_cluster=CLUSTER_NAME)}
    assert CATASTROPHIC_NAME not in exported
    assert {g for g in exported if g and g.startswith(prefix)} == {long_group}
    assert instance.is_running()


def test_longest_group_id_and_catastrophic_patterns_across_a_restart(kafka, lagwatch):
    prefix = scenario.unique_prefix("hostile")
    topic = f"{prefix}-t"
    long_group = prefix + "-" + "x" * (MAX_GROUP_ID_BYTES - len(prefix) - 1)
    assert len(long_group.encode()) == MAX_GROUP_ID_BYTES
    workload.create_topic(kafka.bootstrap, topic, 1)
    workload.produce(kafka.bootstrap, topic, {0: 10})
    workload.commit_offsets(kafka.bootstrap, long_group, [(topic, 0, 7)])
    workload.commit_offsets(kafka.bootstrap, CATASTROPHIC_NAME, [(topic, 0, 1)])
    try:
        assert workload.committed_offsets(kafka.bootstrap, long_group) == {(topic, 0): 7}

        patterns = {
            "groups_allow": [f"{prefix}-x*", CATASTROPHIC_ALLOW],
            "groups_deny": [CATASTROPHIC_DENY],
            "topics_allow": [f"{prefix}-.*"],
        }
        first = lagwatch(**patterns)
        assert_exports_long_group(first, long_group, topic, prefix)
        first.stop()

        # A new process replays both records from __consumer_offsets before it is ready.
        second = lagwatch(**patterns)
        assert_exports_long_group(second, long_group, topic, prefix)
    finally:
        # The broker is shared by the session, and Kafka's own kafka-consumer-groups
        # --describe --all-groups prints nothing while a 32,767-byte group id exists: later
        # tests compare with that tool.
        for group in (long_group, CATASTROPHIC_NAME):
            workload.delete_group(kafka.bootstrap, group)


def run_check_config(config: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(lagwatch_binary()), "--check-config", str(config)],
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT_S,
        stdin=subprocess.DEVNULL,
    )


def config_with_properties(tmp_path: Path, properties: str) -> Path:
    path = tmp_path / "lagwatch.toml"
    write_config(path, free_port(), "127.0.0.1:9", CLUSTER_NAME, [".*"], [], [], [])
    path.write_text(path.read_text() + "\n[clusters.librdkafka]\n" + properties)
    return path


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), start=1) if text in line)


def test_check_config_rejects_an_unknown_librdkafka_property(tmp_path):
    config = config_with_properties(tmp_path, '"client.id" = "lw"\n"socket.timeout.msx" = "5000"\n')
    result = run_check_config(config)
    assert result.returncode == 1, result.stdout
    line = line_of(config, "socket.timeout.msx")
    assert f"{config}:{line}: clusters[0].librdkafka.socket.timeout.msx: " in result.stderr
    assert "No such configuration property" in result.stderr


def test_start_up_rejects_an_invalid_librdkafka_value(tmp_path):
    config = config_with_properties(tmp_path, '"security.protocol" = "carrier-pigeon"\n')
    result = subprocess.run(
        [str(lagwatch_binary()), "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT_S,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 1
    assert f"{config}:{line_of(config, 'security.protocol')}: clusters[0].librdkafka.security.protocol: " in (
        result.stderr
    )


def test_check_config_refuses_a_fifo_secret_without_waiting(tmp_path):
    fifo = tmp_path / "password"
    os.mkfifo(fifo)
    config = config_with_properties(tmp_path, f'"sasl.password" = {{ file = "{fifo}" }}\n')
    result = run_check_config(config)  # would time out if it blocked on the FIFO
    assert result.returncode == 1
    assert f'cannot read file "{fifo}": not a regular file (a FIFO)' in result.stderr
