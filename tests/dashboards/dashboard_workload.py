"""The Kafka side of the live dashboard test: a lagwatch config tuned so that every condition
shows within seconds, a producer that keeps the orders topic moving, and record deletion.
Uses the shared harness (tests/harness/workload.py, tests/integration/processes.py) without
changing it."""

import threading
from pathlib import Path

from confluent_kafka import Producer, TopicPartition

import workload
from processes import CLUSTER_NAME, toml_list, toml_string

PRODUCE_EVERY_S = 0.2
# Health verdicts over 4 one-second polls instead of 10 over two minutes, and STOP after 8 s
# without progress instead of 5 minutes, so STALL/STOP appear while the test runs.
FAST_HEALTH = {"window": 4, "min_span": "4s", "stop_after": "8s"}


def write_config(path: Path, port: int, bootstrap: str, prefix: str, exact_groups) -> None:
    """lagwatch polling every second, watching only `prefix`'s groups and topics, with exact lag
    seconds for the groups matching `exact_groups` (the others get estimates) and FAST_HEALTH.
    [clusters.series] partition_details and member_info are on so that every panel, including
    those showing the opt-in families (their descriptions say so), is checked for data."""
    health = "\n".join("%s = %s" % (key, toml_string(value) if isinstance(value, str) else value)
                       for key, value in FAST_HEALTH.items())
    path.write_text(f"""[server]
listen_address = "127.0.0.1:{port}"

[poll]
interval = "1s"
request_timeout = "5s"

[[clusters]]
name = {toml_string(CLUSTER_NAME)}
bootstrap_servers = {toml_string(bootstrap)}
lag_seconds = "exact"
exact_groups = {toml_list(exact_groups)}

[clusters.groups]
allow = {toml_list([prefix + "-.*"])}

[clusters.topics]
allow = {toml_list([prefix + "-.*"])}

[clusters.series]
partition_details = true
member_info = true

[clusters.health]
{health}
""")


class BackgroundProducer:
    """Writes one record to every partition of `topic` every PRODUCE_EVERY_S until stopped, so
    high watermarks (production rate) keep moving and stopped groups keep falling behind."""

    def __init__(self, bootstrap, topic, partitions):
        self._producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 5})
        self._topic = topic
        self._partitions = partitions
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="dashboard-producer", daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *_exc):
        self.stop()

    def _run(self):
        while not self._stop.wait(PRODUCE_EVERY_S):
            for partition in range(self._partitions):
                self._producer.produce(self._topic, value=b"x", partition=partition)
            self._producer.poll(0)
        self._producer.flush(10)

    def stop(self):
        self._stop.set()
        self._thread.join(30)


def delete_records_before(bootstrap, topic, partition, offset, timeout=30.0):
    """Deletes the partition's records below `offset`, as retention would."""
    # The client must outlive the futures: a destroyed client never completes them.
    client = workload.admin(bootstrap)
    futures = client.delete_records([TopicPartition(topic, partition, offset)])
    for future in futures.values():
        future.result(timeout=timeout)
