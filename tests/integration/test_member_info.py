"""lagwatch_group_member_info against Kafka's own kafka-consumer-groups --members: the member id,
client id and host of every live member, only where [clusters.series] member_info is on."""

from __future__ import annotations

import pytest

import scenario
import workload
from exposition import select
from kafka_tools import parse_tables
from processes import CLUSTER_NAME
from rebalance_workload import ClassicGroup

MEMBER_INFO = "lagwatch_group_member_info"
SWITCHED_ON = '[clusters.series]\nmember_info = true\n\n[clusters.labels]\nenv = "it"'


def described_members(kafka, group: str) -> set[tuple[str, str, str]]:
    """(member id, client id, host) of each member, as kafka-consumer-groups reports them."""
    text = kafka.consumer_groups("--describe", "--group", group, "--members")
    members = set()
    for header, row in parse_tables(text):
        # CONSUMER-ID, HOST and CLIENT-ID come before the columns that may be blank.
        if row[0] == group and "CLIENT-ID" in header and len(row) >= len(header) - 1:
            member = (row[header.index("CONSUMER-ID")], row[header.index("CLIENT-ID")], row[header.index("HOST")])
            if member[0] != "-":  # the row kafka-consumer-groups prints for a group without members
                members.add(member)
    return members


def served_members(instance, group: str) -> set[tuple[str, str, str]]:
    series = select(instance.scrape(), MEMBER_INFO, kafka_cluster=CLUSTER_NAME, group=group, env="it")
    assert set(series.values()) <= {1.0}, series
    return {(labels["member_id"], labels["client_id"], labels["host"]) for labels in map(dict, series)}


def wait_until_served_matches_described(kafka, instance, group: str, members: int) -> set:
    last: dict[str, set] = {}

    def agree() -> bool:
        last["described"] = described_members(kafka, group)
        last["served"] = served_members(instance, group)
        return len(last["described"]) == members and last["served"] == last["described"]

    try:
        workload.wait_until(agree, 60.0, interval=1.0, message=f"{MEMBER_INFO} of {group}")
    except TimeoutError:
        raise AssertionError(f"served {sorted(last['served'])}, described {sorted(last['described'])}") from None
    return last["served"]


def watched_topic(kafka, lagwatch, poll_config: str = ""):
    """(topic, group, lagwatch) for a new topic of 2 partitions, the lagwatch watching only its
    prefix with the switch (and an env label) on."""
    prefix = scenario.unique_prefix("memberinfo")
    workload.create_topic(kafka.bootstrap, f"{prefix}-t", 2)
    instance = lagwatch(
        groups_allow=[f"{prefix}-.*"], topics_allow=[f"{prefix}-.*"], extra_config=SWITCHED_ON, poll_config=poll_config
    )
    return f"{prefix}-t", f"{prefix}-g", instance


# Both ways of describing groups: per group (admin DescribeConsumerGroups, the default for so few
# groups) and broker-wide (each broker's group listing, whose assignments lagwatch decodes itself).
@pytest.mark.parametrize(
    "poll_config", ["", "broker_wide_describe_min_groups = 0"], ids=["per_group", "broker_wide"]
)
def test_member_info_names_each_classic_member_as_kafka_consumer_groups_does(kafka, lagwatch, poll_config):
    topic, group, on = watched_topic(kafka, lagwatch, poll_config)
    # The same groups, at the default configuration.
    off = lagwatch(groups_allow=[group], topics_allow=[topic])
    members = ClassicGroup(kafka.bootstrap, group, topic)
    try:
        members.join()
        members.join()
        both = wait_until_served_matches_described(kafka, on, group, 2)
        assert {client for _id, client, _host in both} == {f"{group}-m1", f"{group}-m2"}
        assert all(host for _id, _client, host in both)

        # Without the switch the family is absent, though the group and its members are polled.
        workload.wait_until(
            lambda: select(off.scrape(), "lagwatch_group_members", kafka_cluster=CLUSTER_NAME, group=group).get(
                frozenset()
            )
            == 2.0,
            60.0,
            interval=1.0,
            message="lagwatch without member_info sees both members",
        )
        assert f"# TYPE {MEMBER_INFO} " not in off.raw_text()

        members.leave()  # the second member, client id ...-m2
        remaining = wait_until_served_matches_described(kafka, on, group, 1)
        assert {client for _id, client, _host in remaining} == {f"{group}-m1"}
        assert remaining < both
    finally:
        members.close()


def test_member_info_of_a_kip848_member_comes_from_consumer_offsets(kafka, lagwatch):
    if not kafka.supports_kip848:
        pytest.skip(f"KIP-848 groups need Kafka 4 (broker is {kafka.version})")
    topic, group, on = watched_topic(kafka, lagwatch)
    with workload.ActiveConsumer(kafka.bootstrap, group, [topic], protocol="consumer", client_id=f"{group}-c"):
        served = wait_until_served_matches_described(kafka, on, group, 1)
        assert {client for _id, client, _host in served} == {f"{group}-c"}
    workload.wait_until(
        lambda: not served_members(on, group), 60.0, interval=1.0, message="the KIP-848 member gone"
    )
