"""docs/metrics.md against a real scrape: every metric it names is served by a lagwatch watching
a workload that exercises every family, and every family served is documented."""

from __future__ import annotations

import re
from pathlib import Path

import lag_seconds_workload as lsw
import scenario
import workload
from rebalance_workload import ClassicGroup
from test_lag_seconds import start_lagwatch  # noqa: F401

DOCS = Path(__file__).resolve().parents[2] / "docs" / "metrics.md"
NAME = re.compile(r"`((?:lagwatch|process)_[a-z_]+)`")
# Served only where the principal's ACLs hide a topic, which this plain broker cannot do:
# test_security.py's hidden-topic test scrapes it from the secured broker.
NEEDS_ACLS = {"lagwatch_group_unauthorized_topics"}
# Off by default, on with [clusters.series] partition_details (docs/metrics.md, "Series budget").
PARTITION_DETAILS = {
    "lagwatch_group_partition_health",
    "lagwatch_group_partition_data_loss_messages",
    "lagwatch_group_partition_last_commit_timestamp_seconds",
    "lagwatch_group_partition_lag_seconds_lower_bound",
    "lagwatch_group_partition_lag_seconds_exact",
    "lagwatch_group_partition_uncommitted",
}
# Off by default, on with [clusters.series] member_info (the same section).
MEMBER_INFO = {"lagwatch_group_member_info"}
OPT_IN = PARTITION_DETAILS | MEMBER_INFO
OPT_IN_ROW = re.compile(r"^- `(lagwatch_group_[a-z_]+)`")


def documented_names() -> set[str]:
    names: set[str] = set()
    for line in DOCS.read_text().splitlines():
        names.update(NAME.findall(line))
    return names


def served_families(text: str) -> set[str]:
    return {line.split()[2] for line in text.splitlines() if line.startswith("# TYPE ")}


def test_every_documented_metric_is_served_and_every_served_one_documented(kafka, start_lagwatch):
    prefix = scenario.unique_prefix("edgedocs")
    topic, exact, estimated = f"{prefix}-t", f"{prefix}-exact", f"{prefix}-estimated"
    # Records on partition 0 only: the member group below never commits on partition 1.
    workload.create_topic(kafka.bootstrap, topic, 2)
    now = lsw.now_ms()
    lsw.produce_timestamped(kafka.bootstrap, topic, 0, [now - (100 - i) * 1000 for i in range(100)])
    lsw.delete_records(kafka.bootstrap, topic, 0, 20)
    # Below the log start: data loss, no record to read, so a lower bound from the estimate.
    workload.commit_offsets(kafka.bootstrap, exact, [(topic, 0, 10)])
    workload.commit_offsets(kafka.bootstrap, estimated, [(topic, 0, 50)])
    # [clusters.series] partition_details and member_info on, so the opt-in families are served
    # too; test_default_budget_leaves_out_exactly_the_documented_opt_in_families checks the
    # default.
    instance = start_lagwatch(
        prefix, lag_seconds="exact", exact_groups=[exact], partition_details=True, member_info=True
    )
    # A classic group with a generation (rebalances, generation), commits seen live, an
    # assigned partition without a commit and a member.
    members = ClassicGroup(kafka.bootstrap, f"{prefix}-members", topic)
    try:
        members.join()
        documented = documented_names()
        assert "lagwatch_group_generation" in documented
        assert "lagwatch_generation" not in documented

        last: set[str] = set()

        def all_served() -> bool:
            nonlocal last
            last = served_families(instance.raw_text())
            return documented - NEEDS_ACLS <= last

        try:
            workload.wait_until(all_served, 60.0, interval=1.0, message="every documented family served")
        except TimeoutError:
            raise AssertionError(f"documented but not served: {sorted(documented - NEEDS_ACLS - last)}") from None
        assert last <= documented, f"served but not documented: {sorted(last - documented)}"
    finally:
        members.close()


def documented_opt_in() -> set[str]:
    """The families listed under "Series budget" in docs/metrics.md as needing the opt-in."""
    text = DOCS.read_text()
    section = text.split("## Series budget", 1)[1].split("\n## ", 1)[0]
    return {m.group(1) for line in section.splitlines() if (m := OPT_IN_ROW.match(line))}


def test_default_budget_leaves_out_exactly_the_documented_opt_in_families(kafka, start_lagwatch):
    assert documented_opt_in() == OPT_IN
    prefix = scenario.unique_prefix("edgebudget")
    topic, exact = f"{prefix}-t", f"{prefix}-exact"
    workload.create_topic(kafka.bootstrap, topic, 1)
    now = lsw.now_ms()
    lsw.produce_timestamped(kafka.bootstrap, topic, 0, [now - (50 - i) * 1000 for i in range(50)])
    lsw.delete_records(kafka.bootstrap, topic, 0, 20)
    workload.commit_offsets(kafka.bootstrap, exact, [(topic, 0, 10)])
    instance = start_lagwatch(prefix, lag_seconds="exact", exact_groups=[exact], partition_details=False)
    # The group-level versions are the default: wait for them, then the partition ones must be absent.
    wanted = {
        "lagwatch_group_partition_lag",
        "lagwatch_group_partition_lag_seconds",
        "lagwatch_group_health",
        "lagwatch_group_data_loss_messages",
        "lagwatch_group_max_lag_seconds",
    }
    last: set[str] = set()

    def group_level_served() -> bool:
        nonlocal last
        last = served_families(instance.raw_text())
        return wanted <= last

    workload.wait_until(group_level_served, 60.0, interval=1.0, message="default families served")
    assert not (last & OPT_IN), sorted(last & OPT_IN)
