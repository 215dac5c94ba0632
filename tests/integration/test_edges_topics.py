"""Lag in seconds at the edges of a topic's life: a topic deleted and re-created between two polls
(no poll sees it absent) must not keep the old topic's cached record timestamp or watermark
history, and exact mode reads the first record at or after the committed offset on a compacted
topic instead of giving up."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import NewTopic

import lag_seconds_workload as lsw
import scenario
import workload
from processes import Lagwatch, between_polls, free_port, lagwatch_binary, wait_for_fresh_poll
from test_lag_seconds import EXACT, LAG_SECONDS, LOWER_BOUND, start_lagwatch  # noqa: F401

EXACT_TOLERANCE_S = 1.0
SLOW_POLL_S = 6.0


@pytest.fixture
def slow_lagwatch(kafka, request: pytest.FixtureRequest, tmp_path: Path):
    binary = lagwatch_binary()
    if not os.access(binary, os.X_OK):
        pytest.fail(f"lagwatch binary {binary} not found: build it or set LAGWATCH_BIN")
    instances: list[Lagwatch] = []
    request.node._lagwatch_instances = instances

    def start(prefix: str, exact_groups) -> Lagwatch:
        port = free_port()
        config_path = tmp_path / f"lagwatch-{len(instances)}.toml"
        lsw.write_config(config_path, port, kafka.bootstrap, prefix, "exact", exact_groups)
        # Polls far enough apart for a topic to be deleted and re-created between two.
        config_path.write_text(
            config_path.read_text().replace('interval = "1s"', f'interval = "{int(SLOW_POLL_S)}s"', 1)
        )
        instance = Lagwatch(binary, config_path, tmp_path / f"lagwatch-{len(instances)}.log", port)
        instances.append(instance)
        instance.start()
        return instance

    yield start
    for instance in instances:
        instance.stop()


def recreate_topic(bootstrap: str, topic: str, partitions: int = 1) -> None:
    """Creates `topic` again right after its deletion, retrying while the broker still has the
    old one marked for deletion."""

    def created() -> bool:
        try:
            workload.create_topic(bootstrap, topic, partitions)
        except Exception:  # noqa: BLE001 - TopicExists while the deletion completes
            return False
        return True

    workload.wait_until(created, 30.0, interval=0.1, message=f"{topic} re-created")


COMMITTED = 60


def poll_the_old_topic(bootstrap: str, slow_lagwatch, prefix: str, deleted_below: int):
    """Topic `prefix`-t with 100 records 1,000 s old (those below `deleted_below` deleted), groups
    `prefix`-exact and `prefix`-estimated at COMMITTED, and a lagwatch that has read the old
    record for both and polled twice more. Returns the lagwatch, the first record's timestamp
    (ms) and the scrape that showed both values."""
    topic, exact, estimated = f"{prefix}-t", f"{prefix}-exact", f"{prefix}-estimated"
    workload.create_topic(bootstrap, topic, 1)
    old = lsw.now_ms() - 1_000_000
    lsw.produce_timestamped(bootstrap, topic, 0, [old + i * 1000 for i in range(100)])
    if deleted_below:
        assert lsw.delete_records(bootstrap, topic, 0, deleted_below) == deleted_below
    for group in (exact, estimated):
        workload.commit_offsets(bootstrap, group, [(topic, 0, COMMITTED)])
    instance = slow_lagwatch(prefix, [exact])

    def old_topic_read(samples: dict) -> bool:
        return lsw.partition_value(samples, EXACT, exact, topic, 0) == 1.0 and lsw.partition_value(
            samples, LAG_SECONDS, estimated, topic, 0
        ) is not None

    samples = lsw.wait_for_samples(instance, old_topic_read, 40, "the old topic's lag in seconds")
    wait_for_fresh_poll(instance)  # the estimate's history now spans more than one poll
    return instance, old, samples


def recreate_between_polls(bootstrap: str, instance, topic: str, groups, committed: int) -> tuple[int, list[int]]:
    """Deletes and re-creates `topic` right after a poll finished, writes 120 records stamped
    just now and commits `committed` for `groups`; skips the test if a poll saw any of it.
    Returns when the records were written (ms) and their timestamps."""
    written: dict[str, object] = {}

    def recreate() -> None:
        workload.delete_topic(bootstrap, topic)
        recreate_topic(bootstrap, topic)
        written["start"] = start = lsw.now_ms()
        written["stamps"] = stamps = [start - 120 + i for i in range(120)]
        lsw.produce_timestamped(bootstrap, topic, 0, stamps)
        for group in groups:
            workload.commit_offsets(bootstrap, group, [(topic, 0, committed)])

    if not between_polls(instance, recreate, SLOW_POLL_S):
        pytest.skip("a poll saw the topic while it was re-created (machine too slow)")
    return written["start"], written["stamps"]


def test_recreated_topic_forgets_the_old_topics_timestamps_and_history(kafka, slow_lagwatch):
    prefix = scenario.unique_prefix("edgerecreate")
    topic, exact, estimated = f"{prefix}-t", f"{prefix}-exact", f"{prefix}-estimated"
    committed = COMMITTED
    instance, _old, _samples = poll_the_old_topic(kafka.bootstrap, slow_lagwatch, prefix, deleted_below=50)
    # More records than the old topic had: only the log start (50 -> 0) went back.
    start, stamps = recreate_between_polls(kafka.bootstrap, instance, topic, (exact, estimated), committed)

    # Two polls of the new topic: the exact sample is read again, the estimate starts over.
    wait_for_fresh_poll(instance)
    samples = lsw.wait_for_samples(
        instance,
        # The estimate's history starts over too: like on a first poll it has no value until the
        # new topic has a second point.
        lambda s: lsw.partition_value(s, EXACT, exact, topic, 0) == 1.0
        and lsw.partition_value(s, LAG_SECONDS, estimated, topic, 0) is not None,
        3 * SLOW_POLL_S,
        "the new topic's exact lag and estimate",
    )
    truth = lsw.poll_time(samples) - stamps[committed] / 1000
    reported = lsw.partition_value(samples, LAG_SECONDS, exact, topic, 0)
    assert reported == pytest.approx(truth, abs=EXACT_TOLERANCE_S), (reported, truth)
    # The estimate may be a lower bound, never above the truth (records appended just now).
    estimate = lsw.partition_value(samples, LAG_SECONDS, estimated, topic, 0)
    appended_age = lsw.poll_time(samples) - start / 1000
    assert estimate is not None and estimate <= appended_age + EXACT_TOLERANCE_S, (estimate, appended_age)


def first_offset_at_or_after(bootstrap: str, topic: str, offset: int) -> int:
    """The offset of the first record of `topic` partition 0 at or after `offset`."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "lagwatch-test-compaction", "enable.auto.commit": False})
    try:
        consumer.assign([TopicPartition(topic, 0, offset)])
        message = workload.wait_until(lambda: consumer.poll(0.5), 10.0, message=f"a record of {topic}")
        return message.offset()
    finally:
        consumer.close()


