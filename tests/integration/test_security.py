"""lagwatch against a secured Kafka (tests/harness/secured_kafka.py): every supported mechanism
exports exactly what was committed, secrets come from `{ env }` and `{ file }`, each failure is
named on the landing page and in the log and recovers once fixed, no secret shows anywhere, and a
broker hung longer than the request timeout, again and again, never takes lagwatch down."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest

import scenario
import workload
from exposition import select
from observations import converged, expected_view
from processes import CLUSTER_NAME, toml_string
from confluent_kafka.admin import AclBinding, AclBindingFilter, AclOperation, AclPermissionType, ResourcePatternType, ResourceType

from secured_kafka import ADMIN_TIMEOUT_S, LIMITED_USER, PLAIN_USER, SCRAM256_USER, SCRAM512_USER

FAILURE_TIMEOUT_S = 60.0
RECOVERY_TIMEOUT_S = 90.0
PASSWORD_VARIABLE = "LAGWATCH_TEST_KAFKA_PASSWORD"
SCRAM_USERS = {"SCRAM-SHA-512": SCRAM512_USER, "SCRAM-SHA-256": SCRAM256_USER}
HANG_CYCLES = 10


def librdkafka_section(properties: dict[str, str | dict[str, str]]) -> str:
    """A [clusters.librdkafka] table; a dict value is a secret source such as {"env": "X"}."""
    lines = ["[clusters.librdkafka]"]
    for name, value in properties.items():
        if isinstance(value, dict):
            (source, where), = value.items()
            rendered = f"{{ {source} = {toml_string(where)} }}"
        else:
            rendered = toml_string(value)
        lines.append(f"{toml_string(name)} = {rendered}")
    return "\n".join(lines)


class Committed:
    """A topic and a group committed to it over the admin listener, with what lagwatch must show."""

    def __init__(self, bootstrap: str, name: str) -> None:
        self.bootstrap = bootstrap
        self.prefix = scenario.unique_prefix(name)
        self.topic, self.group = f"{self.prefix}-t", f"{self.prefix}-g"
        workload.create_topic(bootstrap, self.topic, 2)
        workload.produce(bootstrap, self.topic, {0: 12, 1: 7})
        self.commit(5)

    def commit(self, offset_of_partition_0: int) -> None:
        workload.commit_offsets(self.bootstrap, self.group, [(self.topic, 0, offset_of_partition_0), (self.topic, 1, 7)])
        expected = scenario.Expected(self.prefix)
        expected.offsets = {(self.group, self.topic, 0): offset_of_partition_0, (self.group, self.topic, 1): 7}
        expected.watermarks = {(self.topic, 0): (0, 12), (self.topic, 1): (0, 7)}
        expected.groups = {self.group: ("empty", 0)}
        self.view = expected_view(expected)

    def filters(self) -> dict:
        return {"groups_allow": [f"{self.prefix}-.*"], "topics_allow": [f"{self.prefix}-.*"]}


@pytest.fixture(scope="module")
def committed(secured_kafka) -> Committed:
    return Committed(secured_kafka.admin_bootstrap, "sec")


def up(instance) -> float | None:
    values = select(instance.scrape(), "lagwatch_up", kafka_cluster=CLUSTER_NAME)
    return next(iter(values.values())) if len(values) == 1 else None


def secrets_of(secured_kafka) -> list[str]:
    certificates, oidc = secured_kafka.certificates, secured_kafka.oidc
    return [
        *secured_kafka.passwords.values(),
        certificates.store_password,
        certificates.client_key_password,
        oidc.client_secret,
    ]


def assert_no_secret_shown(instance, secured_kafka, extra_secrets=()) -> None:
    """No secret in lagwatch's log, status page, JSON API, metrics or --check-config output."""
    shown = {
        "log": instance.output(),
        "status page": instance.get("/").body.decode(errors="replace"),
        "clusters API": instance.get("/api/v1/clusters").body.decode(errors="replace"),
        "groups API": instance.get("/api/v1/groups").body.decode(errors="replace"),
        "metrics": instance.raw_text(),
    }
    for secret in [*secrets_of(secured_kafka), *extra_secrets]:
        for where, text in shown.items():
            assert secret not in text, f"a secret appears in lagwatch's {where}"


