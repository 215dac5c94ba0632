"""[clusters.series] kafka_exporter_names against the real broker: kafka_exporter's families
equal Kafka's own answers (kafka-consumer-groups, the topic's metadata and watermarks), the
panel expressions of kafka_exporter dashboards give Kafka's numbers in a real Prometheus
scraping lagwatch, and with the key off none of the families is served."""

from __future__ import annotations

import sys
from pathlib import Path

import scenario
import workload
from exposition import labels, parse, select
from kafka_tools import committed_rows, group_states
from processes import CLUSTER_NAME, Lagwatch, free_port, lagwatch_binary, wait_for_fresh_poll, write_config

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "dashboards"))
from prometheus_server import PrometheusServer  # noqa: E402

# The issue's spelling, for every cluster; the sharded test below uses the per-cluster one.
SWITCHED_ON = '[clusters.labels]\nenv = "it"\n\n[metrics]\nkafka_exporter_names = true'
FAMILIES = [
    "kafka_consumergroup_current_offset",
    "kafka_consumergroup_lag",
    "kafka_consumergroup_current_offset_sum",
    "kafka_consumergroup_lag_sum",
    "kafka_consumergroup_members",
    "kafka_topic_partitions",
    "kafka_topic_partition_current_offset",
    "kafka_topic_partition_oldest_offset",
    "kafka_topic_partition_leader",
    "kafka_topic_partition_replicas",
    "kafka_topic_partition_in_sync_replica",
    "kafka_topic_partition_under_replicated_partition",
    "kafka_topic_partition_leader_is_preferred",
    "kafka_brokers",
    "kafka_broker_info",
]
PARTITIONS = 3
PRODUCED = {0: 9, 1: 5, 2: 4}
# Partition 2 gets no commit: kafka_exporter would write -1 there, lagwatch no series.
COMMITS = {0: 3, 1: 5}
WAIT_S = 60.0


def kafka_answers(kafka, topic: str, group: str) -> dict[str, dict[frozenset, float]]:
    """What lagwatch must serve, every family keyed as select() keys it, from Kafka's own tools:
    kafka-consumer-groups for the group, the Metadata and ListOffsets replies for the topic."""
    rows = committed_rows(kafka.consumer_groups("--describe", "--group", group))
    members = group_states(kafka.consumer_groups("--describe", "--group", group, "--state"))[group][1]
    metadata = workload.admin(kafka.bootstrap).list_topics(topic=topic, timeout=10)
    partitions = metadata.topics[topic].partitions
    ours = {(p, values) for (g, t, p), values in rows.items() if g == group and t == topic}
    want: dict[str, dict[frozenset, float]] = {name: {} for name in FAMILIES}
    for partition, (current, _log_end, lag) in ours:
        key = labels(consumergroup=group, topic=topic, partition=partition)
        want["kafka_consumergroup_current_offset"][key] = current
        want["kafka_consumergroup_lag"][key] = lag
    by_topic = labels(consumergroup=group, topic=topic)
    want["kafka_consumergroup_current_offset_sum"][by_topic] = sum(v[0] for _p, v in ours)
    want["kafka_consumergroup_lag_sum"][by_topic] = sum(v[2] for _p, v in ours)
    want["kafka_consumergroup_members"][labels(consumergroup=group)] = members
    want["kafka_topic_partitions"][labels(topic=topic)] = len(partitions)
    for partition, described in partitions.items():
        key = labels(topic=topic, partition=partition)
        low, high = workload.watermarks(kafka.bootstrap, topic, partition)
        want["kafka_topic_partition_current_offset"][key] = high
        want["kafka_topic_partition_oldest_offset"][key] = low
        want["kafka_topic_partition_leader"][key] = described.leader
        want["kafka_topic_partition_replicas"][key] = len(described.replicas)
        want["kafka_topic_partition_in_sync_replica"][key] = len(described.isrs)
        want["kafka_topic_partition_under_replicated_partition"][key] = int(len(described.isrs) < len(described.replicas))
        want["kafka_topic_partition_leader_is_preferred"][key] = int(described.leader == described.replicas[0])
    want["kafka_brokers"][labels()] = len(metadata.brokers)
    for broker in metadata.brokers.values():
        want["kafka_broker_info"][labels(id=broker.id, address=f"{broker.host}:{broker.port}")] = 1
    return want


