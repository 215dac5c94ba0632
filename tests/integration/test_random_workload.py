"""A seeded random workload on the real broker, then one question: does every number lagwatch
exports for it equal what Kafka's own kafka-consumer-groups says? Topics with random partition
counts and volumes (some compacted), groups committing random offsets on random partitions (some
never committed), a topic deleted and re-created under its name between two polls, an active
classic group and, on Kafka 4, a classic group converted to the consumer protocol.

The seed is printed; LAGWATCH_RANDOM_SEED=<seed> replays a failing workload (timing aside: a
re-creation that a poll saw is done again). With librdkafka 2.8.0 lagwatch died of SIGSEGV after
the re-creation in about half of the runs (its metadata cache kept the old topic ID's entry);
scripts/build-deps.sh pins a librdkafka with the fix, so a crash here is a failure."""

from __future__ import annotations

import contextlib
import os
import random
import time
from dataclasses import dataclass, field

from confluent_kafka import ConsumerGroupType
from confluent_kafka.admin import ConfigResource, NewTopic, ResourceType

import kafka_tools
import observations
import scenario
import workload
from processes import between_polls, wait_for_fresh_poll
from test_edges_rebalances import changes_from_creation, settle
from test_edges_topics import first_offset_at_or_after, recreate_topic

SEED_ENV = "LAGWATCH_RANDOM_SEED"
POLL_S = 4.0  # long enough for a topic to be deleted, re-created and committed to between polls
RECREATE_ATTEMPTS = 3
# The log cleaner looks for work every 15 s (log.cleaner.backoff.ms): two rounds at most.
COMPACTION_TIMEOUT_S = 40.0
QUIET_TIMEOUT_S = 30.0
COMPACT = {
    "cleanup.policy": "compact",
    # A segment older than this rolls at the next record, and only closed segments are cleaned.
    "segment.ms": "100",
    "min.cleanable.dirty.ratio": "0.001",
    "min.compaction.lag.ms": "0",
}

GroupPartition = tuple[str, str, int]


def choose_seed() -> int:
    chosen = os.environ.get(SEED_ENV)
    return int(chosen) if chosen else random.SystemRandom().randrange(2**32)


@dataclass
class Workload:
    """What the test did to Kafka, as the test itself counts it: the log end of every partition
    and the last offset every committing-only group committed."""

    bootstrap: str
    prefix: str
    rng: random.Random
    partitions: dict[str, int] = field(default_factory=dict)
    ends: dict[tuple[str, int], int] = field(default_factory=dict)
    commits: dict[GroupPartition, int] = field(default_factory=dict)
    compacted: set[str] = field(default_factory=set)

    def name(self, suffix: str) -> str:
        return f"{self.prefix}-{suffix}"

    def create(self, topic: str, partitions: int, compacted: bool = False) -> None:
        if compacted:
            client = workload.admin(self.bootstrap)
            spec = NewTopic(topic, num_partitions=partitions, replication_factor=1, config=COMPACT)
            client.create_topics([spec])[topic].result(30)
            workload.wait_until(lambda: topic in client.list_topics(timeout=5).topics, 30, message=f"{topic} created")
            self.compacted.add(topic)
        else:
            # Also waits out the deletion of an old topic of that name (the re-created one).
            recreate_topic(self.bootstrap, topic, partitions)
        self.partitions[topic] = partitions
        self.ends.update({(topic, p): 0 for p in range(partitions)})

    def produce(self, topic: str, counts: dict[int, int]) -> None:
        # Few keys per partition on a compacted topic: most records are overwritten ones.
        keys = self.rng.randint(2, 6) if topic in self.compacted else 0
        workload.produce(self.bootstrap, topic, counts, keys=keys)
        for partition, count in counts.items():
            self.ends[(topic, partition)] += count

    def produce_random(self, topic: str, most: int) -> None:
        self.produce(topic, {p: self.rng.randint(0, most) for p in range(self.partitions[topic])})

    def commit(self, group: str, partitions) -> None:
        """Commits a random offset between 0 and the log end on each of `partitions`."""
        triples = [(t, p, self.rng.randint(0, self.ends[(t, p)])) for t, p in partitions]
        workload.commit_offsets(self.bootstrap, group, triples)
        self.commits.update({(group, t, p): o for t, p, o in triples})

    def forget_topic(self, topic: str) -> None:
        """A deleted topic takes its log and every group's offsets on it with it."""
        self.partitions.pop(topic)
        self.ends = {tp: end for tp, end in self.ends.items() if tp[0] != topic}
        self.commits = {key: o for key, o in self.commits.items() if key[1] != topic}


