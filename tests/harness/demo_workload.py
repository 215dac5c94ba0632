"""Traffic for the demo: three topics with a few records per second, a group that keeps up
(demo-fast), one that falls further behind every second (demo-slow) and one that committed once
and has no members (demo-idle). Runs until SIGINT/SIGTERM or --duration seconds."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time
from pathlib import Path

from confluent_kafka import KafkaException, Producer

sys.path.insert(0, str(Path(__file__).resolve().parent))

import workload  # noqa: E402

TOPICS = {"demo-orders": 3, "demo-payments": 2, "demo-clicks": 1}
RECORDS_PER_SECOND_PER_TOPIC = 4
SLOW_RECORDS_PER_SECOND = 2.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bootstrap", required=True, help="host:port of the broker")
    parser.add_argument("--duration", type=float, default=0, help="stop after this many seconds (0: until signalled)")
    return parser.parse_args()


def ensure_topics(bootstrap: str) -> None:
    existing = workload.admin(bootstrap).list_topics(timeout=10).topics
    for topic, partitions in TOPICS.items():
        if topic not in existing:
            workload.create_topic(bootstrap, topic, partitions)


def produce_forever(bootstrap: str, stop: threading.Event) -> None:
    producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 20})
    sequence = 0
    while not stop.is_set():
        for topic in TOPICS:
            for _ in range(RECORDS_PER_SECOND_PER_TOPIC):
                producer.produce(topic, key=str(sequence).encode(), value=f"record {sequence}".encode())
                sequence += 1
        producer.poll(0)
        stop.wait(1.0)
    producer.flush(10)


def main() -> int:
    args = parse_args()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())

    ensure_topics(args.bootstrap)
    # demo-idle: a group that read a little once and is gone, so its lag only grows.
    workload.produce(args.bootstrap, "demo-payments", {0: 5, 1: 5})
    workload.commit_offsets(args.bootstrap, "demo-idle", [("demo-payments", 0, 2), ("demo-payments", 1, 3)])

    producer = threading.Thread(target=produce_forever, args=(args.bootstrap, stop), daemon=True)
    producer.start()
    fast = workload.ActiveConsumer(args.bootstrap, "demo-fast", list(TOPICS)).start()
    # demo-orders gets RECORDS_PER_SECOND_PER_TOPIC per second; demo-slow reads fewer than that.
    slow = workload.ActiveConsumer(
        args.bootstrap, "demo-slow", ["demo-orders"], max_records_per_second=SLOW_RECORDS_PER_SECOND
    ).start()
    print("demo workload running: demo-fast keeps up, demo-slow falls behind, demo-idle has no members", flush=True)

    deadline = time.monotonic() + args.duration if args.duration > 0 else None
    while not stop.is_set():
        if deadline is not None and time.monotonic() >= deadline:
            break
        stop.wait(0.5)
    stop.set()
    for consumer in (fast, slow):
        try:
            consumer.stop()
        except (TimeoutError, KafkaException) as error:
            print(f"demo workload: {error}", file=sys.stderr)
    producer.join(15)
    return 0


if __name__ == "__main__":
    sys.exit(main())