def assert_exports_committed(instance, committed: Committed, timeout: float = 60.0) -> None:
    assert converged(instance, committed.view, timeout=timeout) == committed.view
    assert up(instance) == 1.0


def wait_for_named_failure(instance, cause: str) -> None:
    """lagwatch_up is 0 and both the landing page and the log name `cause`."""
    workload.wait_until(
        lambda: up(instance) == 0.0 and cause in instance.get("/").body.decode(errors="replace"),
        FAILURE_TIMEOUT_S,
        message=f"lagwatch_up 0 and '{cause}' on the landing page",
    )
    assert cause in instance.output(), f"'{cause}' not in the log"
    assert instance.is_running()


def scram_properties(secured_kafka, mechanism: str, listener: str, password) -> dict:
    properties = {
        "security.protocol": "SASL_PLAINTEXT" if listener == "SCRAM" else "SASL_SSL",
        "sasl.mechanism": mechanism,
        "sasl.username": SCRAM_USERS[mechanism],
        "sasl.password": password,
    }
    if listener == "SASL_SSL":
        properties["ssl.ca.location"] = str(secured_kafka.certificates.ca)
    return properties


def password_source(secured_kafka, user: str, source: str, tmp_path: Path) -> tuple[dict, dict]:
    """(the property value, the environment) that hand `user`'s password to lagwatch."""
    password = secured_kafka.passwords[user]
    if source == "env":
        return {"env": PASSWORD_VARIABLE}, {PASSWORD_VARIABLE: password}
    path = tmp_path / f"{user}.password"
    path.write_text(password + "\n")
    return {"file": str(path)}, {}


@pytest.mark.parametrize("source", ["env", "file"])
@pytest.mark.parametrize("listener", ["SCRAM", "SASL_SSL"])
@pytest.mark.parametrize("mechanism", ["SCRAM-SHA-512", "SCRAM-SHA-256"])
def test_scram_exports_what_was_committed(
    secured_kafka, secured_lagwatch, committed, tmp_path, mechanism, listener, source
):
    password, env = password_source(secured_kafka, SCRAM_USERS[mechanism], source, tmp_path)
    instance = secured_lagwatch(
        bootstrap=secured_kafka.bootstrap(listener),
        extra_config=librdkafka_section(scram_properties(secured_kafka, mechanism, listener, password)),
        env=env,
        **committed.filters(),
    )
    assert_exports_committed(instance, committed)
    assert_no_secret_shown(instance, secured_kafka)


def test_plain_over_tls_exports_what_was_committed(secured_kafka, secured_lagwatch, committed, tmp_path):
    password, env = password_source(secured_kafka, PLAIN_USER, "env", tmp_path)
    instance = secured_lagwatch(
        bootstrap=secured_kafka.bootstrap("SASL_SSL"),
        extra_config=librdkafka_section(
            {
                "security.protocol": "SASL_SSL",
                "sasl.mechanism": "PLAIN",
                "sasl.username": PLAIN_USER,
                "sasl.password": password,
                "ssl.ca.location": str(secured_kafka.certificates.ca),
            }
        ),
        env=env,
        **committed.filters(),
    )
    assert_exports_committed(instance, committed)
    assert_no_secret_shown(instance, secured_kafka)


def mtls_properties(secured_kafka, tmp_path: Path) -> dict:
    certificates = secured_kafka.certificates
    key_password = tmp_path / "client-key.password"
    key_password.write_text(certificates.client_key_password)
    return {
        "security.protocol": "SSL",
        "ssl.ca.location": str(certificates.ca),
        "ssl.certificate.location": str(certificates.client_cert),
        "ssl.key.location": str(certificates.client_key),
        "ssl.key.password": {"file": str(key_password)},
    }


def test_mutual_tls_with_an_encrypted_key_exports_what_was_committed(
    secured_kafka, secured_lagwatch, committed, tmp_path
):
    instance = secured_lagwatch(
        bootstrap=secured_kafka.bootstrap("MTLS"),
        extra_config=librdkafka_section(mtls_properties(secured_kafka, tmp_path)),
        **committed.filters(),
    )
    assert_exports_committed(instance, committed)
    assert_no_secret_shown(instance, secured_kafka)


