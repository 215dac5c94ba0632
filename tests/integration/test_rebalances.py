"""Rebalances and offset commits counted exactly from `__consumer_offsets`: every generation a
classic group goes through, however many fall between two polls, and every commit."""

from __future__ import annotations

import time

import pytest
from confluent_kafka import Consumer, TopicPartition

import scenario
import workload
from rebalance_workload import ClassicGroup, group_series, lagwatch_every, value, wait_value  # noqa: F401
from processes import wait_for_fresh_poll

pytestmark = pytest.mark.usefixtures("kafka")


def test_every_join_and_leave_is_one_rebalance(kafka, lagwatch_every):
    prefix = scenario.unique_prefix("reb")
    topic, name = f"{prefix}-t", f"{prefix}-g"
    workload.create_topic(kafka.bootstrap, topic, 2)
    instance = lagwatch_every("1s", prefix)
    group = ClassicGroup(kafka.bootstrap, name, topic)
    try:
        group.join()
        assert wait_value(instance, "lagwatch_group_members", 1.0, group=name) == 1.0
        # Whether the creation itself counts depends on the broker writing the group at
        # generation 0 first (Kafka 4.3 does), so counting starts from what is shown now.
        first = group_series(instance, name)
        assert first["generation"] is not None and first["rebalances"] is not None
        changes_before = group.changes

        group.join()
        group.join()
        group.leave()
        group.join()
        group.leave()
        group.leave()
        group.leave()  # the last member: the group becomes empty, one more generation
        made = group.changes - changes_before

        wait_value(instance, "lagwatch_group_generation", first["generation"] + made, group=name)
        wait_for_fresh_poll(instance)
        after = group_series(instance, name)
        assert after["generation"] - first["generation"] == made
        assert after["rebalances"] - first["rebalances"] == made
        assert after["members"] == 0.0
    finally:
        group.close()


def test_two_rebalances_between_two_polls_count_as_two(kafka, lagwatch_every):
    prefix = scenario.unique_prefix("reb2")
    topic, name = f"{prefix}-t", f"{prefix}-g"
    workload.create_topic(kafka.bootstrap, topic, 2)
    instance = lagwatch_every("10s", prefix)
    group = ClassicGroup(kafka.bootstrap, name, topic)
    try:
        group.join()
        assert wait_value(instance, "lagwatch_group_members", 1.0, timeout=45.0, group=name) == 1.0
        start = group_series(instance, name)

        # Both changes start right after a poll; whether they also ended before the next one is
        # recorded, not asserted, and the pair is repeated when a poll fell in between.
        pairs_within_one_interval = 0
        for _attempt in range(3):
            polled_before = _wait_for_next_poll(instance)
            group.join()
            group.leave()
            if _last_poll(instance) == polled_before:
                pairs_within_one_interval += 1
                break
        if pairs_within_one_interval == 0:
            pytest.skip("every pair of membership changes straddled a poll (machine too slow)")
        made = group.changes - 1

        wait_for_fresh_poll(instance, timeout=45.0)
        after = group_series(instance, name)
        assert after["rebalances"] - start["rebalances"] == made
        assert after["generation"] - start["generation"] == made
        assert after["members"] == 1.0
    finally:
        group.close()


def test_deleted_and_recreated_group_starts_a_new_count(kafka, lagwatch_every):
    prefix = scenario.unique_prefix("reb3")
    topic, name = f"{prefix}-t", f"{prefix}-g"
    workload.create_topic(kafka.bootstrap, topic, 2)
    instance = lagwatch_every("1s", prefix)
    first_life = ClassicGroup(kafka.bootstrap, name, topic)
    try:
        first_life.join()
        assert wait_value(instance, "lagwatch_group_members", 1.0, group=name) == 1.0
        created = value(instance, "lagwatch_group_rebalances_total", group=name)
        first_life.join()
        first_life.leave()
        first_life.leave()
        assert wait_value(instance, "lagwatch_group_rebalances_total", created + 3.0, group=name) == created + 3.0
    finally:
        first_life.close()

    workload.delete_group(kafka.bootstrap, name)
    workload.wait_until(
        lambda: value(instance, "lagwatch_group_generation", group=name) is None,
        30.0,
        message="deleted group's generation gone",
    )

    second_life = ClassicGroup(kafka.bootstrap, name, topic)
    try:
        second_life.join()
        assert wait_value(instance, "lagwatch_group_generation", 1.0, group=name) == 1.0
        # A new count: at most the creation itself, nothing carried over from the first life.
        restarted = value(instance, "lagwatch_group_rebalances_total", group=name)
        assert restarted in (0.0, 1.0)
        second_life.join()
        assert wait_value(instance, "lagwatch_group_generation", 2.0, group=name) == 2.0
        wait_for_fresh_poll(instance)
        assert value(instance, "lagwatch_group_rebalances_total", group=name) == restarted + 1.0
    finally:
        second_life.close()