def served(instance) -> dict[str, dict[frozenset, float]]:
    samples = instance.scrape()
    return {name: select(samples, name, kafka_cluster=CLUSTER_NAME, env="it") for name in FAMILIES}


def wait_until_served_equals_kafka(kafka, instance, topic: str, group: str) -> dict:
    last: dict[str, dict] = {}

    def agree() -> bool:
        last["kafka"] = kafka_answers(kafka, topic, group)
        last["served"] = served(instance)
        return last["served"] == last["kafka"]

    try:
        workload.wait_until(agree, WAIT_S, interval=1.0, message="kafka_exporter families equal Kafka's answers")
    except TimeoutError:
        raise AssertionError(f"served {last['served']}\nKafka {last['kafka']}") from None
    return last["kafka"]


def only_value(prometheus: PrometheusServer, expr: str, **wanted_labels: str) -> float | None:
    """The value of the one series `expr` gives, its labels `wanted_labels` exactly (the name,
    job and instance aside); None while Prometheus has none."""
    status, result, error = prometheus.query(expr)
    assert status == "success", f"{expr}: {error}"
    if not result:
        return None
    assert len(result) == 1, f"{expr}: {result}"
    metric = {k: v for k, v in result[0]["metric"].items() if k not in ("__name__", "job", "instance")}
    assert metric == wanted_labels, f"{expr}: {result}"
    return float(result[0]["value"][1])


def wait_for_value(prometheus: PrometheusServer, expr: str, want: float, **wanted_labels: str) -> None:
    last: dict[str, float | None] = {"value": None}

    def equal() -> bool:
        last["value"] = only_value(prometheus, expr, **wanted_labels)
        return last["value"] == want

    try:
        workload.wait_until(equal, WAIT_S, interval=1.0, message=f"{expr} = {want}")
    except TimeoutError as timeout:
        raise AssertionError(f"{expr}: {last['value']}, Kafka says {want} ({timeout})") from None


def test_kafka_exporter_families_equal_kafkas_answers_and_its_panels_work(kafka, lagwatch, tmp_path):
    prefix = scenario.unique_prefix("kexp")
    topic, group = f"{prefix}-t", f"{prefix}-g"
    workload.create_topic(kafka.bootstrap, topic, PARTITIONS)
    workload.produce(kafka.bootstrap, topic, PRODUCED)
    workload.commit_offsets(kafka.bootstrap, group, [(topic, p, offset) for p, offset in COMMITS.items()])
    on = lagwatch(groups_allow=[f"{prefix}-.*"], topics_allow=[f"{prefix}-.*"], extra_config=SWITCHED_ON)
    off = lagwatch(groups_allow=[f"{prefix}-.*"], topics_allow=[f"{prefix}-.*"])

    want = wait_until_served_equals_kafka(kafka, on, topic, group)
    # Kafka's own answer key has the uncommitted partition too ("-"); neither side serves it.
    uncommitted = labels(consumergroup=group, topic=topic, partition=2)
    assert uncommitted not in want["kafka_consumergroup_lag"]
    assert want["kafka_consumergroup_lag"] == {
        labels(consumergroup=group, topic=topic, partition=p): PRODUCED[p] - c for p, c in COMMITS.items()
    }
    assert all(value >= 0 for family in served(on).values() for value in family.values())

    # The same groups and topics at the default configuration: none of the families.
    workload.wait_until(
        lambda: select(off.scrape(), "lagwatch_group_partition_lag", group=group), WAIT_S, interval=1.0,
        message="lagwatch without the key serves the group",
    )
    text = off.raw_text()
    assert [name for name in FAMILIES if f"# TYPE {name} " in text or f"\n{name}{{" in text] == []

    lag_total = sum(want["kafka_consumergroup_lag"].values())
    high_total = sum(want["kafka_topic_partition_current_offset"].values())
    with PrometheusServer(tmp_path / "prometheus", targets=[f"127.0.0.1:{on.port}"]) as prometheus:
        # Panels of kafka_exporter dashboards, as they are written there (lagwatch watches only
        # this test's topic and group).
        wait_for_value(prometheus, "sum(kafka_consumergroup_lag) by (consumergroup)", lag_total, consumergroup=group)
        wait_for_value(
            prometheus, "sum(kafka_consumergroup_lag_sum) by (consumergroup, topic)", lag_total,
            consumergroup=group, topic=topic,
        )
        # Unaggregated, the series carry lagwatch's cluster labels beside kafka_exporter's.
        cluster = {"kafka_cluster": CLUSTER_NAME, "env": "it"}
        wait_for_value(prometheus, "kafka_topic_partitions", PARTITIONS, topic=topic, **cluster)
        wait_for_value(prometheus, "kafka_brokers", want["kafka_brokers"][labels()], **cluster)
        wait_for_value(prometheus, "sum(kafka_topic_partition_current_offset) by (topic)", high_total, topic=topic)
        wait_for_value(
            prometheus, "sum(kafka_topic_partition_under_replicated_partition)",
            sum(want["kafka_topic_partition_under_replicated_partition"].values()),
        )
        # Rate panels: messages produced while Prometheus scrapes show up in the offsets' growth.
        more = 7
        workload.produce(kafka.bootstrap, topic, {0: more})
        wait_for_value(
            prometheus,
            "sum(max_over_time(kafka_topic_partition_current_offset[10m])"
            " - min_over_time(kafka_topic_partition_current_offset[10m])) by (topic)",
            more,
            topic=topic,
        )
        status, result, error = prometheus.query("sum(rate(kafka_topic_partition_current_offset[10m])) by (topic) > 0")
        assert status == "success" and [r["metric"] for r in result] == [{"topic": topic}], (error, result)
        # The lag of the group, which did not consume them, grew by as many.
        wait_for_value(
            prometheus, "sum(kafka_consumergroup_lag) by (consumergroup)", lag_total + more, consumergroup=group
        )