def kerberos_properties(secured_kafka, keytab: Path, tmp_path: Path) -> tuple[dict, dict]:
    """GSSAPI with a keytab; librdkafka runs kinit itself. The environment points Kerberos at the
    test's realm and gives lagwatch a credential cache of its own."""
    kdc = secured_kafka.kdc
    properties = {
        "security.protocol": "SASL_PLAINTEXT",
        "sasl.mechanism": "GSSAPI",
        "sasl.kerberos.service.name": "kafka",
        "sasl.kerberos.principal": kdc.client_principal,
        "sasl.kerberos.keytab": str(keytab),
    }
    return properties, {**kdc.environment(), "KRB5CCNAME": f"FILE:{tmp_path / 'krb5cc'}"}


def test_kerberos_keytab_exports_what_was_committed(secured_kafka, secured_lagwatch, committed, tmp_path):
    properties, env = kerberos_properties(secured_kafka, secured_kafka.kdc.client_keytab, tmp_path)
    instance = secured_lagwatch(
        bootstrap=secured_kafka.bootstrap("KERBEROS"),
        extra_config=librdkafka_section(properties),
        env=env,
        **committed.filters(),
    )
    assert_exports_committed(instance, committed)
    assert_no_secret_shown(instance, secured_kafka)


def test_stale_kerberos_keytab_is_named_and_a_replaced_keytab_recovers(
    secured_kafka, secured_lagwatch, committed, tmp_path
):
    """A keytab whose key the KDC no longer has (the principal was re-keyed): kinit fails, which
    is named; once the file is replaced by a current keytab, lagwatch authenticates."""
    keytab = tmp_path / "lagwatch.keytab"
    keytab.write_bytes(secured_kafka.kdc.stale_client_keytab.read_bytes())
    properties, env = kerberos_properties(secured_kafka, keytab, tmp_path)
    instance = secured_lagwatch(
        bootstrap=secured_kafka.bootstrap("KERBEROS"),
        extra_config=librdkafka_section(properties),
        env=env,
        wait_ready=False,
        **committed.filters(),
    )
    wait_for_named_failure(instance, "authentication failed")
    keytab.write_bytes(secured_kafka.kdc.client_keytab.read_bytes())
    assert_exports_committed(instance, committed, timeout=RECOVERY_TIMEOUT_S)


def oidc_properties(secured_kafka) -> tuple[dict, dict]:
    oidc = secured_kafka.oidc
    properties = {
        "security.protocol": "SASL_SSL",
        "sasl.mechanism": "OAUTHBEARER",
        "sasl.oauthbearer.method": "oidc",
        "sasl.oauthbearer.client.id": oidc.client_id,
        "sasl.oauthbearer.client.secret": {"env": PASSWORD_VARIABLE},
        "sasl.oauthbearer.token.endpoint.url": oidc.token_url,
        "ssl.ca.location": str(secured_kafka.certificates.ca),
    }
    return properties, {PASSWORD_VARIABLE: oidc.client_secret}


def test_oidc_client_credentials_export_what_was_committed_across_token_refreshes(
    secured_kafka, secured_lagwatch, committed
):
    properties, env = oidc_properties(secured_kafka)
    oidc = secured_kafka.oidc
    oidc.set_mode("valid")
    issued_before = oidc.tokens_issued
    instance = secured_lagwatch(
        bootstrap=secured_kafka.bootstrap("OAUTH"),
        extra_config=librdkafka_section(properties),
        env=env,
        **committed.filters(),
    )
    assert_exports_committed(instance, committed)
    # Tokens live 15 s and the broker re-authenticates every 20 s: a second token must be fetched
    # and accepted, while the values keep coming.
    workload.wait_until(
        lambda: oidc.tokens_issued >= issued_before + 2, RECOVERY_TIMEOUT_S, message="a refreshed token"
    )
    assert_exports_committed(instance, committed)
    assert_no_secret_shown(instance, secured_kafka)