def test_offset_commits_total_counts_every_commit(kafka, lagwatch_every):
    prefix = scenario.unique_prefix("commits")
    topic, name = f"{prefix}-t", f"{prefix}-g"
    workload.create_topic(kafka.bootstrap, topic, 2)
    workload.produce(kafka.bootstrap, topic, {0: 20, 1: 20})
    instance = lagwatch_every("1s", prefix, partition_details=True)  # last commit time

    consumer = Consumer({"bootstrap.servers": kafka.bootstrap, "group.id": name, "enable.auto.commit": False})
    commits = [(0, 1), (0, 2), (1, 5), (0, 3), (1, 6), (1, 7), (0, 4)]
    try:
        before = time.time()
        for partition, offset in commits:
            consumer.commit(offsets=[TopicPartition(topic, partition, offset)], asynchronous=False)
        after = time.time()
    finally:
        consumer.close()

    assert wait_value(instance, "lagwatch_group_offset_commits_total", float(len(commits)), group=name) == float(
        len(commits)
    )
    # The commit timestamps are the broker's clock, on this same machine.
    for partition in (0, 1):
        stamp = value(
            instance,
            "lagwatch_group_partition_last_commit_timestamp_seconds",
            group=name,
            topic=topic,
            partition=str(partition),
        )
        assert stamp is not None and before - 1.0 <= stamp <= after + 1.0

    # Commits made before lagwatch started are the baseline of a second instance: it counts 0.
    later = lagwatch_every("1s", prefix)
    wait_for_fresh_poll(later)
    assert value(later, "lagwatch_group_offset_commits_total", group=name) == 0.0


def _last_poll(instance) -> float:
    return value(instance, "lagwatch_last_successful_poll_timestamp_seconds") or 0.0


def _wait_for_next_poll(instance) -> float:
    seen = _last_poll(instance)
    return workload.wait_until(
        lambda: (stamp := _last_poll(instance)) > seen and stamp, 45.0, interval=0.1, message="next poll"
    )


def test_reader_keeps_state_only_for_watched_groups(kafka, lagwatch_every):
    prefix = scenario.unique_prefix("watch")
    topic, watched, unwatched = f"{prefix}-t", f"{prefix}-g", f"other-{prefix}-g"
    workload.create_topic(kafka.bootstrap, topic, 1)
    workload.produce(kafka.bootstrap, topic, {0: 10})
    workload.commit_offsets(kafka.bootstrap, watched, [(topic, 0, 1)])
    workload.commit_offsets(kafka.bootstrap, unwatched, [(topic, 0, 1)])
    instance = lagwatch_every("1s", prefix)  # watches `prefix-*` only

    skipped_before = value(instance, "lagwatch_offsets_reader_records_total", outcome="unwatched")
    assert skipped_before is not None and skipped_before >= 1.0  # at least the replayed commit
    commits_before = value(instance, "lagwatch_group_offset_commits_total", group=watched)
    assert commits_before == 0.0  # replayed records are the baseline

    workload.commit_offsets(kafka.bootstrap, watched, [(topic, 0, 4)])
    workload.commit_offsets(kafka.bootstrap, unwatched, [(topic, 0, 5)])
    assert wait_value(instance, "lagwatch_group_offset_commits_total", 1.0, group=watched) == 1.0
    workload.wait_until(
        lambda: (value(instance, "lagwatch_offsets_reader_records_total", outcome="unwatched") or 0)
        >= skipped_before + 1.0,
        timeout=30.0,
        message="the unwatched group's new commit to be read and skipped",
    )
    # The unwatched group never appears, whatever the reader read about it.
    assert value(instance, "lagwatch_group_offset_commits_total", group=unwatched) is None
