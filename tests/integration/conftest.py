"""Fixtures of the integration tests: one real Kafka broker per session (tests/harness/kafka.sh)
and lagwatch processes started against it with generated configs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "harness"))

import workload  # noqa: E402
from exposition import select  # noqa: E402
from processes import (  # noqa: E402
    CLUSTER_NAME,
    DEFAULT_KAFKA_VERSION,
    KafkaBroker,
    Lagwatch,
    free_port,
    lagwatch_binary,
    write_config,
)


def _session_broker(broker, what: str):
    """Starts `broker`, yields it for the session and stops it; a failed start fails the tests."""
    try:
        broker.start()
    except subprocess.CalledProcessError as error:
        pytest.fail(f"{what} {broker.version} did not start:\n{error.stderr}")
    yield broker
    broker.stop()


@pytest.fixture(scope="session")
def kafka(tmp_path_factory: pytest.TempPathFactory):
    version = os.environ.get("LAGWATCH_KAFKA_VERSION", DEFAULT_KAFKA_VERSION)
    yield from _session_broker(KafkaBroker(version, tmp_path_factory.mktemp("kafka")), "Kafka")


@pytest.fixture(scope="session")
def secured_kafka(tmp_path_factory: pytest.TempPathFactory):
    """One secured broker (tests/harness/secured_kafka.py) shared by the security tests; started
    only when a test asks for it."""
    from secured_kafka import SecuredKafka

    version = os.environ.get("LAGWATCH_KAFKA_VERSION", DEFAULT_KAFKA_VERSION)
    yield from _session_broker(SecuredKafka(version, tmp_path_factory.mktemp("secured")), "secured Kafka")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Attaches the output of the test's lagwatch processes to its failure report."""
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        for index, instance in enumerate(getattr(item, "_lagwatch_instances", [])):
            report.sections.append((f"lagwatch #{index} output", instance.output()[-20000:]))


def _lagwatch_factory(default_bootstrap: str, request: pytest.FixtureRequest, tmp_path: Path):
    """Yields start(...), which runs lagwatch with a generated config and returns a ready
    Lagwatch; every instance is stopped at teardown."""
    binary = lagwatch_binary()
    if not os.access(binary, os.X_OK):
        pytest.fail(f"lagwatch binary {binary} not found: build it or set LAGWATCH_BIN")
    instances: list[Lagwatch] = []
    request.node._lagwatch_instances = instances

    def start(
        groups_allow=(".*",),
        groups_deny=(),
        topics_allow=(),
        topics_deny=("^__",),
        cluster: str = CLUSTER_NAME,
        extra_config: str = "",
        bootstrap: str | None = None,
        env: dict[str, str] | None = None,
        wait_ready: bool = True,
        interval: str = "1s",
        poll_config: str = "",
    ) -> Lagwatch:
        """`extra_config`: TOML appended to the config, inside the cluster's table (e.g. a
        [clusters.consumer_offsets] section). `env`: added to lagwatch's environment.
        `wait_ready=False`: return once it serves HTTP, without waiting for Kafka. `interval`:
        the poll interval. `poll_config`: more keys of [poll]."""
        index = len(instances)
        port = free_port()
        config_path = tmp_path / f"lagwatch-{index}.toml"
        write_config(
            config_path, port, bootstrap or default_bootstrap, cluster, groups_allow, groups_deny, topics_allow,
            topics_deny, interval, poll_config,
        )
        if extra_config:
            with config_path.open("a") as config:
                config.write("\n" + extra_config + "\n")
        instance = Lagwatch(binary, config_path, tmp_path / f"lagwatch-{index}.log", port, extra_env=dict(env or {}))
        instances.append(instance)
        instance.start(wait_ready=wait_ready)
        if wait_ready:
            # /readyz answers 200 as soon as OffsetFetch has served the first poll; the tests
            # expect the __consumer_offsets reader's exact counts, so they start once it has
            # caught up.
            wait_for_reader(instance)
        return instance

    yield start
    try:
        for instance in instances:
            assert_no_verify_mismatches(instance)
    finally:
        for instance in instances:
            instance.stop()


@pytest.fixture
def lagwatch(kafka: KafkaBroker, request: pytest.FixtureRequest, tmp_path: Path):
    """Factory: lagwatch(groups_allow=[...], ...) starts lagwatch watching the session broker
    and returns a ready Lagwatch. Every instance is stopped at teardown."""
    yield from _lagwatch_factory(kafka.bootstrap, request, tmp_path)


@pytest.fixture
def secured_lagwatch(secured_kafka, request: pytest.FixtureRequest, tmp_path: Path):
    """Factory like `lagwatch`, for the secured broker: pass bootstrap= one of its listeners and
    the security properties in extra_config."""
    yield from _lagwatch_factory(secured_kafka.admin_bootstrap, request, tmp_path)


def wait_for_reader(instance: Lagwatch, timeout: float = 60.0) -> None:
    workload.wait_until(
        lambda: 1.0 in select(instance.scrape(), "lagwatch_offsets_reader_caught_up").values(),
        timeout,
        message="the __consumer_offsets reader caught up",
    )


def assert_no_verify_mismatches(instance: Lagwatch) -> None:
    """Every OffsetFetch the verifier compared with the __consumer_offsets stream agreed: a
    mismatch is a bug, wherever in the suite it happened."""
    if not instance.is_running():
        return
    mismatches = select(instance.scrape(), "lagwatch_offsets_verify_mismatches_total")
    assert sum(mismatches.values()) == 0, f"offsets verifier mismatches: {mismatches}\n" + "\n".join(
        line for line in instance.output().splitlines() if "offsets verifier" in line
    )