def test_wrong_password_is_named_and_a_rotated_file_recovers(secured_kafka, secured_lagwatch, committed, tmp_path):
    wrong = "wrong" + secured_kafka.passwords[SCRAM512_USER]
    password_file = tmp_path / "password"
    password_file.write_text(wrong)
    instance = secured_lagwatch(
        bootstrap=secured_kafka.bootstrap("SASL_SSL"),
        extra_config=librdkafka_section(
            scram_properties(secured_kafka, "SCRAM-SHA-512", "SASL_SSL", {"file": str(password_file)})
        ),
        wait_ready=False,
        **committed.filters(),
    )
    wait_for_named_failure(instance, "authentication failed")
    assert_no_secret_shown(instance, secured_kafka, extra_secrets=[wrong])

    # The Secret is rotated in place: the next connection uses the file's new content.
    password_file.write_text(secured_kafka.passwords[SCRAM512_USER])
    assert_exports_committed(instance, committed, timeout=RECOVERY_TIMEOUT_S)
    assert "authentication failed" not in instance.get("/").body.decode(errors="replace")
    assert_no_secret_shown(instance, secured_kafka, extra_secrets=[wrong])


def test_untrusted_ca_is_named(secured_kafka, secured_lagwatch, committed, tmp_path):
    password, env = password_source(secured_kafka, SCRAM512_USER, "env", tmp_path)
    properties = scram_properties(secured_kafka, "SCRAM-SHA-512", "SASL_SSL", password)
    properties["ssl.ca.location"] = str(secured_kafka.certificates.other_ca)
    instance = secured_lagwatch(
        bootstrap=secured_kafka.bootstrap("SASL_SSL"),
        extra_config=librdkafka_section(properties),
        env=env,
        wait_ready=False,
        **committed.filters(),
    )
    wait_for_named_failure(instance, "certificate verify failed")
    assert_no_secret_shown(instance, secured_kafka)


def test_hostname_mismatch_is_named(secured_kafka, secured_lagwatch, committed, tmp_path):
    instance = secured_lagwatch(
        bootstrap=secured_kafka.bootstrap("WRONGHOST"),
        extra_config=librdkafka_section(mtls_properties(secured_kafka, tmp_path)),
        wait_ready=False,
        **committed.filters(),
    )
    wait_for_named_failure(instance, "hostname mismatch")
    assert_no_secret_shown(instance, secured_kafka)


def test_unresolvable_host_is_named(secured_kafka, secured_lagwatch, committed, tmp_path):
    password, env = password_source(secured_kafka, SCRAM512_USER, "env", tmp_path)
    instance = secured_lagwatch(
        bootstrap="broker.lagwatch-test.invalid:9093",
        extra_config=librdkafka_section(scram_properties(secured_kafka, "SCRAM-SHA-512", "SASL_SSL", password)),
        env=env,
        wait_ready=False,
        **committed.filters(),
    )
    wait_for_named_failure(instance, "name resolution failed")
    assert_no_secret_shown(instance, secured_kafka)


# librdkafka itself refuses an expired token before sending it; the broker refuses one signed by
# a key its JWKS does not hold.
@pytest.mark.parametrize(
    "mode,cause", [("expired", "token retrieval failed"), ("wrong-key", "authentication failed")]
)
def test_refused_token_is_named_and_recovers(secured_kafka, secured_lagwatch, committed, mode, cause):
    properties, env = oidc_properties(secured_kafka)
    oidc = secured_kafka.oidc
    oidc.set_mode(mode)
    try:
        instance = secured_lagwatch(
            bootstrap=secured_kafka.bootstrap("OAUTH"),
            extra_config=librdkafka_section(properties),
            env=env,
            wait_ready=False,
            **committed.filters(),
        )
        wait_for_named_failure(instance, cause)
    finally:
        oidc.set_mode("valid")
    assert_exports_committed(instance, committed, timeout=RECOVERY_TIMEOUT_S)
    assert_no_secret_shown(instance, secured_kafka)


