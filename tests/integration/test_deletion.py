"""A deleted group and a deleted topic disappear from /metrics; everything else stays."""

from __future__ import annotations

import scenario
import workload
from observations import converged, expected_view
from processes import CLUSTER_NAME, wait_for_fresh_poll
from exposition import select


def test_deleted_group_and_topic_series_are_gone_after_next_poll(kafka, lagwatch):
    prefix = scenario.unique_prefix("del")
    keep, gone = f"{prefix}-keep", f"{prefix}-gone"
    stays, deleted = f"{prefix}-stays", f"{prefix}-deleted"
    workload.create_topic(kafka.bootstrap, keep, 2)
    workload.create_topic(kafka.bootstrap, gone, 1)
    workload.produce(kafka.bootstrap, keep, {0: 5, 1: 5})
    workload.produce(kafka.bootstrap, gone, {0: 8})
    workload.commit_offsets(kafka.bootstrap, stays, [(keep, 0, 2), (keep, 1, 5), (gone, 0, 3)])
    workload.commit_offsets(kafka.bootstrap, deleted, [(keep, 0, 1)])

    before = scenario.Expected(prefix)
    before.offsets = {(stays, keep, 0): 2, (stays, keep, 1): 5, (stays, gone, 0): 3, (deleted, keep, 0): 1}
    before.watermarks = {(keep, 0): (0, 5), (keep, 1): (0, 5), (gone, 0): (0, 8)}
    before.groups = {stays: ("empty", 0), deleted: ("empty", 0)}

    instance = lagwatch(groups_allow=[f"{prefix}-.*"], topics_allow=[f"{prefix}-.*"])
    assert converged(instance, expected_view(before)) == expected_view(before)

    workload.delete_group(kafka.bootstrap, deleted)
    workload.delete_topic(kafka.bootstrap, gone)

    after = scenario.Expected(prefix)
    after.offsets = {(stays, keep, 0): 2, (stays, keep, 1): 5}
    after.watermarks = {(keep, 0): (0, 5), (keep, 1): (0, 5)}
    after.groups = {stays: ("empty", 0)}
    wait_for_fresh_poll(instance)
    assert converged(instance, expected_view(after)) == expected_view(after)
    samples = instance.scrape()
    assert select(samples, "lagwatch_groups", kafka_cluster=CLUSTER_NAME) == {frozenset(): 1.0}
    assert not [key for key in samples if any(value in (deleted, gone) for _name, value in key[1])]
    assert instance.is_running()