def wait_caught_up(bootstrap: str, group: str, model: Workload, topic: str) -> None:
    """Until `group` has committed the log end of every partition of `topic` with records: an
    active member that commits after each record is then quiet."""
    wanted = {(topic, p): model.ends[(topic, p)] for p in range(model.partitions[topic]) if model.ends[(topic, p)]}
    workload.wait_until(
        lambda: workload.committed_offsets(bootstrap, group) == wanted,
        QUIET_TIMEOUT_S,
        message=f"{group} caught up with {wanted}",
    )


def group_type(bootstrap: str, group: str) -> tuple[ConsumerGroupType, int]:
    description = workload.describe_group(bootstrap, group)
    return description.type, len(description.members)


def prefixed(samples: dict, prefix: str) -> dict:
    """The series with a label naming one of the workload's groups or topics."""
    return {
        (name, labels): value
        for (name, labels), value in samples.items()
        if any(v.startswith(prefix + "-") for _, v in labels)
    }


def test_random_workload_agrees_with_kafka_consumer_groups(kafka, lagwatch):
    seed = choose_seed()
    # Shown with the failure report (pytest prints a failed test's output): the replay command.
    print(f"random workload: {SEED_ENV}={seed} (Kafka {kafka.version})")
    rng = random.Random(seed)
    bootstrap = kafka.bootstrap
    model = Workload(bootstrap, scenario.unique_prefix("random"), rng)
    started = time.monotonic()

    # Compacted topics first: the cleaner works while the rest of the workload runs.
    compacted = [model.name(f"c{i}") for i in range(rng.randint(1, 2))]
    for topic in compacted:
        model.create(topic, rng.randint(1, 4), compacted=True)
        # At least 10 records per partition 0 over at most 6 keys: its offset 0 gets overwritten.
        counts = {p: rng.randint(0, 80) for p in range(model.partitions[topic])}
        model.produce(topic, {**counts, 0: rng.randint(10, 80)})
    time.sleep(0.3)  # past segment.ms: the next record rolls the segment, the last one is closed
    for topic in compacted:
        model.produce(topic, {p: 1 for p in range(model.partitions[topic])})

    plain = [model.name(f"t{i}") for i in range(rng.randint(2, 4))]
    recreated = model.name("recreated")
    unread = model.name("unread")  # written to and committed by nobody
    for topic in [*plain, recreated, unread]:
        model.create(topic, rng.randint(2, 6))
        model.produce_random(topic, 150)

    # One partition of every plain topic is never committed by anyone.
    never = {topic: rng.randrange(model.partitions[topic]) for topic in plain}
    committable = [
        (t, p) for t in [*plain, *compacted] for p in range(model.partitions[t]) if never.get(t) != p
    ]
    committers = [model.name(f"g{i}") for i in range(rng.randint(3, 5))]
    # The first two commit on the topic that is re-created; only the first commits there again.
    recommitter, forgotten = committers[0], committers[1]
    for index, group in enumerate(committers):
        chosen = rng.sample(committable, rng.randint(1, min(6, len(committable))))
        if index < 2:
            chosen.append((recreated, rng.randrange(model.partitions[recreated])))
        model.commit(group, chosen)

    active_topic = model.name("a")
    model.create(active_topic, rng.randint(2, 4))
    # Some partitions stay empty: the active member has nothing to commit there.
    model.produce(active_topic, {p: rng.choice([0, rng.randint(1, 60)]) for p in range(model.partitions[active_topic])})
    active = model.name("active")

    watched = [f"^{model.prefix}-.*"]
    # partition_details: the per-partition uncommitted marker is checked below.
    instance = lagwatch(
        groups_allow=watched,
        topics_allow=watched,
        interval=f"{POLL_S:.0f}s",
        extra_config="[clusters.series]\npartition_details = true",
    )
    with contextlib.ExitStack() as members:
        # A classic member that stays: its empty partitions are assigned but never committed.
        members.enter_context(workload.ActiveConsumer(bootstrap, active, [active_topic]))
        # lagwatch has seen the old topic's offsets before it is re-created.
        old_era = {(g, t, p) for (g, t, p) in model.commits if t == recreated}
        workload.wait_until(
            lambda: old_era <= set(observations.observed(instance.scrape(), with_groups=False)["committed_offset"]),
            3 * POLL_S,
            message=f"lagwatch showing {sorted(old_era)}",
        )
        old_partitions = model.partitions[recreated]
        new_partitions = rng.choice([n for n in range(1, 6) if n != old_partitions])
        fresh = model.name("g-fresh")  # commits on the new topic only

        def recreate() -> None:
            workload.delete_topic(bootstrap, recreated)
            model.forget_topic(recreated)
            model.create(recreated, new_partitions)
            model.produce_random(recreated, 100)
            again = [(recreated, p) for p in range(new_partitions) if rng.random() < 0.7]
            model.commit(recommitter, again or [(recreated, 0)])
            model.commit(fresh, [(recreated, rng.randrange(new_partitions))])

        attempts = 1
        while not between_polls(instance, recreate, POLL_S):
            assert attempts < RECREATE_ATTEMPTS, f"polls saw {recreated} half re-created {attempts} times (seed {seed})"
            attempts += 1
        committers.append(fresh)
        print(f"{recreated}: {old_partitions} -> {new_partitions} partitions, attempt {attempts}")

        converted = model.name("converted")
        if kafka.supports_kip848:
            members.callback(convert_classic_group(model, converted).stop)

        # More records everywhere, and new offsets (forwards or back) for some of the groups.
        for topic in [*plain, *compacted, active_topic, unread]:
            if rng.random() < 0.6:
                model.produce_random(topic, 60)
        for group in committers:
            if rng.random() < 0.5:
                model.commit(group, rng.sample(committable, rng.randint(1, 3)))

        wait_caught_up(bootstrap, active, model, active_topic)
        if kafka.supports_kip848:
            wait_caught_up(bootstrap, converted, model, model.name("conv"))
        check_compaction(bootstrap, compacted, started)

        described = kafka.consumer_groups("--describe", "--all-groups")
        rows = kafka_tools.committed_rows(described)
        rows = {key: row for key, row in rows.items() if key[0].startswith(model.prefix + "-")}
        # The answer key first: Kafka holds what the test did (the member groups: their log ends).
        members_rows = {key: row[0] for key, row in rows.items() if key[0] in (active, converted)}
        assert {key: o for key, o in rows.items() if key[0] not in (active, converted)} == {
            key: (o, model.ends[key[1:]], model.ends[key[1:]] - o) for key, o in model.commits.items()
        }, f"seed {seed}"
        assert all(o == model.ends[key[1:]] for key, o in members_rows.items()), f"seed {seed}"
        assert not [key for key in rows if key[0] == forgotten and key[1] == recreated]

        wanted = truth_view(bootstrap, rows)
        view = observations.converged(instance, wanted, with_groups=False)
        assert view == wanted, f"lagwatch disagrees with kafka-consumer-groups (seed {seed})"

        wait_for_fresh_poll(instance)
        samples = instance.scrape()
        ours = prefixed(samples, model.prefix)
        assert ours, f"no series for {model.prefix}"
        assert not {k: v for k, v in ours.items() if v < 0}, f"negative values (seed {seed})"
        # Nothing left of the old topic: neither its extra partitions nor the offsets on it.
        stale = [k for k in ours if (("topic", recreated) in k[1]) and (
            ("group", forgotten) in k[1] or any(n == "partition" and int(v) >= new_partitions for n, v in k[1])
        )]
        assert not stale, f"series of the deleted topic (seed {seed}): {stale}"

        # Partitions without a commit: no series but the documented marker, which lagwatch shows
        # for the assigned partitions of classic groups only (KIP-848 assignments are unknown).
        uncommitted = {
            key for key in kafka_tools.uncommitted_rows(described) if key[0].startswith(model.prefix + "-")
        }
        marked = observations.keyed(samples, "lagwatch_group_partition_uncommitted", observations.GROUP_PARTITION)
        assert marked == {key: 1.0 for key in uncommitted if key[0] != converted}, f"seed {seed}"
        counts = observations.keyed(samples, "lagwatch_group_uncommitted_partitions", ("group",))
        assert counts.get((active,)) == float(sum(1 for key in uncommitted if key[0] == active))

        # Group state and members as Kafka reports them, and the rebalances of the groups with
        # members counted exactly from the generations the coordinator wrote.
        states = kafka_tools.group_states(kafka.consumer_groups("--describe", "--all-groups", "--state"))
        states = {g: (s.lower(), n) for g, (s, n) in states.items() if g.startswith(model.prefix + "-")}
        view = observations.observed(instance.scrape())
        assert view["members"] == {g: float(n) for g, (_s, n) in states.items()}, f"seed {seed}"
        assert view["state"] == {(g, s): 1.0 for g, (s, _n) in states.items()}, f"seed {seed}"
        for group in [active, converted] if kafka.supports_kip848 else [active]:
            generations, rebalances = settle(instance, bootstrap, group)
            assert rebalances == float(changes_from_creation(generations)), (group, generations, seed)
    print(f"random workload {seed}: {len(rows)} rows agreed in {time.monotonic() - started:.0f}s")


