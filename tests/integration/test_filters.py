"""Allow and deny patterns for groups and topics decide exactly which series exist."""

from __future__ import annotations

import scenario
import workload
from observations import converged, expected_view


def test_group_and_topic_filters_are_respected(kafka, lagwatch):
    prefix = scenario.unique_prefix("flt")
    allowed_topic, denied_topic = f"{prefix}-keep", f"{prefix}-deny"
    app, secret, other = f"{prefix}-app", f"{prefix}-app-secret", f"{prefix}-other"
    workload.create_topic(kafka.bootstrap, allowed_topic, 2)
    workload.create_topic(kafka.bootstrap, denied_topic, 1)
    workload.produce(kafka.bootstrap, allowed_topic, {0: 5, 1: 5})
    workload.produce(kafka.bootstrap, denied_topic, {0: 5})
    for group in (app, secret, other):
        workload.commit_offsets(
            kafka.bootstrap, group, [(allowed_topic, 0, 1), (allowed_topic, 1, 2), (denied_topic, 0, 3)]
        )

    # Only `app` is allowed and not denied; only `keep` is an allowed, not denied topic.
    instance = lagwatch(
        groups_allow=[f"{prefix}-app.*"],
        groups_deny=[".*-secret"],
        topics_allow=[f"{prefix}-.*"],
        topics_deny=["^__", f"{prefix}-deny"],
    )
    wanted = scenario.Expected(prefix)
    wanted.offsets = {(app, allowed_topic, 0): 1, (app, allowed_topic, 1): 2}
    wanted.watermarks = {(allowed_topic, 0): (0, 5), (allowed_topic, 1): (0, 5)}
    wanted.groups = {app: ("empty", 0)}
    assert converged(instance, expected_view(wanted)) == expected_view(wanted)


def test_patterns_match_the_whole_name(kafka, lagwatch):
    prefix = scenario.unique_prefix("whole")
    topic = f"{prefix}-t"
    exact, longer = f"{prefix}-g", f"{prefix}-g-longer"
    workload.create_topic(kafka.bootstrap, topic, 1)
    workload.produce(kafka.bootstrap, topic, {0: 4})
    for group in (exact, longer):
        workload.commit_offsets(kafka.bootstrap, group, [(topic, 0, 1)])

    # An unanchored pattern that is a prefix of `longer` must still not select it.
    instance = lagwatch(groups_allow=[exact], topics_allow=[f"{prefix}-.*"])
    wanted = scenario.Expected(prefix)
    wanted.offsets = {(exact, topic, 0): 1}
    wanted.watermarks = {(topic, 0): (0, 4)}
    wanted.groups = {exact: ("empty", 0)}
    assert converged(instance, expected_view(wanted)) == expected_view(wanted)