def test_broker_hung_longer_than_the_request_timeout_ten_times(secured_kafka, secured_lagwatch, tmp_path):
    """SIGSTOP the broker until lagwatch says it is down (the poll's requests time out), resume it,
    and see the values come back, fresh: HANG_CYCLES times in a row without a crash."""
    own = Committed(secured_kafka.admin_bootstrap, "hang")
    password, env = password_source(secured_kafka, SCRAM512_USER, "file", tmp_path)
    instance = secured_lagwatch(
        bootstrap=secured_kafka.bootstrap("SASL_SSL"),
        extra_config=librdkafka_section(scram_properties(secured_kafka, "SCRAM-SHA-512", "SASL_SSL", password)),
        env=env,
        **own.filters(),
    )
    assert_exports_committed(instance, own)
    broker_pid = int((secured_kafka.directory / "broker" / "pid").read_text().strip())
    for cycle in range(1, HANG_CYCLES + 1):
        os.kill(broker_pid, signal.SIGSTOP)
        try:
            workload.wait_until(
                lambda: up(instance) == 0.0, FAILURE_TIMEOUT_S, message=f"cycle {cycle}: lagwatch_up 0 while hung"
            )
        finally:
            os.kill(broker_pid, signal.SIGCONT)
        assert instance.is_running(), f"cycle {cycle}: lagwatch exited while the broker hung"
        # A new commit after each resume: the values that come back are fresh, not the kept ones.
        workload.wait_until(lambda: _commit(own, cycle), RECOVERY_TIMEOUT_S, message=f"cycle {cycle}: a commit")
        assert_exports_committed(instance, own, timeout=RECOVERY_TIMEOUT_S)
        assert instance.is_running(), f"cycle {cycle}: lagwatch exited after the broker resumed"


def _commit(committed: Committed, offset: int) -> bool:
    # The resumed broker may still be re-registering with its controller: retried by the caller.
    try:
        committed.commit(offset)
    except Exception:  # noqa: BLE001 - any failure of the test's own client here is retried
        return False
    return True


def topic_denials(topic: str, cls=AclBinding) -> list:
    """DENY Describe and Read on `topic` for the limited principal (a filter when cls is
    AclBindingFilter, to delete them)."""
    return [
        cls(ResourceType.TOPIC, topic, ResourcePatternType.LITERAL, f"User:{LIMITED_USER}", "*", operation,
            AclPermissionType.DENY)
        for operation in (AclOperation.DESCRIBE, AclOperation.READ)
    ]


def unauthorized(instance) -> dict[str, float]:
    values = select(instance.scrape(), "lagwatch_unauthorized", kafka_cluster=CLUSTER_NAME)
    return {dict(key)["resource"]: value for key, value in values.items()}


def hidden_topic_counts(instance) -> dict[str, float]:
    values = select(instance.scrape(), "lagwatch_group_unauthorized_topics", kafka_cluster=CLUSTER_NAME)
    return {dict(key)["group"]: value for key, value in values.items()}


def limited_lagwatch(secured_kafka, secured_lagwatch, tmp_path, **filters):
    """lagwatch as the principal whose ACLs the tests change, over SCRAM-SHA-512."""
    password, env = password_source(secured_kafka, LIMITED_USER, "file", tmp_path)
    properties = scram_properties(secured_kafka, "SCRAM-SHA-512", "SCRAM", password)
    properties["sasl.username"] = LIMITED_USER
    return secured_lagwatch(
        bootstrap=secured_kafka.bootstrap("SCRAM"),
        extra_config=librdkafka_section(properties),
        env=env,
        **filters,
    )


