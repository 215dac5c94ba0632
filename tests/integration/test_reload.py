"""SIGHUP reloads the configuration: a cluster whose settings did not change keeps its poller
(no new connection, no new replay), a changed one restarts with its new settings, a removed one
disappears from /metrics, an added one appears; a bad file is refused and the running
configuration kept; secret files of kept clusters are re-read."""

from __future__ import annotations

import signal
import time

import scenario
import workload
from exposition import select
from processes import Lagwatch, free_port, lagwatch_binary, toml_list, toml_string


def cluster_table(name: str, bootstrap: str, groups_allow: list[str], topics_allow: list[str],
                  client_id_file: str | None = None, labels: dict[str, str] | None = None) -> str:
    properties = f'"client.id" = {{ file = {toml_string(client_id_file)} }}\n' if client_id_file else ""
    static = "".join(f"{key} = {toml_string(value)}\n" for key, value in (labels or {}).items())
    return f"""
[[clusters]]
name = {toml_string(name)}
bootstrap_servers = {toml_string(bootstrap)}
[clusters.groups]
allow = {toml_list(groups_allow)}
[clusters.topics]
allow = {toml_list(topics_allow)}
[clusters.labels]
{static}[clusters.librdkafka]
{properties}"""


def config_text(port: int, clusters: list[str], log_level: str = "info", server: str = "") -> str:
    """`server`: more lines for [server]."""
    return f"""[server]
listen_address = "127.0.0.1:{port}"
{server}[poll]
interval = "1s"
request_timeout = "5s"
[log]
level = "{log_level}"
""" + "".join(clusters)


def clusters_up(instance: Lagwatch) -> dict[str, float]:
    return {dict(labels)["kafka_cluster"]: value
            for labels, value in select(instance.scrape(), "lagwatch_up").items()}


def exported_groups(instance: Lagwatch, cluster: str) -> set[str]:
    lags = select(instance.scrape(), "lagwatch_group_partition_lag", kafka_cluster=cluster)
    return {dict(labels)["group"] for labels in lags}


def successes_logged(instance: Lagwatch, cluster: str) -> int:
    """A poller logs this once when it first succeeds: a new poller logs it again."""
    return instance.output().count(f"cluster {cluster}: poll succeeded")


def reload(instance: Lagwatch, config_path, text: str) -> None:
    config_path.write_text(text)
    reloads = instance.output().count("configuration reloaded") + instance.output().count("reload refused")
    instance.process.send_signal(signal.SIGHUP)
    workload.wait_until(
        lambda: instance.output().count("configuration reloaded") + instance.output().count("reload refused")
        > reloads,
        30, message="the reload's log line")


def test_sighup_reloads_clusters_keeping_the_unchanged_ones(kafka, tmp_path):
    prefix = scenario.unique_prefix("reload")
    topic, first, second = f"{prefix}-t", f"{prefix}-first", f"{prefix}-second"
    workload.create_topic(kafka.bootstrap, topic, 1)
    workload.produce(kafka.bootstrap, topic, {0: 10})
    workload.commit_offsets(kafka.bootstrap, first, [(topic, 0, 3)])
    workload.commit_offsets(kafka.bootstrap, second, [(topic, 0, 4)])
    client_id = tmp_path / "client-id"
    client_id.write_text("lagwatch-reload-a")

    port = free_port()
    config_path = tmp_path / "lagwatch.toml"
    topics = [f"{prefix}-.*"]
    keep = cluster_table("keep", kafka.bootstrap, [f"{prefix}-.*"], topics, str(client_id))
    change_first = cluster_table("change", kafka.bootstrap, [first], topics)
    change_second = cluster_table("change", kafka.bootstrap, [second], topics)
    gone = cluster_table("gone", kafka.bootstrap, [first], topics)
    added = cluster_table("added", kafka.bootstrap, [second], topics, labels={"env": "staging"})
    config_path.write_text(config_text(port, [keep, change_first, gone]))
    instance = Lagwatch(lagwatch_binary(), config_path, tmp_path / "lagwatch.log", port)
    try:
        instance.start()
        workload.wait_until(lambda: exported_groups(instance, "keep") == {first, second}, 60,
                            message="every cluster exports its groups")
        workload.wait_until(lambda: exported_groups(instance, "change") == {first}, 60, message="change exports first")
        assert clusters_up(instance) == {"keep": 1, "change": 1, "gone": 1}

        client_id.write_text("lagwatch-reload-b")
        reload(instance, config_path, config_text(port, [keep, change_second, added]))
        assert instance.is_running()
        workload.wait_until(lambda: exported_groups(instance, "change") == {second}, 60,
                            message="the changed cluster follows its new filter")
        workload.wait_until(lambda: exported_groups(instance, "added") == {second}, 60,
                            message="the added cluster exports")
        workload.wait_until(lambda: set(clusters_up(instance)) == {"keep", "change", "added"}, 30,
                            message="the removed cluster's series are gone")
        assert not any(dict(labels).get("kafka_cluster") == "gone" for _, labels in instance.scrape())
        assert instance.get("/readyz").status == 200
        # [clusters.labels] of the added cluster: on its group series and on lagwatch's own.
        scraped = instance.scrape()
        assert select(scraped, "lagwatch_group_partition_lag", kafka_cluster="added", env="staging")
        assert select(scraped, "lagwatch_up", kafka_cluster="added", env="staging")
        assert not select(scraped, "lagwatch_up", kafka_cluster="keep", env="staging")
        # The kept poller did not start again; the changed one did.
        assert successes_logged(instance, "keep") == 1
        assert successes_logged(instance, "change") == 2
        assert exported_groups(instance, "keep") == {first, second}
        # ...and it re-read its secret file, which changed, reconnecting with the new value.
        workload.wait_until(lambda: "cluster keep: secret files changed" in instance.output(), 30,
                            message="the kept cluster re-reads its secret file")
        assert "lagwatch-reload-b" not in instance.output()

        # A file that does not parse is refused: nothing stops, polls go on.
        reload(instance, config_path, "[[clusters]\nname = ")
        assert "reload refused, keeping the running configuration" in instance.output()
        before = max(select(instance.scrape(), "lagwatch_last_successful_poll_timestamp_seconds",
                            kafka_cluster="keep").values())
        workload.wait_until(
            lambda: max(select(instance.scrape(), "lagwatch_last_successful_poll_timestamp_seconds",
                               kafka_cluster="keep").values()) > before,
            30, message="polls go on after a refused reload")
        assert set(clusters_up(instance)) == {"keep", "change", "added"}
        assert instance.is_running()

        # SIGTERM still stops it, promptly and cleanly, after reloads.
        stopping = time.monotonic()
        instance.process.send_signal(signal.SIGTERM)
        assert instance.process.wait(timeout=30) == 0
        assert time.monotonic() - stopping < 30
    finally:
        instance.stop()
