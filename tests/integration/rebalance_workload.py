"""Helpers of the rebalance and KIP-848 tests: a lagwatch fixture with a chosen poll interval,
classic group membership changes made one at a time (so each is exactly one rebalance), and
readers of the group series lagwatch exports from `__consumer_offsets`."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest

import workload
from exposition import select
from processes import CLUSTER_NAME, KafkaBroker, Lagwatch, free_port, lagwatch_binary, toml_list, toml_string

READER_TIMEOUT_S = 60.0


def write_config(
    path: Path, port: int, bootstrap: str, interval: str, prefix: str, partition_details: bool = False
) -> None:
    path.write_text(
        f"""[server]
listen_address = "127.0.0.1:{port}"

[poll]
interval = {toml_string(interval)}
request_timeout = "5s"

[[clusters]]
name = {toml_string(CLUSTER_NAME)}
bootstrap_servers = {toml_string(bootstrap)}

[clusters.groups]
allow = {toml_list([f"^{prefix}-.*"])}
deny = []

[clusters.topics]
allow = {toml_list([f"^{prefix}-.*"])}
deny = {toml_list(["^__"])}

[clusters.series]
partition_details = {"true" if partition_details else "false"}
"""
    )


@pytest.fixture
def lagwatch_every(kafka: KafkaBroker, request: pytest.FixtureRequest, tmp_path: Path):
    """Factory: lagwatch_every(interval, prefix) starts lagwatch polling every `interval`, watching
    the groups and topics named `prefix-*`, and waits until its `__consumer_offsets` reader has
    caught up; `partition_details=True` adds the opt-in per-partition families. Every instance is
    stopped at teardown."""
    binary = lagwatch_binary()
    if not os.access(binary, os.X_OK):
        pytest.fail(f"lagwatch binary {binary} not found: build it or set LAGWATCH_BIN")
    instances: list[Lagwatch] = []
    request.node._lagwatch_instances = instances

    def start(interval: str, prefix: str, partition_details: bool = False) -> Lagwatch:
        index = len(instances)
        port = free_port()
        config_path = tmp_path / f"lagwatch-{index}.toml"
        write_config(config_path, port, kafka.bootstrap, interval, prefix, partition_details)
        instance = Lagwatch(binary, config_path, tmp_path / f"lagwatch-{index}.log", port)
        instances.append(instance)
        instance.start()
        wait_reader_caught_up(instance)
        return instance

    yield start
    for instance in instances:
        instance.stop()


def value(instance: Lagwatch, name: str, **labels: str) -> float | None:
    """The value of the one series of `name` in the test cluster with exactly `labels` besides
    kafka_cluster, or None when there is none."""
    wanted = frozenset(labels.items())
    return select(instance.scrape(), name, kafka_cluster=CLUSTER_NAME).get(wanted)


def wait_reader_caught_up(instance: Lagwatch) -> None:
    workload.wait_until(
        lambda: value(instance, "lagwatch_offsets_reader_caught_up") == 1.0
        and value(instance, "lagwatch_rebalance_source", source="consumer_offsets") == 1.0,
        READER_TIMEOUT_S,
        message="lagwatch reading __consumer_offsets and caught up",
    )


def wait_value(instance: Lagwatch, name: str, expected: float, timeout: float = 30.0, **labels: str) -> float:
    """Waits until the series shows `expected` and returns it; on timeout returns the last value
    seen so the caller's assertion shows the difference."""
    last: list[float | None] = [None]

    def matches() -> bool:
        last[0] = value(instance, name, **labels)
        return last[0] == expected

    with contextlib.suppress(TimeoutError):
        workload.wait_until(matches, timeout, interval=0.5, message=f"{name}{labels} == {expected}")
    return last[0]  # type: ignore[return-value]


def group_series(instance: Lagwatch, group: str) -> dict[str, float | None]:
    return {
        "rebalances": value(instance, "lagwatch_group_rebalances_total", group=group),
        "generation": value(instance, "lagwatch_group_generation", group=group),
        "members": value(instance, "lagwatch_group_members", group=group),
    }


def wait_membership(bootstrap: str, group: str, members: int, timeout: float = 60.0) -> None:
    """Waits until the coordinator has finished the rebalance that gives `group` exactly
    `members` members (Stable, or Empty for none)."""
    wanted = "EMPTY" if members == 0 else "STABLE"

    def settled() -> bool:
        description = workload.describe_group(bootstrap, group)
        return description.state.name == wanted and len(description.members) == members

    workload.wait_until(settled, timeout, interval=0.2, message=f"{group} {wanted} with {members} members")


class ClassicGroup:
    """A classic-protocol group whose members join and leave one at a time; every completed
    change is exactly one rebalance (group.initial.rebalance.delay.ms=0 in the test broker) and
    is counted in `changes`."""

    def __init__(self, bootstrap: str, group: str, topic: str) -> None:
        self.bootstrap = bootstrap
        self.group = group
        self.topic = topic
        self.members: list[workload.ActiveConsumer] = []
        self.changes = 0
        self._joined = 0

    def join(self) -> None:
        self._joined += 1
        member = workload.ActiveConsumer(
            self.bootstrap, self.group, [self.topic], client_id=f"{self.group}-m{self._joined}"
        ).start()
        self.members.append(member)
        wait_membership(self.bootstrap, self.group, len(self.members))
        self.changes += 1

    def leave(self) -> None:
        member = self.members.pop()
        member.stop()
        wait_membership(self.bootstrap, self.group, len(self.members))
        self.changes += 1

    def close(self) -> None:
        while self.members:
            self.members.pop().stop()
