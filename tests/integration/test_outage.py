"""A broker outage: lagwatch says so in lagwatch_up, keeps serving the last values, stays alive
and healthy, and recovers by itself when the broker is back."""

from __future__ import annotations

import scenario
import workload
from exposition import select
from observations import converged, expected_view, observed
from processes import CLUSTER_NAME

OUTAGE_DETECTION_TIMEOUT_S = 60.0
RECOVERY_TIMEOUT_S = 90.0


def single_value(samples: dict, name: str, **labels: str) -> float:
    values = select(samples, name, kafka_cluster=CLUSTER_NAME, **labels)
    assert len(values) == 1, f"{name}: expected one series, got {values}"
    return next(iter(values.values()))


def poll_attempts(samples: dict) -> float:
    return sum(select(samples, "lagwatch_poll_stage_attempts_total", kafka_cluster=CLUSTER_NAME).values())


def test_broker_outage_and_recovery(kafka, lagwatch):
    prefix = scenario.unique_prefix("out")
    topic, group = f"{prefix}-t", f"{prefix}-g"
    workload.create_topic(kafka.bootstrap, topic, 2)
    workload.produce(kafka.bootstrap, topic, {0: 10, 1: 10})
    workload.commit_offsets(kafka.bootstrap, group, [(topic, 0, 4), (topic, 1, 10)])
    before = scenario.Expected(prefix)
    before.offsets = {(group, topic, 0): 4, (group, topic, 1): 10}
    before.watermarks = {(topic, 0): (0, 10), (topic, 1): (0, 10)}
    before.groups = {group: ("empty", 0)}

    instance = lagwatch(groups_allow=[f"{prefix}-.*"], topics_allow=[f"{prefix}-.*"])
    assert converged(instance, expected_view(before)) == expected_view(before)
    assert single_value(instance.scrape(), "lagwatch_up") == 1.0

    kafka.stop()
    try:
        workload.wait_until(
            lambda: single_value(instance.scrape(), "lagwatch_up") == 0.0,
            OUTAGE_DETECTION_TIMEOUT_S,
            message="lagwatch_up == 0 after the broker stopped",
        )
        down = instance.scrape()
        last_success = single_value(down, "lagwatch_last_successful_poll_timestamp_seconds")
        # Two more poll attempts while the broker is down; none may count as a success.
        attempts = poll_attempts(down)
        workload.wait_until(
            lambda: poll_attempts(instance.scrape()) >= attempts + 2,
            OUTAGE_DETECTION_TIMEOUT_S,
            message="two more poll attempts during the outage",
        )
        during = instance.scrape()
        assert single_value(during, "lagwatch_up") == 0.0
        assert single_value(during, "lagwatch_last_successful_poll_timestamp_seconds") == last_success
        assert observed(during) == expected_view(before), "the last values must still be served"
        assert instance.get("/healthz").status == 200
        assert instance.is_running()
    finally:
        kafka.restart()

    workload.wait_until(
        lambda: single_value(instance.scrape(), "lagwatch_up") == 1.0,
        RECOVERY_TIMEOUT_S,
        message="lagwatch_up == 1 after the broker restarted",
    )
    # New data after the outage proves the values are fresh, not the ones kept from before.
    workload.produce(kafka.bootstrap, topic, {0: 5})
    workload.commit_offsets(kafka.bootstrap, group, [(topic, 0, 12)])
    after = scenario.Expected(prefix)
    after.offsets = {(group, topic, 0): 12, (group, topic, 1): 10}
    after.watermarks = {(topic, 0): (0, 15), (topic, 1): (0, 10)}
    after.groups = {group: ("empty", 0)}
    assert converged(instance, expected_view(after), timeout=RECOVERY_TIMEOUT_S) == expected_view(after)
    recovered = instance.scrape()
    assert single_value(recovered, "lagwatch_last_successful_poll_timestamp_seconds") > last_success
    assert instance.get("/healthz").status == 200
    assert instance.is_running(), "lagwatch must never exit during an outage"
