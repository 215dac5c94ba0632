"""Fills `__consumer_offsets` with GROUPS x ROUNDS x PARTITIONS offset commit records: every group
commits offsets 1..ROUNDS to every partition of one topic, one synchronous commit per round.

    commit_load.py BOOTSTRAP TOPIC GROUP_PREFIX GROUPS ROUNDS PARTITIONS [THREADS]

Commits do not need the records to exist, so the topic stays empty. Prints the number of commit
records written."""

from __future__ import annotations

import sys
import threading

import time

from confluent_kafka import Consumer, KafkaException, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

TIMEOUT_S = 60
COMMIT_ATTEMPTS = 60  # the coordinator of a freshly created __consumer_offsets needs a moment


def create_topic(bootstrap: str, topic: str, partitions: int) -> None:
    admin = AdminClient({"bootstrap.servers": bootstrap})
    admin.create_topics([NewTopic(topic, num_partitions=partitions, replication_factor=1)])[topic].result(
        timeout=TIMEOUT_S
    )


def commit_with_retries(consumer: Consumer, offsets: list[TopicPartition]):
    for attempt in range(COMMIT_ATTEMPTS):
        try:
            return consumer.commit(offsets=offsets, asynchronous=False)
        except KafkaException as error:
            if not error.args[0].retriable() or attempt + 1 == COMMIT_ATTEMPTS:
                raise
            time.sleep(0.5)
    return None


def commit_rounds(bootstrap: str, topic: str, group: str, rounds: int, partitions: int) -> None:
    consumer = Consumer(
        {"bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": False, "socket.timeout.ms": TIMEOUT_S * 1000}
    )
    try:
        for offset in range(1, rounds + 1):
            result = commit_with_retries(consumer, [TopicPartition(topic, p, offset) for p in range(partitions)])
            failed = [tp for tp in result or [] if tp.error is not None]
            if failed:
                raise RuntimeError(f"commit for {group} failed: {failed[:3]}")
    finally:
        consumer.close()


def main() -> int:
    bootstrap, topic, prefix = sys.argv[1:4]
    groups, rounds, partitions = (int(v) for v in sys.argv[4:7])
    threads = int(sys.argv[7]) if len(sys.argv) > 7 else 4
    create_topic(bootstrap, topic, partitions)
    errors: list[BaseException] = []
    next_group = iter(range(groups))
    lock = threading.Lock()

    def worker() -> None:
        while True:
            with lock:
                index = next(next_group, None)
            if index is None or errors:
                return
            try:
                commit_rounds(bootstrap, topic, f"{prefix}-{index}", rounds, partitions)
            except BaseException as error:  # noqa: BLE001 - reported below
                errors.append(error)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=3600)
    if errors or any(thread.is_alive() for thread in pool):
        print(f"commit_load: failed: {errors[:3]}", file=sys.stderr)
        return 1
    print(groups * rounds * partitions)
    return 0


if __name__ == "__main__":
    sys.exit(main())
