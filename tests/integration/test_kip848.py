"""KIP-848 ("consumer" protocol) groups, which classic DescribeGroups shows as Dead with no
members: lagwatch reports their real state, members, group epoch and lag from
`__consumer_offsets`. Needs Kafka 4 and confluent-kafka >= 2.12."""

from __future__ import annotations

import contextlib

import pytest

import scenario
import workload
from kafka_tools import parse_tables
from processes import wait_for_fresh_poll
from rebalance_workload import lagwatch_every, value, wait_value  # noqa: F401

RECORDS = {0: 10, 1: 20, 2: 30}


@pytest.fixture(autouse=True)
def _kafka4_only(kafka):
    if not kafka.supports_kip848:
        pytest.skip(f"KIP-848 groups need Kafka 4 (broker is {kafka.version})")


def group_epoch(kafka, group: str) -> int:
    """GROUP-EPOCH as Kafka's own kafka-consumer-groups reports it."""
    text = kafka.consumer_groups("--describe", "--group", group, "--state", "--verbose")
    for header, row in parse_tables(text):
        if row[0] == group and "GROUP-EPOCH" in header:
            # Count from the end: ASSIGNMENT-STRATEGY may be blank.
            return int(row[len(row) - (len(header) - header.index("GROUP-EPOCH"))])
    raise AssertionError(f"no GROUP-EPOCH for {group} in:\n{text}")


def state_of(instance, group: str) -> dict[str, float]:
    states = ("stable", "empty", "assigning", "reconciling", "dead", "unknown")
    found = {s: value(instance, "lagwatch_group_state", group=group, state=s) for s in states}
    return {s: v for s, v in found.items() if v}  # states exported as 0 are not the state


def test_consumer_protocol_group_state_members_epoch_and_lag(kafka, lagwatch_every):
    prefix = scenario.unique_prefix("k848")
    topic, group = f"{prefix}-t", f"{prefix}-g"
    workload.create_topic(kafka.bootstrap, topic, len(RECORDS))
    workload.produce(kafka.bootstrap, topic, RECORDS)
    instance = lagwatch_every("1s", prefix)

    with contextlib.ExitStack() as members:
        first = members.enter_context(workload.ActiveConsumer(kafka.bootstrap, group, [topic], protocol="consumer"))
        first.wait_assigned()
        workload.wait_until(
            lambda: workload.committed_offsets(kafka.bootstrap, group) == {(topic, p): n for p, n in RECORDS.items()},
            message=f"{group} caught up",
        )
        assert wait_value(instance, "lagwatch_group_members", 1.0, group=group) == 1.0
        epoch = group_epoch(kafka, group)
        assert wait_value(instance, "lagwatch_group_generation", float(epoch), group=group) == float(epoch)
        wait_for_fresh_poll(instance)
        assert state_of(instance, group) == {"stable": 1.0}
        for partition, count in RECORDS.items():
            labels = {"group": group, "topic": topic, "partition": str(partition)}
            assert value(instance, "lagwatch_group_partition_committed_offset", **labels) == float(count)
            assert value(instance, "lagwatch_group_partition_lag", **labels) == 0.0
        rebalances_one = value(instance, "lagwatch_group_rebalances_total", group=group)

        # Once the member is gone, new records show as lag of the empty group.
        members.close()
    workload.wait_until(
        lambda: workload.describe_group(kafka.bootstrap, group).state.name == "EMPTY",
        message=f"{group} empty",
    )
    workload.produce(kafka.bootstrap, topic, {0: 5})
    epoch_after_leave = group_epoch(kafka, group)
    assert wait_value(instance, "lagwatch_group_members", 0.0, group=group) == 0.0
    assert wait_value(instance, "lagwatch_group_generation", float(epoch_after_leave), group=group) == float(
        epoch_after_leave
    )
    wait_for_fresh_poll(instance)
    assert state_of(instance, group) == {"empty": 1.0}
    assert value(instance, "lagwatch_group_partition_lag", group=group, topic=topic, partition="0") == 5.0
    assert value(instance, "lagwatch_group_rebalances_total", group=group) == rebalances_one + (
        epoch_after_leave - epoch
    )


def test_consumer_protocol_group_epoch_increases_are_rebalances(kafka, lagwatch_every):
    prefix = scenario.unique_prefix("k848r")
    topic, group = f"{prefix}-t", f"{prefix}-g"
    workload.create_topic(kafka.bootstrap, topic, 4)
    instance = lagwatch_every("1s", prefix)

    with workload.ActiveConsumer(kafka.bootstrap, group, [topic], protocol="consumer") as first:
        first.wait_assigned()
        assert wait_value(instance, "lagwatch_group_members", 1.0, group=group) == 1.0
        start_epoch = group_epoch(kafka, group)
        wait_value(instance, "lagwatch_group_generation", float(start_epoch), group=group)
        start_rebalances = value(instance, "lagwatch_group_rebalances_total", group=group)

        with workload.ActiveConsumer(kafka.bootstrap, group, [topic], protocol="consumer", client_id=f"{group}-2"):
            assert wait_value(instance, "lagwatch_group_members", 2.0, group=group) == 2.0
            workload.wait_until(
                lambda: state_of(instance, group) == {"stable": 1.0}, message=f"{group} stable with two members"
            )
        assert wait_value(instance, "lagwatch_group_members", 1.0, group=group) == 1.0
        end_epoch = group_epoch(kafka, group)
        assert end_epoch > start_epoch
        assert wait_value(instance, "lagwatch_group_generation", float(end_epoch), group=group) == float(end_epoch)
        wait_for_fresh_poll(instance)
        assert value(instance, "lagwatch_group_rebalances_total", group=group) - start_rebalances == (
            end_epoch - start_epoch
        )
