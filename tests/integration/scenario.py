"""The standard broker state of the value tests: topics with known record counts and groups in
every situation lagwatch must report (full commits, partial commits, no members, active), with
the numbers lagwatch must show for them."""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass, field

import workload


@dataclass
class Expected:
    """What a correct exporter reports for the groups and topics of one scenario."""

    prefix: str
    # {(group, topic, partition): committed offset}
    offsets: dict[tuple[str, str, int], int] = field(default_factory=dict)
    # {(topic, partition): (low watermark, high watermark)}
    watermarks: dict[tuple[str, int], tuple[int, int]] = field(default_factory=dict)
    # {group: (state, members)}; state as lagwatch names it
    groups: dict[str, tuple[str, int]] = field(default_factory=dict)
    # Groups using the KIP-848 protocol, whose state and members classic DescribeGroups cannot see.
    kip848_groups: set[str] = field(default_factory=set)

    def lag(self, group: str, topic: str, partition: int) -> int:
        high = self.watermarks[(topic, partition)][1]
        return max(0, high - self.offsets[(group, topic, partition)])

    def partitions_with_commits(self) -> set[tuple[str, int]]:
        return {(topic, partition) for (_group, topic, partition) in self.offsets}


def unique_prefix(name: str) -> str:
    # Tests share one broker: every test's names are its own, and filters select them.
    return f"{name}-{uuid.uuid4().hex[:8]}"


RECORD_COUNTS = {
    "orders": {0: 10, 1: 20, 2: 30},
    "payments": {0: 4, 1: 6},
    "events": {0: 50},
    # Written to but committed by nobody: no series may appear for it.
    "unread": {0: 3, 1: 3},
}


@contextlib.contextmanager
def standard_state(bootstrap: str, with_kip848: bool):
    """Builds the standard state under a fresh prefix and yields its Expected; the active
    consumers stay in their groups until the context ends."""
    prefix = unique_prefix("std")
    topic = {name: f"{prefix}-{name}" for name in RECORD_COUNTS}
    expected = Expected(prefix)

    for name, counts in RECORD_COUNTS.items():
        workload.create_topic(bootstrap, topic[name], len(counts))
        workload.produce(bootstrap, topic[name], counts)

    def commits_for(group: str, commits: dict[tuple[str, int], int]) -> list[tuple[str, int, int]]:
        triples = [(topic[name], partition, offset) for (name, partition), offset in commits.items()]
        expected.offsets.update({(group, t, p): o for t, p, o in triples})
        return triples

    full = f"{prefix}-full"
    workload.commit_offsets(
        bootstrap,
        full,
        commits_for(
            full, {("orders", 0): 3, ("orders", 1): 20, ("orders", 2): 0, ("payments", 0): 4, ("payments", 1): 1}
        ),
    )
    expected.groups[full] = ("empty", 0)

    partial = f"{prefix}-partial"
    workload.commit_offsets(bootstrap, partial, commits_for(partial, {("orders", 0): 7, ("payments", 1): 6}))
    expected.groups[partial] = ("empty", 0)

    idle = f"{prefix}-idle"
    workload.commit_as_member(
        bootstrap,
        idle,
        [topic["payments"], topic["events"]],
        commits_for(idle, {("payments", 0): 1, ("events", 0): 25}),
    )
    expected.groups[idle] = ("empty", 0)

    with contextlib.ExitStack() as consumers:
        active = f"{prefix}-active"
        consumers.enter_context(workload.ActiveConsumer(bootstrap, active, [topic["events"]]))
        expected.offsets[(active, topic["events"], 0)] = RECORD_COUNTS["events"][0]
        expected.groups[active] = ("stable", 1)
        waits = [(active, {(topic["events"], 0): 50})]

        if with_kip848:
            kip848 = f"{prefix}-kip848"
            consumers.enter_context(workload.ActiveConsumer(bootstrap, kip848, [topic["orders"]], protocol="consumer"))
            caught_up = {(topic["orders"], p): n for p, n in RECORD_COUNTS["orders"].items()}
            expected.offsets.update({(kip848, t, p): o for (t, p), o in caught_up.items()})
            expected.groups[kip848] = ("stable", 1)
            expected.kip848_groups.add(kip848)
            waits.append((kip848, caught_up))

        for group, offsets in waits:
            workload.wait_until(
                lambda group=group, offsets=offsets: workload.committed_offsets(bootstrap, group) == offsets,
                message=f"{group} caught up",
            )
            workload.wait_until(
                lambda group=group: _is_stable_with_one_member(workload.describe_group(bootstrap, group)),
                message=f"{group} stable",
            )

        for name, counts in RECORD_COUNTS.items():
            for partition, count in counts.items():
                if (topic[name], partition) in expected.partitions_with_commits():
                    expected.watermarks[(topic[name], partition)] = (0, count)
        yield expected


def _is_stable_with_one_member(description) -> bool:
    return description.state.name == "STABLE" and len(description.members) == 1