def convert_classic_group(model: Workload, group: str) -> workload.ActiveConsumer:
    """A classic group whose member has consumed its topic is joined by a consumer-protocol
    member (an online upgrade), then the classic member leaves: the group stays a consumer
    group with the new member, which keeps committing from the classic member's offsets.
    Returns that member, still in the group."""
    topic = model.name("conv")
    model.create(topic, model.rng.randint(1, 4))
    model.produce_random(topic, 60)
    classic = workload.ActiveConsumer(model.bootstrap, group, [topic], client_id=f"{group}-classic").start()
    upgraded = workload.ActiveConsumer(model.bootstrap, group, [topic], protocol="consumer", client_id=f"{group}-new")
    try:
        wait_caught_up(model.bootstrap, group, model, topic)
        upgraded.start()
        workload.wait_until(
            lambda: group_type(model.bootstrap, group) == (ConsumerGroupType.CONSUMER, 2),
            30,
            message=f"{group} upgraded with both members",
        )
        classic.stop()
        workload.wait_until(
            lambda: group_type(model.bootstrap, group) == (ConsumerGroupType.CONSUMER, 1),
            30,
            message=f"{group} a consumer group of the new member",
        )
        assert not upgraded.errors and not classic.errors
    except BaseException:
        upgraded.stop()
        raise
    finally:
        classic.stop()
    model.produce_random(topic, 40)
    return upgraded


