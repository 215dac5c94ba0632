"""Fixtures of the integration tests: one real Kafka broker per session (tests/harness/kafka.sh)
and lagwatch processes started against it with generated configs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "harness"))

from processes import (  # noqa: E402
    CLUSTER_NAME,
    DEFAULT_KAFKA_VERSION,
    KafkaBroker,
    Lagwatch,
    free_port,
    lagwatch_binary,
    write_config,
)


@pytest.fixture(scope="session")
def kafka(tmp_path_factory: pytest.TempPathFactory):
    broker = KafkaBroker(
        os.environ.get("LAGWATCH_KAFKA_VERSION", DEFAULT_KAFKA_VERSION), tmp_path_factory.mktemp("kafka")
    )
    try:
        broker.start()
    except subprocess.CalledProcessError as error:
        pytest.fail(f"Kafka {broker.version} did not start:\n{error.stderr}")
    yield broker
    broker.stop()


@pytest.fixture(scope="session")
def secured_kafka(tmp_path_factory: pytest.TempPathFactory):
    """One secured broker (tests/harness/secured_kafka.py) shared by the security tests; started
    only when a test asks for it."""
    from secured_kafka import SecuredKafka

    broker = SecuredKafka(
        os.environ.get("LAGWATCH_KAFKA_VERSION", DEFAULT_KAFKA_VERSION), tmp_path_factory.mktemp("secured")
    )
    try:
        broker.start()
    except subprocess.CalledProcessError as error:
        pytest.fail(f"secured Kafka {broker.version} did not start:\n{error.stderr}")
    yield broker
    broker.stop()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Attaches the output of the test's lagwatch processes to its failure report."""
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        for index, instance in enumerate(getattr(item, "_lagwatch_instances", [])):
            report.sections.append((f"lagwatch #{index} output", instance.output()[-20000:]))


@pytest.fixture
def lagwatch(kafka: KafkaBroker, request: pytest.FixtureRequest, tmp_path: Path):
    """Factory: lagwatch(groups_allow=[...], ...) starts lagwatch watching the session broker
    and returns a ready Lagwatch. Every instance is stopped at teardown."""
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
    ) -> Lagwatch:
        index = len(instances)
        port = free_port()
        config_path = tmp_path / f"lagwatch-{index}.toml"
        write_config(config_path, port, kafka.bootstrap, cluster, groups_allow, groups_deny, topics_allow, topics_deny)
        instance = Lagwatch(binary, config_path, tmp_path / f"lagwatch-{index}.log", port)
        instances.append(instance)
        instance.start()
        return instance

    yield start
    for instance in instances:
        instance.stop()
