"""Rebalance counts at the edges, against what the coordinator itself wrote to
`__consumer_offsets` (decoded here from the raw records): the first join of a new group counts
the same on Kafka 3 and 4 (generation 0 is the creation), and a classic group upgraded online to
the consumer protocol and downgraded again keeps counting every generation/epoch change."""

from __future__ import annotations

import struct

import pytest
from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaError, TopicPartition

import scenario
import workload
from processes import wait_for_fresh_poll
from rebalance_workload import ClassicGroup, lagwatch_every, value, wait_membership, wait_value  # noqa: F401

pytestmark = pytest.mark.usefixtures("kafka")

OFFSETS_TOPIC = "__consumer_offsets"


def _read_string(data: bytes, at: int) -> tuple[str, int]:
    (length,) = struct.unpack_from(">h", data, at)
    return data[at + 2 : at + 2 + length].decode(), at + 2 + length


def _read_uvarint(data: bytes, at: int) -> tuple[int, int]:
    result, shift = 0, 0
    while True:
        byte = data[at]
        at += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, at
        shift += 7


def _generation(record_type: int, value_bytes: bytes) -> int:
    """Generation (type 2, classic group metadata) or group epoch (type 3, consumer group
    metadata) from a record value: int16 version, then the fields."""
    (version,) = struct.unpack_from(">h", value_bytes, 0)
    if record_type == 3:
        return struct.unpack_from(">i", value_bytes, 2)[0]  # Epoch comes first
    at = 2
    if version >= 4:  # flexible: compact string
        length, at = _read_uvarint(value_bytes, at)
        at += max(0, length - 1)
    else:
        _, at = _read_string(value_bytes, at)
    return struct.unpack_from(">i", value_bytes, at)[0]


def coordinator_generations(bootstrap: str, group: str, timeout: float = 30.0) -> list[int]:
    """Every generation/epoch value the coordinator wrote for `group`, in log order (a group
    lives in one partition of the topic); tombstones are skipped."""
    consumer = Consumer(
        {"bootstrap.servers": bootstrap, "group.id": "lagwatch-test-truth", "enable.auto.commit": False}
    )
    try:
        metadata = consumer.list_topics(OFFSETS_TOPIC, timeout=10)
        partitions = list(metadata.topics[OFFSETS_TOPIC].partitions)
        ends = {p: consumer.get_watermark_offsets(TopicPartition(OFFSETS_TOPIC, p), timeout=10)[1] for p in partitions}
        pending = {p for p, end in ends.items() if end > 0}
        consumer.assign([TopicPartition(OFFSETS_TOPIC, p, OFFSET_BEGINNING) for p in pending])
        found: list[tuple[int, int, int]] = []
        wanted = group.encode()

        def read() -> bool:
            for message in consumer.consume(500, timeout=0.5):
                if message.error() is not None:
                    if message.error().code() != KafkaError._PARTITION_EOF:
                        raise RuntimeError(message.error())
                    continue
                key = message.key()
                if message.offset() + 1 >= ends[message.partition()]:
                    pending.discard(message.partition())
                (record_type,) = struct.unpack_from(">h", key, 0)
                if record_type not in (2, 3) or message.value() is None:
                    continue
                name, _ = _read_string(key, 2)
                if name.encode() == wanted:
                    found.append((message.partition(), message.offset(), _generation(record_type, message.value())))
            return not pending

        workload.wait_until(read, timeout, interval=0.0, message=f"{OFFSETS_TOPIC} read to its end")
        return [generation for _, _, generation in sorted(found)]
    finally:
        consumer.close()


def changes_from_creation(generations: list[int]) -> int:
    """Generation/epoch changes counted from the group's creation at generation 0."""
    total, last = 0, 0
    for generation in generations:
        total += max(0, generation - last)
        last = generation
    return total


def settle(instance, bootstrap: str, group: str) -> tuple[list[int], float | None]:
    """The coordinator's generations once lagwatch shows the last one, and lagwatch's count."""
    generations = coordinator_generations(bootstrap, group)
    assert generations, f"no generation records for {group}"
    wait_value(instance, "lagwatch_group_generation", float(generations[-1]), group=group)
    wait_for_fresh_poll(instance)
    return generations, value(instance, "lagwatch_group_rebalances_total", group=group)


