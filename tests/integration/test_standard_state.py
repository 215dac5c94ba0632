"""Exact values for a known broker state: groups with full, partial and no commits, without
members and actively consuming, checked against what the test set up and against Kafka's own
kafka-consumer-groups."""

from __future__ import annotations

import pytest

import kafka_tools
import observations
import scenario
from processes import wait_for_fresh_poll


@pytest.fixture(scope="module")
def state(kafka):
    with scenario.standard_state(kafka.bootstrap, with_kip848=kafka.supports_kip848) as expected:
        yield expected


def watch_only(lagwatch, expected: scenario.Expected):
    # Other tests' groups and topics live on the same broker: watch this scenario's names only.
    return lagwatch(groups_allow=[f"{expected.prefix}-.*"], topics_allow=[f"{expected.prefix}-.*"])


def test_harness_state_matches_kafka_tools(kafka, state):
    """The answer key itself: Kafka's kafka-consumer-groups agrees with what the harness set up."""
    described = kafka_tools.committed_rows(kafka.consumer_groups("--describe", "--all-groups"))
    ours = {key: row for key, row in described.items() if key[0].startswith(state.prefix + "-")}
    assert ours == {
        (g, t, p): (offset, state.watermarks[(t, p)][1], state.lag(g, t, p))
        for (g, t, p), offset in state.offsets.items()
    }
    states = kafka_tools.group_states(kafka.consumer_groups("--describe", "--all-groups", "--state"))
    assert {g: (s.lower(), n) for g, (s, n) in states.items() if g.startswith(state.prefix + "-")} == state.groups


def test_every_series_has_the_exact_expected_value(lagwatch, state):
    instance = watch_only(lagwatch, state)
    wanted = observations.without_groups(observations.expected_view(state), state.kip848_groups)
    assert observations.converged(instance, wanted, ignore_groups=state.kip848_groups) == wanted

    samples = instance.scrape()
    assert observations.keyed(samples, "lagwatch_up", ()) == {(): 1.0}
    assert observations.keyed(samples, "lagwatch_groups", ()) == {(): float(len(state.groups))}


def test_no_series_for_partitions_without_commit(lagwatch, state):
    instance = watch_only(lagwatch, state)
    partial = f"{state.prefix}-partial"
    wait_for_fresh_poll(instance)
    view = observations.observed(instance.scrape())
    partial_offsets = {key: value for key, value in view["committed_offset"].items() if key[0] == partial}
    partial_lags = {key: value for key, value in view["lag"].items() if key[0] == partial}
    # Committed on orders/0 and payments/1 only: the other partitions have no series at all.
    assert partial_offsets == {
        (partial, f"{state.prefix}-orders", 0): 7.0,
        (partial, f"{state.prefix}-payments", 1): 6.0,
    }
    assert partial_lags == {(partial, f"{state.prefix}-orders", 0): 3.0, (partial, f"{state.prefix}-payments", 1): 0.0}
    assert all(value >= 0 for family in view.values() for value in family.values())
    unread = f"{state.prefix}-unread"
    assert not [key for key in view["high_watermark"] if key[0] == unread]


def test_kip848_group_state_and_members(kafka, lagwatch, state):
    if not state.kip848_groups:
        pytest.skip(f"Kafka {kafka.version} has no KIP-848 consumer groups")
    instance = watch_only(lagwatch, state)
    wanted = observations.expected_view(state)
    assert observations.converged(instance, wanted) == wanted


def test_offsets_and_lag_agree_with_kafka_consumer_groups(kafka, lagwatch, state):
    instance = watch_only(lagwatch, state)
    # Waiting for lagwatch to show the expected values first keeps this test about agreement,
    # not about how quickly lagwatch catches up.
    wanted = observations.expected_view(state, with_groups=False)
    observations.converged(instance, wanted, with_groups=False)
    described = kafka_tools.committed_rows(kafka.consumer_groups("--describe", "--all-groups"))
    wait_for_fresh_poll(instance)
    view = observations.observed(instance.scrape(), with_groups=False)

    key_rows = {key: row for key, row in described.items() if key[0].startswith(state.prefix + "-")}
    assert key_rows, "kafka-consumer-groups listed none of the scenario's groups"
    assert view["committed_offset"] == {key: float(offset) for key, (offset, _end, _lag) in key_rows.items()}
    assert view["lag"] == {key: float(lag) for key, (_offset, _end, lag) in key_rows.items()}
    log_end = {(t, p): float(end) for (_g, t, p), (_offset, end, _lag) in key_rows.items()}
    assert view["high_watermark"] == log_end


def test_group_state_and_members_agree_with_kafka_consumer_groups(kafka, lagwatch, state):
    instance = watch_only(lagwatch, state)
    classic = observations.without_groups(observations.expected_view(state), state.kip848_groups)
    observations.converged(instance, classic, ignore_groups=state.kip848_groups)
    states = kafka_tools.group_states(kafka.consumer_groups("--describe", "--all-groups", "--state"))
    wait_for_fresh_poll(instance)
    view = observations.observed(instance.scrape())
    kafka_view = {
        g: (s.lower(), n)
        for g, (s, n) in states.items()
        if g.startswith(state.prefix + "-") and g not in state.kip848_groups
    }
    assert {g: n for g, n in view["members"].items() if g not in state.kip848_groups} == {
        g: float(n) for g, (_s, n) in kafka_view.items()
    }
    assert {k: v for k, v in view["state"].items() if k[0] not in state.kip848_groups} == {
        (g, s): 1.0 for g, (s, _n) in kafka_view.items()
    }
