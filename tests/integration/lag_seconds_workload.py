"""What the lag-in-seconds tests need beyond workload.py: records with known timestamps, a
producer writing at a steady rate, record deletion, lagwatch configs with the lag-seconds and
health keys, and readers for the per-partition series. Every wait is bounded."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from pathlib import Path

from confluent_kafka import KafkaError, Producer, TopicPartition

import workload
from exposition import select
from processes import CLUSTER_NAME, toml_list, toml_string

NO_SERIES = None

HEALTH_CODES = {"ok": 0, "warn": 1, "stall": 2, "stop": 3, "rewind": 4, "err": 5}


def now_ms() -> int:
    return int(time.time() * 1000)


def produce_timestamped(bootstrap: str, topic: str, partition: int, timestamps_ms, timeout: float = 30.0) -> list[int]:
    """Writes one record per timestamp, in order, each stamped with it (CreateTime); returns the
    offsets they got."""
    offsets: list[int] = []
    failures: list[KafkaError] = []

    def on_delivery(error, message) -> None:
        if error is not None:
            failures.append(error)
        else:
            offsets.append(message.offset())

    # One in flight at a time keeps offsets in timestamp order even if a send were retried.
    producer = Producer({"bootstrap.servers": bootstrap, "acks": "all", "max.in.flight": 1, "linger.ms": 5})
    for index, timestamp in enumerate(timestamps_ms):
        producer.produce(topic, value=f"r{index}".encode(), partition=partition, timestamp=int(timestamp), on_delivery=on_delivery)
        producer.poll(0)
    remaining = producer.flush(timeout)
    if remaining or failures or len(offsets) != len(timestamps_ms):
        raise RuntimeError(f"produce to {topic}[{partition}]: {remaining} undelivered, errors {failures[:3]}")
    return sorted(offsets)


class SteadyProducer:
    """Writes `per_second` records a second to one partition from a background thread, each
    stamped with the wall-clock time it was written, and remembers {offset: timestamp ms}."""

    def __init__(self, bootstrap: str, topic: str, partition: int = 0, per_second: float = 10.0) -> None:
        self._producer = Producer({"bootstrap.servers": bootstrap, "acks": "all", "max.in.flight": 1, "linger.ms": 0})
        self._topic = topic
        self._partition = partition
        self._interval = 1.0 / per_second
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._timestamps: dict[int, int] = {}
        self._errors: list[object] = []
        self._thread = threading.Thread(target=self._run, name=f"producer-{topic}", daemon=True)

    def __enter__(self) -> "SteadyProducer":
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def _on_delivery(self, error, message) -> None:
        if error is not None:
            self._errors.append(error)
            return
        with self._lock:
            self._timestamps[message.offset()] = message.timestamp()[1]

    def _run(self) -> None:
        next_send = time.monotonic()
        while not self._stop.is_set():
            self._producer.produce(
                self._topic, value=b"steady", partition=self._partition, timestamp=now_ms(), on_delivery=self._on_delivery
            )
            self._producer.poll(0)
            next_send += self._interval
            self._stop.wait(max(0.0, next_send - time.monotonic()))
        self._producer.flush(30)

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(60)
        if self._thread.is_alive():
            raise TimeoutError("producer thread did not stop")
        if self._errors:
            raise RuntimeError(f"steady producer errors: {self._errors[:3]}")

    def timestamps(self) -> dict[int, int]:
        with self._lock:
            return dict(self._timestamps)

    def offset_written_before(self, age_s: float) -> tuple[int, int]:
        """(offset, timestamp ms) of the newest acknowledged record at least `age_s` old."""
        limit = now_ms() - age_s * 1000
        candidates = [(o, t) for o, t in self.timestamps().items() if t <= limit]
        if not candidates:
            raise ValueError(f"no record older than {age_s}s yet")
        return max(candidates)


def delete_records(bootstrap: str, topic: str, partition: int, before_offset: int, timeout: float = 30.0) -> int:
    """Deletes the partition's records below `before_offset`, as retention would; returns the new
    low watermark."""
    client = workload.admin(bootstrap)
    futures = client.delete_records([TopicPartition(topic, partition, before_offset)], request_timeout=timeout)
    result = next(iter(futures.values())).result(timeout=timeout)
    return result.low_watermark


def write_config(
    path: Path,
    port: int,
    bootstrap: str,
    prefix: str,
    lag_seconds: str,
    exact_groups=None,
    health: dict[str, object] | None = None,
    partition_details: bool = True,
    member_info: bool = False,
) -> None:
    """A config watching only `prefix`'s groups and topics, polled every second. These tests
    check per-partition flags, health and data loss, so [clusters.series] partition_details is
    on unless asked otherwise; member_info only when asked."""
    cluster_keys = f"lag_seconds = {toml_string(lag_seconds)}\n"
    if exact_groups is not None:
        cluster_keys += f"exact_groups = {toml_list(exact_groups)}\n"
    health_table = ""
    if health:
        lines = [f"{key} = {toml_string(v) if isinstance(v, str) else v}" for key, v in health.items()]
        health_table = "\n[clusters.health]\n" + "\n".join(lines) + "\n"
    path.write_text(
        f"""[server]
