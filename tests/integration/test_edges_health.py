"""Health at the edges: a consumer that keeps up, whose lag rises and falls within one commit's
worth of messages, is never "warn", while one really falling behind still is."""

from __future__ import annotations

import lag_seconds_workload as lsw
import scenario
import workload
from processes import wait_for_fresh_poll
from test_lag_seconds import PARTITION_HEALTH, start_lagwatch  # noqa: F401

WARN = lsw.HEALTH_CODES["warn"]
# A window of 5 observations, as in the report; polls every second.
HEALTH = {"window": 5, "min_span": "4s", "stop_after": "60s"}
PER_STEP = 10  # messages produced between two commits: 10 msg/s, committing every second
# Lag left by the keeping-up consumer at each commit: rising over five polls, within one batch.
KEEPING_UP_LAGS = [3, 4, 6, 8, 10, 2, 5, 7, 9, 10]


def test_consumer_keeping_up_never_warns_and_falling_behind_does(kafka, start_lagwatch):
    prefix = scenario.unique_prefix("edgehealth")
    topic, keeping, falling = f"{prefix}-t", f"{prefix}-keeping", f"{prefix}-falling"
    workload.create_topic(kafka.bootstrap, topic, 1)
    workload.produce(kafka.bootstrap, topic, {0: 20})
    workload.commit_offsets(kafka.bootstrap, keeping, [(topic, 0, 17)])
    workload.commit_offsets(kafka.bootstrap, falling, [(topic, 0, 10)])
    instance = start_lagwatch(prefix, lag_seconds="estimate", health=HEALTH)
    wait_for_fresh_poll(instance)

    high_watermark, falling_offset = 20, 10
    verdicts: dict[str, list] = {keeping: [], falling: []}
    for step in range(15):
        workload.produce(kafka.bootstrap, topic, {0: PER_STEP})
        high_watermark += PER_STEP
        falling_offset += PER_STEP // 2  # reads half of what arrives
        lag = KEEPING_UP_LAGS[step % len(KEEPING_UP_LAGS)]
        workload.commit_offsets(kafka.bootstrap, keeping, [(topic, 0, high_watermark - lag)])
        workload.commit_offsets(kafka.bootstrap, falling, [(topic, 0, falling_offset)])
        wait_for_fresh_poll(instance)
        samples = instance.scrape()
        for group in verdicts:
            verdicts[group].append(lsw.partition_value(samples, PARTITION_HEALTH, group, topic, 0))

    assert WARN not in verdicts[keeping], verdicts[keeping]
    assert WARN in verdicts[falling], verdicts[falling]
