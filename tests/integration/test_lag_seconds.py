"""Lag in seconds against a real broker: exact mode (the timestamp of the record at the committed
offset), the estimate from the watermark history, idle topics, and the health verdicts (stop or
stall, recovery, rewind) and data loss that ride on the same data.

Truth is computed from timestamps the tests set on produce. Values are compared with the
lagwatch poll that produced them (lagwatch_last_successful_poll_timestamp_seconds), not with the
time of the scrape."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import lag_seconds_workload as lsw
import scenario
import workload
from processes import Lagwatch, free_port, lagwatch_binary, wait_for_fresh_poll

LAG_SECONDS = "lagwatch_group_partition_lag_seconds"
LOWER_BOUND = "lagwatch_group_partition_lag_seconds_lower_bound"
EXACT = "lagwatch_group_partition_lag_seconds_exact"
MAX_LAG_SECONDS = "lagwatch_group_max_lag_seconds"
PARTITION_HEALTH = "lagwatch_group_partition_health"
GROUP_HEALTH = "lagwatch_group_health"
PARTITION_LOSS = "lagwatch_group_partition_data_loss_messages"
GROUP_LOSS = "lagwatch_group_data_loss_messages"

EXACT_TOLERANCE_S = 1.0
POLL_INTERVAL_S = 1.0
CONVERGE_TIMEOUT_S = 30.0
# Small health settings so verdicts change within seconds.
FAST_HEALTH = {"window": 4, "min_span": "4s", "stop_after": "8s"}
OK = lsw.HEALTH_CODES["ok"]


@pytest.fixture
def start_lagwatch(kafka, request: pytest.FixtureRequest, tmp_path: Path):
    """Factory: start_lagwatch(prefix, lag_seconds=..., exact_groups=..., health=...) starts a
    lagwatch watching only `prefix`'s groups and topics. Fails (does not skip) when lagwatch
    does not accept the lag-seconds config keys."""
    binary = lagwatch_binary()
    if not os.access(binary, os.X_OK):
        pytest.fail(f"lagwatch binary {binary} not found: build it or set LAGWATCH_BIN")
    instances: list[Lagwatch] = []
    # Read by conftest's report hook, which attaches their output to a failure.
    request.node._lagwatch_instances = instances

    def start(
        prefix: str,
        lag_seconds: str = "exact",
        exact_groups=None,
        health=None,
        partition_details: bool = True,
        member_info: bool = False,
    ) -> Lagwatch:
        index = len(instances)
        port = free_port()
        config_path = tmp_path / f"lagwatch-{index}.toml"
        lsw.write_config(
            config_path, port, kafka.bootstrap, prefix, lag_seconds, exact_groups, health, partition_details, member_info
        )
        rejected = lsw.check_config(binary, config_path)
        if rejected is not None:
            pytest.fail(f"lagwatch rejects the lag-seconds config:\n{config_path.read_text()}\n{rejected}")
        instance = Lagwatch(binary, config_path, tmp_path / f"lagwatch-{index}.log", port)
        instances.append(instance)
        instance.start()
        return instance

    yield start
    for instance in instances:
        instance.stop()


def lag_close_to(samples: dict, group: str, topic: str, partition: int, timestamp_ms: int, tolerance: float) -> bool:
    value = lsw.partition_value(samples, LAG_SECONDS, group, topic, partition)
    truth = lsw.poll_time(samples) - timestamp_ms / 1000
    return value is not lsw.NO_SERIES and abs(value - truth) <= tolerance


def describe_lag(samples: dict, group: str, topic: str, partition: int, timestamp_ms: int) -> str:
    value = lsw.partition_value(samples, LAG_SECONDS, group, topic, partition)
    truth = lsw.poll_time(samples) - timestamp_ms / 1000
    return f"{group} {topic}[{partition}]: lagwatch {value}, truth {truth:.3f}"


def test_exact_mode_reads_the_timestamp_at_the_committed_offset(kafka, start_lagwatch):
    prefix = scenario.unique_prefix("lagsec")
    topic = f"{prefix}-t"
    workload.create_topic(kafka.bootstrap, topic, 2)
    now = lsw.now_ms()
    # Partition 0: one record a second, 200 s to 101 s old; partition 1: 50 s to 41 s old.
    stamps = {0: [now - (200 - i) * 1000 for i in range(100)], 1: [now - (50 - i) * 1000 for i in range(10)]}
    offsets = {p: lsw.produce_timestamped(kafka.bootstrap, topic, p, ts) for p, ts in stamps.items()}
    assert offsets == {0: list(range(100)), 1: list(range(10))}

    exact = {
        f"{prefix}-exact-behind": {0: 40, 1: 5},
        f"{prefix}-exact-near": {0: 90},
        f"{prefix}-exact-caught-up": {0: 100, 1: 10},
    }
    estimated = f"{prefix}-estimated"
    for group, commits in exact.items():
        workload.commit_offsets(kafka.bootstrap, group, [(topic, p, o) for p, o in commits.items()])
    workload.commit_offsets(kafka.bootstrap, estimated, [(topic, 0, 40)])

    instance = start_lagwatch(prefix, lag_seconds="exact", exact_groups=[f"{prefix}-exact-.*"])

    def expected_ts(p: int, offset: int) -> int | None:
        return stamps[p][offset] if offset < len(stamps[p]) else None  # None: caught up

    def all_exact(samples: dict) -> bool:
        for group, commits in exact.items():
            for p, offset in commits.items():
                ts = expected_ts(p, offset)
                if ts is None:
                    if lsw.partition_value(samples, LAG_SECONDS, group, topic, p) != 0.0:
                        return False
                elif not lag_close_to(samples, group, topic, p, ts, EXACT_TOLERANCE_S):
                    return False
        return lsw.partition_value(samples, EXACT, estimated, topic, 0) is not lsw.NO_SERIES

    samples = lsw.wait_for_samples(instance, all_exact, CONVERGE_TIMEOUT_S, "exact lag seconds")
    wait_for_fresh_poll(instance)
    samples = instance.scrape()

    for group, commits in exact.items():
        for p, offset in commits.items():
            ts = expected_ts(p, offset)
            if ts is None:
                assert lsw.partition_value(samples, LAG_SECONDS, group, topic, p) == 0.0, f"{group}[{p}] caught up"
            else:
                assert lag_close_to(samples, group, topic, p, ts, EXACT_TOLERANCE_S), describe_lag(samples, group, topic, p, ts)
            assert lsw.partition_value(samples, EXACT, group, topic, p) == 1.0, f"{group}[{p}] from a record timestamp"
            assert lsw.partition_value(samples, LOWER_BOUND, group, topic, p) is lsw.NO_SERIES, f"{group}[{p}] is exact"
        ages = [lsw.poll_time(samples) - expected_ts(p, o) / 1000 for p, o in commits.items() if expected_ts(p, o)]
        group_max = lsw.group_value(samples, MAX_LAG_SECONDS, group)
        assert group_max == pytest.approx(max(ages, default=0.0), abs=EXACT_TOLERANCE_S), group

    # Not matched by exact_groups: estimated from the watermark history, and marked so.
    assert lsw.partition_value(samples, EXACT, estimated, topic, 0) == 0.0


def test_estimate_is_close_once_the_history_covers_the_offset(kafka, start_lagwatch):
    prefix = scenario.unique_prefix("lagest")
    topic = f"{prefix}-t"
    group = f"{prefix}-g"
    workload.create_topic(kafka.bootstrap, topic, 1)
    # Committed before lagwatch starts so the partition is watched from its first poll.
    workload.commit_offsets(kafka.bootstrap, group, [(topic, 0, 0)])
    instance = start_lagwatch(prefix, lag_seconds="estimate")

    with lsw.SteadyProducer(kafka.bootstrap, topic, per_second=10) as producer:
        workload.wait_until(lambda: len(producer.timestamps()) >= 120, 40, message="12 s of steady production")
        offset, timestamp = producer.offset_written_before(8.0)
        workload.commit_offsets(kafka.bootstrap, group, [(topic, 0, offset)])
        wait_for_fresh_poll(instance)

        def within_tolerance(samples: dict) -> bool:
            truth = lsw.poll_time(samples) - timestamp / 1000
            tolerance = max(2 * POLL_INTERVAL_S, 0.1 * truth)
            return lag_close_to(samples, group, topic, 0, timestamp, tolerance)

        samples = lsw.wait_for_samples(instance, within_tolerance, 10, "estimated lag seconds within tolerance")
        # Still right a few polls later, while production goes on.
        for _ in range(3):
            wait_for_fresh_poll(instance)
            samples = instance.scrape()
            assert within_tolerance(samples), describe_lag(samples, group, topic, 0, timestamp)
        # Estimate mode exports no _exact flag at all: nothing would ever be exact there.
        assert lsw.partition_value(samples, EXACT, group, topic, 0) is None


@pytest.mark.parametrize("mode", ["exact", "estimate"])
def test_idle_topic_caught_up_reads_zero_and_behind_reads_a_growing_age(kafka, start_lagwatch, mode):
    prefix = scenario.unique_prefix(f"idle{mode[:3]}")
    topic = f"{prefix}-t"
    caught_up, behind = f"{prefix}-caught-up", f"{prefix}-behind"
    workload.create_topic(kafka.bootstrap, topic, 1)
    now = lsw.now_ms()
    stamps = [now - (30 - i) * 1000 for i in range(20)]  # 30 s to 11 s old; nothing after
    lsw.produce_timestamped(kafka.bootstrap, topic, 0, stamps)
    workload.commit_offsets(kafka.bootstrap, caught_up, [(topic, 0, 20)])
    workload.commit_offsets(kafka.bootstrap, behind, [(topic, 0, 15)])

    instance = start_lagwatch(prefix, lag_seconds=mode, health=FAST_HEALTH)

    def both_present(samples: dict) -> bool:
        return all(lsw.partition_value(samples, LAG_SECONDS, g, topic, 0) is not None for g in (caught_up, behind))

    first = lsw.wait_for_samples(instance, both_present, CONVERGE_TIMEOUT_S, "lag seconds of both groups")
    # Several polls of an idle topic: a caught-up group must stay at 0 and OK throughout.
    for _ in range(4):
        wait_for_fresh_poll(instance)
    second = instance.scrape()

    for samples in (first, second):
        assert lsw.partition_value(samples, LAG_SECONDS, caught_up, topic, 0) == 0.0
    assert lsw.partition_value(second, PARTITION_HEALTH, caught_up, topic, 0) == OK
    assert lsw.group_value(second, GROUP_HEALTH, caught_up) == OK

    age_first = lsw.partition_value(first, LAG_SECONDS, behind, topic, 0)
    age_second = lsw.partition_value(second, LAG_SECONDS, behind, topic, 0)
    elapsed = lsw.poll_time(second) - lsw.poll_time(first)
    assert elapsed >= 3.0
    assert age_second - age_first == pytest.approx(elapsed, abs=1.5), (age_first, age_second, elapsed)
    if mode == "exact":
        assert lag_close_to(second, behind, topic, 0, stamps[15], EXACT_TOLERANCE_S), describe_lag(
            second, behind, topic, 0, stamps[15]
        )


def test_stopped_consumer_turns_stop_or_stall_and_recovers_when_it_catches_up(kafka, start_lagwatch):
    prefix = scenario.unique_prefix("stop")
    topic, group = f"{prefix}-t", f"{prefix}-g"
    workload.create_topic(kafka.bootstrap, topic, 1)
    instance = start_lagwatch(prefix, lag_seconds="exact", health=FAST_HEALTH)
    stop_or_stall = {lsw.HEALTH_CODES["stop"], lsw.HEALTH_CODES["stall"]}

    def partition_health(samples: dict):
        return lsw.partition_value(samples, PARTITION_HEALTH, group, topic, 0)

    with lsw.SteadyProducer(kafka.bootstrap, topic, per_second=5):
        with workload.ActiveConsumer(kafka.bootstrap, group, [topic]) as consumer:
            consumer.wait_assigned()
            lsw.wait_for_samples(instance, lambda s: partition_health(s) == OK, 40, "health OK while consuming")
            assert not consumer.errors
        # The consumer is gone; production goes on.
        stopped = lsw.wait_for_samples(
            instance, lambda s: partition_health(s) in stop_or_stall, 40, "STOP or STALL after the consumer stopped"
        )
        assert lsw.group_value(stopped, GROUP_HEALTH, group) not in (None, OK)
        assert lsw.partition_value(stopped, LAG_SECONDS, group, topic, 0) > 0.0

        with workload.ActiveConsumer(kafka.bootstrap, group, [topic]) as consumer:
            consumer.wait_assigned()
            recovered = lsw.wait_for_samples(
                instance, lambda s: partition_health(s) == OK, 60, "health OK again after catching up"
            )
            assert lsw.group_value(recovered, GROUP_HEALTH, group) == OK
            assert not consumer.errors


def test_seeking_back_shows_rewind(kafka, start_lagwatch):
    prefix = scenario.unique_prefix("rewind")
    topic, group = f"{prefix}-t", f"{prefix}-g"
    workload.create_topic(kafka.bootstrap, topic, 1)
    workload.produce(kafka.bootstrap, topic, {0: 100})
    workload.commit_offsets(kafka.bootstrap, group, [(topic, 0, 10)])
    instance = start_lagwatch(prefix, lag_seconds="exact", health=FAST_HEALTH)

    # Each commit is seen by its own poll, so the history holds the sequence, then the seek back.
    for offset in (30, 50, 70, 20):
        wait_for_fresh_poll(instance)
        workload.commit_offsets(kafka.bootstrap, group, [(topic, 0, offset)])

    rewound = lsw.wait_for_samples(
        instance,
        lambda s: lsw.partition_value(s, PARTITION_HEALTH, group, topic, 0) == lsw.HEALTH_CODES["rewind"],
        30,
        "REWIND after committing a lower offset",
    )
    assert lsw.group_value(rewound, GROUP_HEALTH, group) not in (None, OK)


def test_deleted_unread_records_are_reported_as_data_loss(kafka, start_lagwatch):
    prefix = scenario.unique_prefix("loss")
    topic = f"{prefix}-t"
    losing, safe = f"{prefix}-losing", f"{prefix}-safe"
    workload.create_topic(kafka.bootstrap, topic, 2)
    workload.produce(kafka.bootstrap, topic, {0: 100, 1: 100})
    workload.commit_offsets(kafka.bootstrap, losing, [(topic, 0, 10), (topic, 1, 95)])
    workload.commit_offsets(kafka.bootstrap, safe, [(topic, 0, 50)])

    # Retention's effect, done on demand: the log now starts at 40 and 60.
    assert lsw.delete_records(kafka.bootstrap, topic, 0, 40) == 40
    assert lsw.delete_records(kafka.bootstrap, topic, 1, 60) == 60

    instance = start_lagwatch(prefix, lag_seconds="exact")
    samples = lsw.wait_for_samples(
        instance,
        lambda s: lsw.group_value(s, GROUP_LOSS, losing) is not None
        and lsw.partition_value(s, PARTITION_LOSS, losing, topic, 0) is not None,
        CONVERGE_TIMEOUT_S,
        "data loss series",
    )

    assert lsw.partition_value(samples, PARTITION_LOSS, losing, topic, 0) == 30.0
    assert lsw.partition_value(samples, PARTITION_LOSS, losing, topic, 1) in (None, 0.0)
    assert lsw.group_value(samples, GROUP_LOSS, losing) == 30.0
    assert lsw.partition_value(samples, PARTITION_LOSS, safe, topic, 0) in (None, 0.0)
    assert lsw.group_value(samples, GROUP_LOSS, safe) in (None, 0.0)
