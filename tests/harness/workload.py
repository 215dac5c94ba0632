"""Puts a real Kafka broker into a known state with confluent-kafka: topics with exact record
counts, groups with exact committed offsets, and consumers that stay in their group.

Used by the integration tests and the demo workload. Every wait is bounded.
"""

from __future__ import annotations

import threading
import time
from typing import Callable, Iterable, Mapping, Sequence, TypeVar

from confluent_kafka import (
    Consumer,
    ConsumerGroupTopicPartitions,
    KafkaError,
    KafkaException,
    Producer,
    TopicPartition,
)
from confluent_kafka.admin import AdminClient, NewTopic

T = TypeVar("T")

DEFAULT_TIMEOUT_S = 30.0


def wait_until(
    predicate: Callable[[], T],
    timeout: float = DEFAULT_TIMEOUT_S,
    interval: float = 0.2,
    message: str = "condition",
) -> T:
    """Returns the first truthy value of predicate(); fails once `timeout` seconds have passed.

    Exceptions from the predicate count as "not yet" so that transient errors (a broker that is
    still starting) do not end the wait early; the last one is reported on timeout.
    """
    deadline = time.monotonic() + timeout
    last_error: BaseException | None = None
    last_value: object = None
    while True:
        try:
            last_value = predicate()
            if last_value:
                return last_value  # type: ignore[return-value]
        except Exception as error:  # noqa: BLE001 - reported below
            last_error = error
        if time.monotonic() >= deadline:
            detail = f"; last error: {last_error!r}" if last_error else f"; last value: {last_value!r}"
            raise TimeoutError(f"{message} not reached within {timeout:.0f}s{detail}")
        time.sleep(interval)


def admin(bootstrap: str) -> AdminClient:
    return AdminClient({"bootstrap.servers": bootstrap})


def create_topic(bootstrap: str, topic: str, partitions: int, timeout: float = DEFAULT_TIMEOUT_S) -> None:
    client = admin(bootstrap)
    futures = client.create_topics([NewTopic(topic, num_partitions=partitions, replication_factor=1)])
    futures[topic].result(timeout=timeout)

    # Creation is acknowledged before every partition has a leader; producing earlier fails.
    def all_partitions_led() -> bool:
        metadata = client.list_topics(topic=topic, timeout=5)
        described = metadata.topics.get(topic)
        if described is None or described.error is not None:
            return False
        return len(described.partitions) == partitions and all(p.leader >= 0 for p in described.partitions.values())

    wait_until(all_partitions_led, timeout, message=f"topic {topic} ready")


def delete_topic(bootstrap: str, topic: str, timeout: float = DEFAULT_TIMEOUT_S) -> None:
    client = admin(bootstrap)
    client.delete_topics([topic])[topic].result(timeout=timeout)
    wait_until(
        lambda: topic not in client.list_topics(timeout=5).topics,
        timeout,
        message=f"topic {topic} gone",
    )


def delete_group(bootstrap: str, group: str, timeout: float = DEFAULT_TIMEOUT_S) -> None:
    client = admin(bootstrap)
    client.delete_consumer_groups([group], request_timeout=timeout)[group].result(timeout=timeout)


def produce(
    bootstrap: str, topic: str, counts: Mapping[int, int], timeout: float = DEFAULT_TIMEOUT_S, keys: int = 0
) -> None:
    """Writes exactly counts[p] records to partition p and waits until every one is acknowledged.
    With `keys`, the records of a partition cycle through that many keys (something for
    compaction to remove); without, they have none."""
    failures: list[KafkaError] = []

    def on_delivery(error: KafkaError | None, _message: object) -> None:
        if error is not None:
            failures.append(error)

    producer = Producer({"bootstrap.servers": bootstrap, "acks": "all", "linger.ms": 5})
    for partition, count in counts.items():
        for index in range(count):
            key = f"k{index % keys}".encode() if keys else None
            producer.produce(
                topic, key=key, value=f"{partition}-{index}".encode(), partition=partition, on_delivery=on_delivery
            )
            # Serves delivery reports so the local queue cannot fill up on large counts.
            producer.poll(0)
    remaining = producer.flush(timeout)
    if remaining or failures:
        raise RuntimeError(f"produce to {topic}: {remaining} undelivered, errors {failures[:3]}")


def produce_per_partition(bootstrap: str, topic: str, count: int, partitions: int) -> None:
    """Writes exactly `count` records to each of the topic's `partitions` partitions."""
    produce(bootstrap, topic, {p: count for p in range(partitions)})


def watermarks(bootstrap: str, topic: str, partition: int, timeout: float = 10.0) -> tuple[int, int]:
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "lagwatch-test-watermarks"})
    try:
        return consumer.get_watermark_offsets(TopicPartition(topic, partition), timeout=timeout)
    finally:
        consumer.close()