def test_first_join_counts_the_same_on_every_kafka_version(kafka, lagwatch_every):
    prefix = scenario.unique_prefix("edgegen")
    topic, name = f"{prefix}-t", f"{prefix}-g"
    workload.create_topic(kafka.bootstrap, topic, 2)
    instance = lagwatch_every("1s", prefix)
    group = ClassicGroup(kafka.bootstrap, name, topic)
    try:
        group.join()
        group.join()
        group.leave()
    finally:
        group.close()
    wait_membership(kafka.bootstrap, name, 0)
    generations, rebalances = settle(instance, kafka.bootstrap, name)
    # Join, join, leave, leave: four completed changes from the creation, on Kafka 3 and 4
    # alike, whether or not the broker wrote the generation-0 record.
    assert changes_from_creation(generations) == 4, generations
    assert rebalances == 4.0, (generations, rebalances)
    assert rebalances == value(instance, "lagwatch_group_generation", group=name)
    help_text = next(line for line in instance.raw_text().splitlines() if line.startswith("# HELP lagwatch_group_rebalances_total"))
    assert "Generation 0" in help_text


def test_protocol_conversions_count_every_generation_change(kafka, lagwatch_every):
    if not kafka.supports_kip848:
        pytest.skip(f"online protocol conversion needs Kafka 4 (broker is {kafka.version})")
    prefix = scenario.unique_prefix("edgeconv")
    topic, name = f"{prefix}-t", f"{prefix}-g"
    workload.create_topic(kafka.bootstrap, topic, 2)
    # Records to consume: the members commit offsets, which a converted group keeps.
    workload.produce(kafka.bootstrap, topic, {0: 20, 1: 20})
    instance = lagwatch_every("1s", prefix)
    classic = ClassicGroup(kafka.bootstrap, name, topic)
    try:
        classic.join()
        workload.wait_until(
            lambda: len(workload.committed_offsets(kafka.bootstrap, name)) == 2, message=f"{name} committed"
        )
        # A consumer-protocol member joins the classic group: online upgrade.
        with workload.ActiveConsumer(
            kafka.bootstrap, name, [topic], protocol="consumer", client_id=f"{name}-new"
        ) as upgraded:
            workload.wait_until(
                lambda: len(coordinator_generations(kafka.bootstrap, name)) >= 4,
                60.0,
                interval=0.5,
                message=f"{name} upgraded and rebalanced",
            )
            assert not upgraded.errors
        # The consumer-protocol member left: downgraded back to a classic group.
        wait_membership(kafka.bootstrap, name, 1)
        classic.leave()
    finally:
        classic.close()
    generations, rebalances = settle(instance, kafka.bootstrap, name)
    truth = changes_from_creation(generations)
    assert truth >= 4, generations
    assert rebalances == float(truth), (generations, rebalances)


def test_assigned_partition_without_a_commit_is_visible(kafka, lagwatch_every):
    prefix = scenario.unique_prefix("edgeuncommitted")
    topic, name = f"{prefix}-t", f"{prefix}-g"
    workload.create_topic(kafka.bootstrap, topic, 2)
    workload.produce(kafka.bootstrap, topic, {0: 5})  # only partition 0 gets records to commit
    instance = lagwatch_every("1s", prefix, partition_details=True)
    # The series budget: without partition_details only the group's count is exported.
    budget = lagwatch_every("1s", prefix)
    group = ClassicGroup(kafka.bootstrap, name, topic)
    try:
        group.join()
        workload.wait_until(
            lambda: workload.committed_offsets(kafka.bootstrap, name) == {(topic, 0): 5}, message=f"{name} committed"
        )
        labels = {"group": name, "topic": topic}
        assert wait_value(instance, "lagwatch_group_uncommitted_partitions", 1.0, group=name) == 1.0
        assert value(instance, "lagwatch_group_partition_uncommitted", partition="1", **labels) == 1.0
        assert wait_value(budget, "lagwatch_group_uncommitted_partitions", 1.0, group=name) == 1.0
        assert value(budget, "lagwatch_group_partition_uncommitted", partition="1", **labels) is None
        assert value(instance, "lagwatch_group_partition_uncommitted", partition="0", **labels) is None
        assert value(instance, "lagwatch_group_partition_lag", partition="0", **labels) == 0.0
        # Once it commits there too, the partition is an ordinary one.
        workload.produce(kafka.bootstrap, topic, {1: 3})
        assert wait_value(instance, "lagwatch_group_uncommitted_partitions", 0.0, group=name) == 0.0
        assert value(instance, "lagwatch_group_partition_uncommitted", partition="1", **labels) is None
    finally:
        group.close()
