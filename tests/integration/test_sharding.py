"""Horizontal scale: n instances started with --shard i/n split a cluster's groups so that,
together, they export exactly the series one unsharded instance exports — none twice, none
missing — and each fetches watermarks only for the partitions its own groups need."""

from __future__ import annotations

import workload
from exposition import parse
from processes import Lagwatch, free_port, lagwatch_binary, wait_for_fresh_poll, write_config

import scenario

SHARDS = 3
# Above lagwatch's threshold (32) for describing broker-wide: the unsharded instance describes
# through ListGroups/DescribeGroups per broker, each shard (~13 groups) through the per-group
# admin call, so the equality below also checks that both paths agree.
GROUPS = 40
GROUP_FAMILIES = (
    "lagwatch_group_partition_committed_offset",
    "lagwatch_group_partition_lag",
    "lagwatch_group_topic_lag",
    "lagwatch_group_lag",
    "lagwatch_group_members",
    "lagwatch_group_state",
)


def start_instance(kafka, tmp_path, prefix: str, name: str, extra_args: tuple[str, ...]) -> Lagwatch:
    port = free_port()
    config_path = tmp_path / f"{name}.toml"
    write_config(config_path, port, kafka.bootstrap, "it", (f"{prefix}-.*",), (), (f"{prefix}-.*",), ())
    instance = Lagwatch(lagwatch_binary(), config_path, tmp_path / f"{name}.log", port, extra_args=extra_args)
    instance.start()
    return instance


def group_series(text: str) -> dict:
    return {key: value for key, value in parse(text).items() if key[0] in GROUP_FAMILIES}


def watermark_topics(text: str) -> set[str]:
    return {
        dict(labels)["topic"] for (name, labels) in parse(text) if name == "lagwatch_partition_high_watermark"
    }


def test_shards_together_export_exactly_the_unsharded_series(kafka, tmp_path):
    prefix = scenario.unique_prefix("shard")
    # One topic per group, so every shard's watermark set is exactly its groups' topics.
    for i in range(GROUPS):
        topic = f"{prefix}-t{i}"
        workload.create_topic(kafka.bootstrap, topic, 2)
        workload.produce(kafka.bootstrap, topic, {0: 10 + i, 1: 5})
        workload.commit_offsets(kafka.bootstrap, f"{prefix}-g{i}", [(topic, 0, i), (topic, 1, 5)])

    instances = [start_instance(kafka, tmp_path, prefix, "all", ())]
    instances += [
        start_instance(kafka, tmp_path, prefix, f"shard{i}", ("--shard", f"{i}/{SHARDS}")) for i in range(SHARDS)
    ]
    try:
        for instance in instances:
            wait_for_fresh_poll(instance)
        texts = [instance.raw_text() for instance in instances]
        whole = group_series(texts[0])
        assert len([k for k in whole if k[0] == "lagwatch_group_members"]) == GROUPS

        union: dict = {}
        groups_by_shard = []
        for text in texts[1:]:
            part = group_series(text)
            duplicated = set(part) & set(union)
            assert not duplicated, f"series exported by two shards: {sorted(duplicated)[:5]}"
            union.update(part)
            groups = {dict(labels)["group"] for (_, labels) in part}
            groups_by_shard.append(groups)
            # Watermarks only for the topics of this shard's groups.
            expected_topics = {f"{prefix}-t{g.rsplit('-g', 1)[1]}" for g in groups}
            assert watermark_topics(text) == expected_topics
        assert union == whole
        # The hash spreads the groups over all three shards.
        assert all(groups_by_shard), groups_by_shard
    finally:
        for instance in instances:
            instance.stop()