def test_exact_mode_reads_the_record_after_a_compacted_offset(kafka, start_lagwatch):
    prefix = scenario.unique_prefix("edgecompact")
    topic, hole, survivor = f"{prefix}-t", f"{prefix}-hole", f"{prefix}-survivor"
    client = workload.admin(kafka.bootstrap)
    config = {
        "cleanup.policy": "compact",
        "segment.ms": "100",
        "min.cleanable.dirty.ratio": "0.001",
        "min.compaction.lag.ms": "0",
        "delete.retention.ms": "0",
    }
    client.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1, config=config)])[topic].result(30)
    workload.wait_until(lambda: topic in client.list_topics(timeout=5).topics, 30, message=f"{topic} created")
    now = lsw.now_ms()
    producer = Producer({"bootstrap.servers": kafka.bootstrap, "acks": "all", "max.in.flight": 1})
    stamps: dict[int, int] = {}
    # Offsets 0-9 keys k0-k9 (2,000 s old), 10-14 rewrite k0-k4: offsets 0-4 are compacted away.
    rows = [(f"k{i}", now - (2000 - i) * 1000) for i in range(10)] + [(f"k{i}", now - (1000 - i) * 1000) for i in range(5)]
    for offset, (key, stamp) in enumerate(rows):
        producer.produce(topic, key=key.encode(), value=b"v", partition=0, timestamp=stamp)
        producer.flush(30)
        stamps[offset] = stamp
        if offset == len(rows) - 1:
            time.sleep(0.3)  # past segment.ms: the next record rolls the segment
    producer.produce(topic, key=b"roll", value=b"v", partition=0, timestamp=now)
    producer.flush(30)
    # The cleaner may take several passes (segments roll while the records are written): wait
    # until all of k0-k4's first values are gone.
    workload.wait_until(
        lambda: first_offset_at_or_after(kafka.bootstrap, topic, 0) == 5,
        90,
        interval=1.0,
        message=f"{topic} compacted",
    )
    workload.commit_offsets(kafka.bootstrap, hole, [(topic, 0, 2)])  # compacted away: next is 5
    workload.commit_offsets(kafka.bootstrap, survivor, [(topic, 0, 7)])  # survived compaction
    instance = start_lagwatch(prefix, lag_seconds="exact")

    expected = {hole: stamps[5], survivor: stamps[7]}

    def both_exact(samples: dict) -> bool:
        return all(lsw.partition_value(samples, EXACT, g, topic, 0) == 1.0 for g in expected)

    samples = lsw.wait_for_samples(instance, both_exact, 30, "exact lag on the compacted topic")
    for group, stamp in expected.items():
        truth = lsw.poll_time(samples) - stamp / 1000
        reported = lsw.partition_value(samples, LAG_SECONDS, group, topic, 0)
        assert reported == pytest.approx(truth, abs=EXACT_TOLERANCE_S), (group, reported, truth)
        assert lsw.partition_value(samples, LOWER_BOUND, group, topic, 0) is None