def start_sharded(kafka, tmp_path, prefix: str, name: str, shard: tuple[str, ...]) -> Lagwatch:
    port = free_port()
    config_path = tmp_path / f"{name}.toml"
    write_config(config_path, port, kafka.bootstrap, CLUSTER_NAME, (f"{prefix}-.*",), (), (f"{prefix}-.*",), ())
    with config_path.open("a") as config:
        config.write("\n[clusters.series]\nkafka_exporter_names = true\n")
    instance = Lagwatch(lagwatch_binary(), config_path, tmp_path / f"{name}.log", port, extra_args=shard)
    instance.start()
    return instance


def kafka_exporter_series(text: str, families) -> dict:
    return {key: value for key, value in parse(text).items() if key[0] in families}


def test_shards_split_the_group_families_and_shard_0_alone_serves_topics_and_brokers(kafka, tmp_path):
    prefix = scenario.unique_prefix("kexpshard")
    topic = f"{prefix}-t"
    workload.create_topic(kafka.bootstrap, topic, 2)
    workload.produce(kafka.bootstrap, topic, {0: 8, 1: 6})
    groups = 16
    for g in range(groups):
        workload.commit_offsets(kafka.bootstrap, f"{prefix}-g{g}", [(topic, 0, g), (topic, 1, 6)])
    group_families = {name for name in FAMILIES if name.startswith("kafka_consumergroup_")}
    cluster_families = set(FAMILIES) - group_families

    instances = [start_sharded(kafka, tmp_path, prefix, "all", ())]
    instances += [start_sharded(kafka, tmp_path, prefix, f"shard{i}", ("--shard", f"{i}/2")) for i in range(2)]
    try:
        for instance in instances:
            wait_for_fresh_poll(instance)
        whole, *shards = [instance.raw_text() for instance in instances]
        whole_groups = kafka_exporter_series(whole, group_families)
        members = [key for key in whole_groups if key[0] == "kafka_consumergroup_members"]
        assert len(members) == groups, members
        union: dict = {}
        for text in shards:
            part = kafka_exporter_series(text, group_families)
            assert part, "the hash gives each of the two shards some of the 16 groups"
            assert not set(part) & set(union)
            union.update(part)
        assert union == whole_groups
        whole_cluster = kafka_exporter_series(whole, cluster_families)
        assert {key[0] for key in whole_cluster} == cluster_families
        assert kafka_exporter_series(shards[0], cluster_families) == whole_cluster
        assert kafka_exporter_series(shards[1], cluster_families) == {}
    finally:
        for instance in instances:
            instance.stop()