def test_a_hidden_topic_is_counted_and_its_groups_marked_until_the_acl_allows_it(
    secured_kafka, secured_lagwatch, tmp_path
):
    """A principal denied one topic: its groups' visible partitions are exact, the hidden topic is
    counted and named, each group committing to it is marked instead of looking lag-free, and all
    of it clears once the ACL allows the topic."""
    bootstrap = secured_kafka.admin_bootstrap
    prefix = scenario.unique_prefix("acl")
    seen, hidden = f"{prefix}-seen", f"{prefix}-hidden"
    mixed, hidden_only, clean = f"{prefix}-mixed", f"{prefix}-hidden-only", f"{prefix}-clean"
    workload.create_topic(bootstrap, seen, 1)
    workload.create_topic(bootstrap, hidden, 1)
    workload.produce(bootstrap, seen, {0: 9})
    workload.produce(bootstrap, hidden, {0: 6})
    workload.commit_offsets(bootstrap, mixed, [(seen, 0, 4), (hidden, 0, 2)])
    workload.commit_offsets(bootstrap, hidden_only, [(hidden, 0, 1)])
    workload.commit_offsets(bootstrap, clean, [(seen, 0, 8)])
    for future in secured_kafka.admin().create_acls(topic_denials(hidden)).values():
        future.result(timeout=ADMIN_TIMEOUT_S)
    try:
        instance = limited_lagwatch(
            secured_kafka, secured_lagwatch, tmp_path, groups_allow=[f"{prefix}-.*"], topics_allow=[f"{prefix}-.*"]
        )
        workload.wait_until(
            lambda: hidden_topic_counts(instance) == {mixed: 1.0, hidden_only: 1.0},
            FAILURE_TIMEOUT_S,
            message="both groups committing to the hidden topic marked",
        )
        assert unauthorized(instance) == {"topic": 1.0, "group": 0.0, "consumer_offsets": 0.0}
        lags = select(instance.scrape(), "lagwatch_group_partition_lag", kafka_cluster=CLUSTER_NAME)
        assert {(dict(k)["group"], dict(k)["topic"]): v for k, v in lags.items()} == {
            (mixed, seen): 5.0,
            (clean, seen): 1.0,
        }
        page = instance.get("/").body.decode(errors="replace")
        assert f"topic {hidden}: not authorized" in page
        assert hidden in instance.output()
        assert up(instance) == 1.0
    finally:
        for future in secured_kafka.admin().delete_acls(topic_denials(hidden, AclBindingFilter)).values():
            future.result(timeout=ADMIN_TIMEOUT_S)

    workload.wait_until(
        lambda: hidden_topic_counts(instance) == {} and unauthorized(instance).get("topic") == 0.0,
        RECOVERY_TIMEOUT_S,
        message="the marks cleared once the topic is allowed",
    )
    workload.wait_until(
        lambda: {
            (dict(k)["group"], dict(k)["topic"]): v
            for k, v in select(instance.scrape(), "lagwatch_group_partition_lag", kafka_cluster=CLUSTER_NAME).items()
        }
        == {(mixed, seen): 5.0, (mixed, hidden): 4.0, (hidden_only, hidden): 5.0, (clean, seen): 1.0},
        RECOVERY_TIMEOUT_S,
        message="the formerly hidden partitions' lag exported",
    )
    # The page still lists the topic among the groups' partitions, no longer as hidden.
    assert f"topic {hidden}: not authorized" not in instance.get("/").body.decode(errors="replace")
    assert json.loads(instance.get("/api/v1/clusters").body)["clusters"][0]["unauthorized"] == []
    assert_no_secret_shown(instance, secured_kafka)


def test_revoked_acls_are_counted_and_recover(secured_kafka, secured_lagwatch, committed, tmp_path):
    """Every ACL of the principal revoked: what lagwatch can no longer read is counted
    (__consumer_offsets among it) instead of silently exporting nothing, and regranting recovers."""
    instance = limited_lagwatch(secured_kafka, secured_lagwatch, tmp_path, **committed.filters())
    assert_exports_committed(instance, committed)
    secured_kafka.revoke_all(LIMITED_USER)
    try:
        workload.wait_until(
            lambda: unauthorized(instance).get("consumer_offsets") == 1.0,
            FAILURE_TIMEOUT_S,
            message="__consumer_offsets counted as unauthorized",
        )
        page = instance.get("/").body.decode(errors="replace")
        assert "__consumer_offsets" in page and "not authorized" in page
        assert instance.is_running()
    finally:
        secured_kafka.grant_monitoring(LIMITED_USER)
    workload.wait_until(
        lambda: unauthorized(instance).get("consumer_offsets") == 0.0,
        RECOVERY_TIMEOUT_S,
        message="__consumer_offsets readable again",
    )
    assert_exports_committed(instance, committed, timeout=RECOVERY_TIMEOUT_S)
