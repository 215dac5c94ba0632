"""Committed offsets from the __consumer_offsets stream: no OffsetFetch per group once the
reader has caught up, transactional commits only once committed, and the verifier (OffsetFetch
for a rotating sample, compared with the stream) agreeing while commits race the polls."""

from __future__ import annotations

import threading

from confluent_kafka import Consumer, Producer, TopicPartition

import scenario
import workload
from exposition import select
from observations import converged, expected_view
from processes import CLUSTER_NAME, Lagwatch, wait_for_fresh_poll


def stream_lagwatch(lagwatch, prefix: str, section: str = "") -> Lagwatch:
    """A lagwatch watching `prefix`'s groups and topics whose [clusters.consumer_offsets] section
    is `section`, with librdkafka statistics every 500 ms so request counts are current."""
    return lagwatch(
        groups_allow=[f"{prefix}-.*"],
        topics_allow=[f"{prefix}-.*"],
        extra_config=f'[clusters.consumer_offsets]\n{section}\n\n[clusters.librdkafka]\n"statistics.interval.ms" = "500"',
    )


def scenario_topic(kafka, name: str, records_per_partition: int, partitions: int) -> tuple[str, str]:
    """A fresh prefix and its topic with `records_per_partition` records in each partition."""
    prefix = scenario.unique_prefix(name)
    topic = f"{prefix}-t"
    workload.create_topic(kafka.bootstrap, topic, partitions)
    workload.produce(kafka.bootstrap, topic, {p: records_per_partition for p in range(partitions)})
    return prefix, topic


def counter(instance: Lagwatch, name: str, **labels: str) -> float:
    return sum(select(instance.scrape(), name, kafka_cluster=CLUSTER_NAME, **labels).values())


def source_groups(instance: Lagwatch) -> dict[str, float]:
    found = select(instance.scrape(), "lagwatch_offsets_source_groups", kafka_cluster=CLUSTER_NAME)
    return {dict(key)["source"]: value for key, value in found.items()}


def polls(instance: Lagwatch) -> float:
    return counter(instance, "lagwatch_poll_stage_attempts_total", stage="list_groups")


def served(instance: Lagwatch, prefix: str, want: dict, message: str, timeout: float = 30) -> None:
    """Waits until lagwatch serves exactly `want` as the committed offsets of `prefix`'s groups;
    on timeout the difference is shown."""
    try:
        workload.wait_until(lambda: committed_view(instance, prefix) == want, timeout, message=message)
    except TimeoutError:
        assert committed_view(instance, prefix) == want, message


def committed_view(instance: Lagwatch, prefix: str) -> dict:
    found = select(instance.scrape(), "lagwatch_group_partition_committed_offset", kafka_cluster=CLUSTER_NAME)
    view = {}
    for key, value in found.items():
        label = dict(key)
        if label["group"].startswith(prefix):
            view[(label["group"], label["topic"], int(label["partition"]))] = int(value)
    return view


def test_offsets_come_from_the_stream_without_offset_fetch_per_group(kafka, lagwatch):
    prefix, topic = scenario_topic(kafka, "stream", 10, 2)
    groups = [f"{prefix}-g{i:02d}" for i in range(12)]
    expected = scenario.Expected(prefix)
    expected.watermarks = {(topic, 0): (0, 10), (topic, 1): (0, 10)}
    for index, group in enumerate(groups):
        workload.commit_offsets(kafka.bootstrap, group, [(topic, 0, index % 10), (topic, 1, 3)])
        expected.offsets[(group, topic, 0)] = index % 10
        expected.offsets[(group, topic, 1)] = 3
        expected.groups[group] = ("empty", 0)

    instance = stream_lagwatch(lagwatch, prefix, "verify_groups = 2")
    workload.wait_until(lambda: source_groups(instance).get("consumer_offsets") == len(groups), 30,
                        message="every group served from the stream")
    assert source_groups(instance).get("offset_fetch") == 0
    assert converged(instance, expected_view(expected)) == expected_view(expected)

    # A commit after start-up arrives through the stream.
    workload.commit_offsets(kafka.bootstrap, groups[0], [(topic, 0, 9)])
    expected.offsets[(groups[0], topic, 0)] = 9
    assert converged(instance, expected_view(expected)) == expected_view(expected)

    # Requests per poll: OffsetFetch only for the verifier's sample (2 of 12 groups per poll).
    # Statistics trail by up to an interval, so the window is padded on both sides.
    wait_for_fresh_poll(instance)
    fetches_before, polls_before = counter(instance, "lagwatch_kafka_requests_total", api="OffsetFetch"), polls(instance)
    workload.wait_until(lambda: polls(instance) >= polls_before + 10, 60, message="10 more polls")
    wait_for_fresh_poll(instance)
    fetches = counter(instance, "lagwatch_kafka_requests_total", api="OffsetFetch") - fetches_before
    cycles = polls(instance) - polls_before
    assert fetches <= 2 * (cycles + 4), f"{fetches} OffsetFetch in {cycles} polls"
    assert fetches < len(groups) * cycles / 2
    requests = select(instance.scrape(), "lagwatch_kafka_requests_total", kafka_cluster=CLUSTER_NAME)
    apis = {dict(key)["api"] for key in requests}
    assert {"Metadata", "ListGroups", "ListOffsets", "Fetch", "OffsetFetch"} <= apis, apis
    assert counter(instance, "lagwatch_offsets_verify_checks_total") > 0
    assert counter(instance, "lagwatch_offsets_reader_lag_records") == 0