def check_compaction(bootstrap: str, topics, started: float) -> None:
    """The compacted topics really are: the config says so and the cleaner removed offset 0 of
    partition 0, whose key was written again later."""
    client = workload.admin(bootstrap)
    for topic in topics:
        resource = ConfigResource(ResourceType.TOPIC, topic)
        config = client.describe_configs([resource])[resource].result(10)
        assert config["cleanup.policy"].value == "compact", topic
        workload.wait_until(
            lambda topic=topic: first_offset_at_or_after(bootstrap, topic, 0) > 0,
            max(5.0, COMPACTION_TIMEOUT_S - (time.monotonic() - started)),
            interval=1.0,
            message=f"{topic} compacted",
        )


def truth_view(bootstrap: str, rows: dict[GroupPartition, tuple[int, int, int]]) -> dict[str, dict]:
    """The view lagwatch must show, from kafka-consumer-groups' rows: offsets, lags and log ends
    as printed, topic lags summed from them, log starts asked of the broker."""
    topic_lag: dict[tuple[str, str], float] = {}
    for (group, topic, _p), (_o, _end, lag) in rows.items():
        topic_lag[(group, topic)] = topic_lag.get((group, topic), 0.0) + lag
    ends = {(t, p): float(end) for (_g, t, p), (_o, end, _lag) in rows.items()}
    return {
        "committed_offset": {key: float(o) for key, (o, _end, _lag) in rows.items()},
        "lag": {key: float(lag) for key, (_o, _end, lag) in rows.items()},
        "topic_lag": topic_lag,
        "high_watermark": ends,
        "low_watermark": {tp: float(workload.watermarks(bootstrap, *tp)[0]) for tp in ends},
    }