def test_estimate_reads_the_record_of_an_offset_older_than_its_history(kafka, start_lagwatch):
    prefix = scenario.unique_prefix("edgeolder")
    topic, group = f"{prefix}-t", f"{prefix}-g"
    workload.create_topic(kafka.bootstrap, topic, 1)
    now = lsw.now_ms()
    stamps = [now - (100 - i) * 1000 for i in range(100)]  # written before lagwatch starts
    lsw.produce_timestamped(kafka.bootstrap, topic, 0, stamps)
    workload.commit_offsets(kafka.bootstrap, group, [(topic, 0, 30)])
    instance = start_lagwatch(prefix, lag_seconds="estimate")

    def close_to_truth(samples: dict) -> bool:
        value = lsw.partition_value(samples, LAG_SECONDS, group, topic, 0)
        truth = lsw.poll_time(samples) - stamps[30] / 1000
        return value is not None and abs(value - truth) <= EXACT_TOLERANCE_S

    # The history starts with lagwatch, 70 s after the record was written: without the record's
    # own timestamp this would stay a lower bound of a few seconds.
    samples = lsw.wait_for_samples(instance, close_to_truth, 20, "the estimate read from the record")
    assert lsw.partition_value(samples, LOWER_BOUND, group, topic, 0) is None
    assert lsw.partition_value(samples, EXACT, group, topic, 0) is None  # estimate mode: no flag


def test_recreated_topic_whose_watermarks_only_grew_is_told_apart_by_its_topic_id(kafka, slow_lagwatch):
    """The old topic's log start and end are both below the new one's and the partition count is
    the same: no watermark goes back, so only the topic ID shows that the log was replaced."""
    prefix = scenario.unique_prefix("edgetopicid")
    topic, exact, estimated = f"{prefix}-t", f"{prefix}-exact", f"{prefix}-estimated"
    committed = COMMITTED
    instance, old, before = poll_the_old_topic(kafka.bootstrap, slow_lagwatch, prefix, deleted_below=0)
    old_truth = lsw.poll_time(before) - (old + committed * 1000) / 1000
    assert lsw.partition_value(before, LAG_SECONDS, exact, topic, 0) == pytest.approx(old_truth, abs=EXACT_TOLERANCE_S)

    # 120 records from log start 0: both watermarks are at or above the old topic's (0, 100).
    start, stamps = recreate_between_polls(kafka.bootstrap, instance, topic, (exact, estimated), committed)

    wait_for_fresh_poll(instance)
    # Bounded: a watermark timeout right after the re-creation renews the admin client (a poll).
    samples = lsw.wait_for_samples(
        instance,
        lambda s: lsw.partition_value(s, "lagwatch_group_partition_lag", exact, topic, 0) == 60
        and lsw.partition_value(s, EXACT, exact, topic, 0) is not None
        and lsw.partition_value(s, LAG_SECONDS, estimated, topic, 0) is not None,
        4 * SLOW_POLL_S,
        "the new topic's lag",
    )
    truth = lsw.poll_time(samples) - stamps[committed] / 1000
    assert lsw.partition_value(samples, EXACT, exact, topic, 0) == 1.0
    reported = lsw.partition_value(samples, LAG_SECONDS, exact, topic, 0)
    assert reported == pytest.approx(truth, abs=EXACT_TOLERANCE_S), (reported, truth)
    # The estimated group's offset predates the new topic's history: its record is read too.
    estimate = lsw.partition_value(samples, LAG_SECONDS, estimated, topic, 0)
    appended_age = lsw.poll_time(samples) - start / 1000
    assert estimate is not None and estimate <= appended_age + EXACT_TOLERANCE_S, (estimate, appended_age)
    if lsw.partition_value(samples, LOWER_BOUND, estimated, topic, 0) is None:
        assert estimate == pytest.approx(truth, abs=EXACT_TOLERANCE_S), (estimate, truth)