def test_deleted_group_and_expired_offsets_leave_the_stream(kafka, lagwatch):
    prefix, topic = scenario_topic(kafka, "sdel", 5, 2)
    keep, gone = f"{prefix}-keep", f"{prefix}-gone"
    workload.commit_offsets(kafka.bootstrap, keep, [(topic, 0, 1), (topic, 1, 2)])
    workload.commit_offsets(kafka.bootstrap, gone, [(topic, 0, 4)])
    instance = stream_lagwatch(lagwatch, prefix)
    want = {(keep, topic, 0): 1, (keep, topic, 1): 2, (gone, topic, 0): 4}
    served(instance, prefix, want, "offsets served")

    workload.delete_group(kafka.bootstrap, gone)
    # An offset deleted from a group (what expiration does too): the coordinator's tombstone.
    kafka.consumer_groups("--delete-offsets", "--group", keep, "--topic", f"{topic}:1")
    wait_for_fresh_poll(instance)
    want = {(keep, topic, 0): 1}
    served(instance, prefix, want, "deletions served")
    assert source_groups(instance).get("consumer_offsets") == 1


def transactional_commit(bootstrap: str, producer: Producer, group: str, topic: str, offset: int, commit: bool) -> None:
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": False})
    try:
        producer.begin_transaction()
        producer.send_offsets_to_transaction(
            [TopicPartition(topic, 0, offset)], consumer.consumer_group_metadata(), 30
        )
        if commit:
            producer.commit_transaction(30)
        else:
            producer.abort_transaction(30)
    finally:
        consumer.close()


def test_transactional_commits_count_only_once_committed(kafka, lagwatch):
    prefix, topic = scenario_topic(kafka, "stxn", 20, 1)
    group = f"{prefix}-g"
    workload.commit_offsets(kafka.bootstrap, group, [(topic, 0, 2)])
    instance = stream_lagwatch(lagwatch, prefix, "verify_groups = 5")
    served(instance, prefix, {(group, topic, 0): 2}, "first offset")

    producer = Producer({"bootstrap.servers": kafka.bootstrap, "transactional.id": f"{prefix}-txn"})
    producer.init_transactions(30)
    transactional_commit(kafka.bootstrap, producer, group, topic, 5, commit=False)
    wait_for_fresh_poll(instance)
    assert committed_view(instance, prefix) == {(group, topic, 0): 2}

    # Open: the offset is pending, neither Kafka nor lagwatch shows it.
    consumer = Consumer({"bootstrap.servers": kafka.bootstrap, "group.id": group, "enable.auto.commit": False})
    try:
        producer.begin_transaction()
        producer.send_offsets_to_transaction([TopicPartition(topic, 0, 9)], consumer.consumer_group_metadata(), 30)
        wait_for_fresh_poll(instance)
        assert committed_view(instance, prefix) == {(group, topic, 0): 2}
        assert workload.committed_offsets(kafka.bootstrap, group) == {(topic, 0): 2}
        producer.commit_transaction(30)
    finally:
        consumer.close()
    served(instance, prefix, {(group, topic, 0): 9}, "committed")

    transactional_commit(kafka.bootstrap, producer, group, topic, 12, commit=True)
    served(instance, prefix, {(group, topic, 0): 12}, "again")
    wait_for_fresh_poll(instance)
    assert source_groups(instance).get("consumer_offsets") == 1


def test_verifier_agrees_while_commits_race_the_polls(kafka, lagwatch):
    prefix, topic = scenario_topic(kafka, "srace", 5000, 2)
    groups = [f"{prefix}-g{i}" for i in range(4)]
    for group in groups:
        workload.commit_offsets(kafka.bootstrap, group, [(topic, 0, 0), (topic, 1, 0)])
    # Every group verified on every poll.
    instance = stream_lagwatch(lagwatch, prefix, "verify_groups = 4")

    stop = threading.Event()
    errors: list[BaseException] = []

    def commit_forever() -> None:
        consumers = {
            g: Consumer({"bootstrap.servers": kafka.bootstrap, "group.id": g, "enable.auto.commit": False})
            for g in groups
        }
        try:
            offset = 0
            while not stop.is_set() and offset < 4990:
                offset += 1
                for group, consumer in consumers.items():
                    consumer.commit(offsets=[TopicPartition(topic, 0, offset), TopicPartition(topic, 1, offset)],
                                    asynchronous=False)
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            for consumer in consumers.values():
                consumer.close()

    committer = threading.Thread(target=commit_forever, daemon=True)
    checks_before = counter(instance, "lagwatch_offsets_verify_checks_total")
    committer.start()
    try:
        workload.wait_until(
            lambda: counter(instance, "lagwatch_offsets_verify_checks_total") >= checks_before + 40,
            90,
            message="40 verifier checks while commits race",
        )
    finally:
        stop.set()
        committer.join(timeout=30)
    assert not errors, errors
    assert counter(instance, "lagwatch_offsets_verify_mismatches_total") == 0
    final = workload.committed_offsets(kafka.bootstrap, groups[0])
    workload.wait_until(
        lambda: committed_view(instance, prefix).get((groups[0], topic, 0)) == final[(topic, 0)],
        30,
        message="the last commit served",
    )