def commit_offsets(
    bootstrap: str, group: str, offsets: Iterable[tuple[str, int, int]], timeout: float = DEFAULT_TIMEOUT_S
) -> None:
    """Commits (topic, partition, offset) triples for `group` without ever joining it, so the
    group ends up with these offsets and no members."""
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": group,
            "enable.auto.commit": False,
            "socket.timeout.ms": int(timeout * 1000),
        }
    )
    try:
        wanted = [TopicPartition(t, p, o) for t, p, o in offsets]
        committed = consumer.commit(offsets=wanted, asynchronous=False)
        errors = [tp for tp in committed or [] if tp.error is not None]
        if errors:
            raise RuntimeError(f"commit for {group} failed: {errors}")
    finally:
        consumer.close()


def commit_as_member(
    bootstrap: str,
    group: str,
    topics: Sequence[str],
    offsets: Iterable[tuple[str, int, int]],
    timeout: float = DEFAULT_TIMEOUT_S,
) -> None:
    """Joins `group` as a real member of `topics`, commits the given offsets and leaves: the
    group then has a history of members but none active."""
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": group,
            "enable.auto.commit": False,
            "auto.offset.reset": "earliest",
        }
    )
    try:
        consumer.subscribe(list(topics))
        # Assignment happens inside poll(); records it returns are dropped (nothing auto-commits).
        wait_until(
            lambda: (consumer.poll(0.2), consumer.assignment())[1],
            timeout,
            interval=0,
            message=f"assignment for {group}",
        )
        wanted = [TopicPartition(t, p, o) for t, p, o in offsets]
        committed = consumer.commit(offsets=wanted, asynchronous=False)
        errors = [tp for tp in committed or [] if tp.error is not None]
        if errors:
            raise RuntimeError(f"commit for {group} failed: {errors}")
    finally:
        consumer.close()


def committed_offsets(bootstrap: str, group: str, timeout: float = 10.0) -> dict[tuple[str, int], int]:
    """The group's committed offsets as Kafka reports them, {(topic, partition): offset}."""
    client = admin(bootstrap)
    future = client.list_consumer_group_offsets([ConsumerGroupTopicPartitions(group)], request_timeout=timeout)[group]
    result = future.result(timeout=timeout)
    return {(tp.topic, tp.partition): tp.offset for tp in result.topic_partitions if tp.offset >= 0}


def describe_group(bootstrap: str, group: str, timeout: float = 10.0):
    client = admin(bootstrap)
    return client.describe_consumer_groups([group], request_timeout=timeout)[group].result(timeout=timeout)


class ActiveConsumer:
    """A member that stays in `group`, reads `topics` and commits synchronously after every
    record, until stop(). `max_records_per_second` slows it down (None = as fast as it can);
    `protocol` is "classic" or "consumer" (KIP-848, needs a Kafka 4 broker)."""

    def __init__(
        self,
        bootstrap: str,
        group: str,
        topics: Sequence[str],
        protocol: str = "classic",
        max_records_per_second: float | None = None,
        client_id: str | None = None,
    ) -> None:
        settings: dict[str, object] = {
            "bootstrap.servers": bootstrap,
            "group.id": group,
            "enable.auto.commit": False,
            "auto.offset.reset": "earliest",
            "group.protocol": protocol,
            "client.id": client_id or f"{group}-member",
        }
        if protocol == "classic":
            # Short session: a member of a group that a failed test leaves behind expires quickly.
            settings["session.timeout.ms"] = 10000
            settings["heartbeat.interval.ms"] = 1000
        self._consumer = Consumer(settings)
        self._topics = list(topics)
        self._delay = 1.0 / max_records_per_second if max_records_per_second else 0.0
        self._stop = threading.Event()
        self._assigned = threading.Event()
        self._errors: list[BaseException] = []
        self.consumed = 0
        self._thread = threading.Thread(target=self._run, name=f"consumer-{group}", daemon=True)

    def __enter__(self) -> "ActiveConsumer":
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def start(self) -> "ActiveConsumer":
        self._consumer.subscribe(self._topics, on_assign=lambda _c, parts: parts and self._assigned.set())
        self._thread.start()
        return self

    def wait_assigned(self, timeout: float = DEFAULT_TIMEOUT_S) -> None:
        if not self._assigned.wait(timeout):
            raise TimeoutError(f"no partitions assigned within {timeout:.0f}s; errors {self._errors}")

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                message = self._consumer.poll(0.2)
                if message is None:
                    continue
                if message.error() is not None:
                    if message.error().code() != KafkaError._PARTITION_EOF:
                        self._errors.append(KafkaException(message.error()))
                    continue
                self._consumer.commit(message=message, asynchronous=False)
                self.consumed += 1
                if self._delay:
                    self._stop.wait(self._delay)
        except BaseException as error:  # noqa: BLE001 - surfaced by stop()
            self._errors.append(error)
        finally:
            # Leaving the group here (not from another thread) is what the client requires.
            self._consumer.close()

    def stop(self, timeout: float = DEFAULT_TIMEOUT_S) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)
        if self._thread.is_alive():
            raise TimeoutError("consumer thread did not stop")

    @property
    def errors(self) -> list[BaseException]:
        return list(self._errors)
