"""Without `__consumer_offsets` (switched off here; the same path serves a missing READ ACL)
rebalances are inferred from describe polls: a lower bound, announced by
lagwatch_rebalance_source, with no generation series."""

from __future__ import annotations

import os

import pytest

import scenario
import workload
from processes import Lagwatch, free_port, lagwatch_binary, wait_for_fresh_poll
from rebalance_workload import ClassicGroup, value, wait_value, write_config

pytestmark = pytest.mark.usefixtures("kafka")


def start_without_reader(kafka, tmp_path, prefix: str) -> Lagwatch:
    binary = lagwatch_binary()
    if not os.access(binary, os.X_OK):
        pytest.fail(f"lagwatch binary {binary} not found: build it or set LAGWATCH_BIN")
    port = free_port()
    config_path = tmp_path / "lagwatch.toml"
    write_config(config_path, port, kafka.bootstrap, "1s", prefix)
    with config_path.open("a") as config:
        config.write("\n[clusters.consumer_offsets]\nenabled = false\n")
    instance = Lagwatch(binary, config_path, tmp_path / "lagwatch.log", port)
    instance.start()
    return instance


def test_describe_fallback_counts_a_lower_bound(kafka, tmp_path):
    prefix = scenario.unique_prefix("rebfb")
    topic, name = f"{prefix}-t", f"{prefix}-g"
    workload.create_topic(kafka.bootstrap, topic, 2)
    instance = start_without_reader(kafka, tmp_path, prefix)
    group = ClassicGroup(kafka.bootstrap, name, topic)
    try:
        assert value(instance, "lagwatch_rebalance_source", source="describe") == 1.0
        assert value(instance, "lagwatch_rebalance_source", source="consumer_offsets") == 0.0
        assert value(instance, "lagwatch_offsets_reader_caught_up") is None

        group.join()
        wait_value(instance, "lagwatch_group_members", 1.0, group=name)
        wait_for_fresh_poll(instance)
        baseline = value(instance, "lagwatch_group_rebalances_total", group=name)
        assert baseline is not None
        changes_before = group.changes

        # One change at a time, each given time to be seen by a poll.
        for step in (group.join, group.leave, group.join):
            step()
            wait_for_fresh_poll(instance)
            wait_for_fresh_poll(instance)
        made = group.changes - changes_before
        counted = value(instance, "lagwatch_group_rebalances_total", group=name) - baseline
        assert 1 <= counted <= made
        # Generation and commit counters need __consumer_offsets: no series rather than a guess.
        assert value(instance, "lagwatch_group_generation", group=name) is None
        assert value(instance, "lagwatch_group_offset_commits_total", group=name) is None
    finally:
        group.close()
        instance.stop()