listen_address = "127.0.0.1:{port}"

[poll]
interval = "1s"
request_timeout = "5s"

[[clusters]]
name = {toml_string(CLUSTER_NAME)}
bootstrap_servers = {toml_string(bootstrap)}
{cluster_keys}
[clusters.groups]
allow = {toml_list([prefix + "-.*"])}

[clusters.topics]
allow = {toml_list([prefix + "-.*"])}

[clusters.series]
partition_details = {"true" if partition_details else "false"}
member_info = {"true" if member_info else "false"}
{health_table}"""
    )


def check_config(binary: Path, path: Path) -> str | None:
    """None when `lagwatch --check-config` accepts the file, else its output."""
    result = subprocess.run(
        [str(binary), "--check-config", str(path)], capture_output=True, text=True, timeout=30, env=dict(os.environ)
    )
    return None if result.returncode == 0 else result.stdout + result.stderr


def partition_value(samples: dict, name: str, group: str, topic: str, partition: int):
    """The value of a per-partition series, or NO_SERIES."""
    values = select(samples, name, kafka_cluster=CLUSTER_NAME, group=group, topic=topic, partition=str(partition))
    if len(values) > 1:
        raise AssertionError(f"{name}: several series for {group} {topic}[{partition}]: {values}")
    return next(iter(values.values())) if values else NO_SERIES


def group_value(samples: dict, name: str, group: str):
    values = {
        labels: v
        for labels, v in select(samples, name, kafka_cluster=CLUSTER_NAME, group=group).items()
        if not any(k in ("topic", "partition") for k, _ in labels)
    }
    if len(values) > 1:
        raise AssertionError(f"{name}: several series for {group}: {values}")
    return next(iter(values.values())) if values else NO_SERIES


def poll_time(samples: dict) -> float:
    """When the poll behind these samples finished, seconds since the epoch."""
    stamps = select(samples, "lagwatch_last_successful_poll_timestamp_seconds", kafka_cluster=CLUSTER_NAME)
    if not stamps:
        raise AssertionError("no lagwatch_last_successful_poll_timestamp_seconds series")
    return max(stamps.values())


def wait_for_samples(instance, predicate, timeout: float, message: str) -> dict:
    """The first scrape for which predicate(samples) is true; on timeout the assertion error
    names what was still missing, with the last scrape's relevant values."""
    last: dict = {}

    def check() -> bool:
        nonlocal last
        last = instance.scrape()
        return bool(predicate(last))

    try:
        workload.wait_until(check, timeout, interval=0.5, message=message)
    except TimeoutError as error:
        raise AssertionError(f"{error}; last lag-seconds/health series: {relevant(last)}") from None
    return last


def relevant(samples: dict) -> dict:
    keep = ("lag_seconds", "health", "data_loss")
    return {(n, tuple(sorted(l))): v for (n, l), v in samples.items() if any(k in n for k in keep)}
