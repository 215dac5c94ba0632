"""Turns a scrape, or a scenario's expectations, into one comparable view: per metric family a
dict keyed by plain tuples, so a whole state is checked with one equality and pytest shows the
difference."""

from __future__ import annotations

from collections import defaultdict

import workload
from exposition import select
from processes import CLUSTER_NAME
from scenario import Expected

GROUP_PARTITION = ("group", "topic", "partition")
PARTITION = ("topic", "partition")


def keyed(samples: dict, name: str, label_names: tuple[str, ...]) -> dict[tuple, float]:
    """Series of `name` in the test cluster keyed by the values of `label_names`; a series with
    other labels than exactly these keeps all of them in its key, so it can never match."""
    keyed: dict[tuple, float] = {}
    for labels, value in select(samples, name, kafka_cluster=CLUSTER_NAME).items():
        label_map = dict(labels)
        if set(label_map) != set(label_names):
            keyed[("unexpected labels", tuple(sorted(label_map.items())))] = value
            continue
        key = tuple(int(label_map[n]) if n == "partition" else label_map[n] for n in label_names)
        keyed[key] = value
    return keyed


def _unwrap(keyed: dict[tuple, float]) -> dict:
    return {key[0] if len(key) == 1 else key: value for key, value in keyed.items()}


def observed(samples: dict, with_groups: bool = True) -> dict[str, dict]:
    view = {
        "committed_offset": keyed(samples, "lagwatch_group_partition_committed_offset", GROUP_PARTITION),
        "lag": keyed(samples, "lagwatch_group_partition_lag", GROUP_PARTITION),
        "topic_lag": keyed(samples, "lagwatch_group_topic_lag", ("group", "topic")),
        "high_watermark": keyed(samples, "lagwatch_partition_high_watermark", PARTITION),
        "low_watermark": keyed(samples, "lagwatch_partition_low_watermark", PARTITION),
    }
    if with_groups:
        view["members"] = _unwrap(keyed(samples, "lagwatch_group_members", ("group",)))
        view["state"] = keyed(samples, "lagwatch_group_state", ("group", "state"))
    return view


def expected_view(expected: Expected, with_groups: bool = True) -> dict[str, dict]:
    topic_lag: dict[tuple, float] = defaultdict(float)
    for group, topic, partition in expected.offsets:
        topic_lag[(group, topic)] += expected.lag(group, topic, partition)
    view = {
        "committed_offset": {key: float(offset) for key, offset in expected.offsets.items()},
        "lag": {key: float(expected.lag(*key)) for key in expected.offsets},
        "topic_lag": dict(topic_lag),
        "high_watermark": {key: float(high) for key, (_low, high) in expected.watermarks.items()},
        "low_watermark": {key: float(low) for key, (low, _high) in expected.watermarks.items()},
    }
    if with_groups:
        view["members"] = {group: float(members) for group, (_state, members) in expected.groups.items()}
        view["state"] = {(group, state): 1.0 for group, (state, _members) in expected.groups.items()}
    return view


def without_groups(view: dict[str, dict], groups: set[str]) -> dict[str, dict]:
    """The view with the members and state series of `groups` left out."""
    trimmed = dict(view)
    if "members" in view:
        trimmed["members"] = {g: v for g, v in view["members"].items() if g not in groups}
        trimmed["state"] = {k: v for k, v in view["state"].items() if k[0] not in groups}
    return trimmed


def converged(
    instance, wanted: dict, with_groups: bool = True, ignore_groups=frozenset(), timeout: float = 30.0
) -> dict:
    """The observed view once it equals `wanted`, or the last one seen when `timeout` runs out,
    so that the caller's assertion shows what is still different."""
    last: dict = {}

    def matches() -> bool:
        nonlocal last
        last = without_groups(observed(instance.scrape(), with_groups), set(ignore_groups))
        return last == wanted

    try:
        workload.wait_until(matches, timeout, interval=0.5, message="lagwatch values")
    except TimeoutError:
        pass
    return last
