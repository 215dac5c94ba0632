"""The processes the integration tests drive: a Kafka broker run by tests/harness/kafka.sh and
lagwatch itself, with the config the tests generate for it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import workload
from exposition import parse, select

REPO_ROOT = Path(__file__).resolve().parents[2]
KAFKA_SH = REPO_ROOT / "tests" / "harness" / "kafka.sh"
DEFAULT_KAFKA_VERSION = "4.3.1"
READY_TIMEOUT_S = 30.0
HTTP_TIMEOUT_S = 10.0
CLUSTER_NAME = "it"


def lagwatch_binary() -> Path:
    return Path(os.environ.get("LAGWATCH_BIN", REPO_ROOT / "build" / "exporter" / "lagwatch"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class KafkaBroker:
    """A broker run by kafka.sh from `directory`; restart() keeps its ports and data."""

    def __init__(self, version: str, directory: Path) -> None:
        self.version = version
        self.directory = directory
        self.bootstrap = ""

    @property
    def major_version(self) -> int:
        return int(self.version.split(".")[0])

    @property
    def supports_kip848(self) -> bool:
        return self.major_version >= 4

    def _run(self, *args: str, timeout: float = 180.0) -> subprocess.CompletedProcess:
        return subprocess.run([str(KAFKA_SH), *args], check=True, timeout=timeout, capture_output=True, text=True)

    def start(self) -> None:
        self._run("start", self.version, str(self.directory))
        self.bootstrap = (self.directory / "bootstrap").read_text().strip()

    def stop(self) -> None:
        self._run("stop", str(self.directory))

    def restart(self) -> None:
        self._run("restart", str(self.directory))
        self.bootstrap = (self.directory / "bootstrap").read_text().strip()

    def consumer_groups(self, *args: str) -> str:
        """stdout of Kafka's kafka-consumer-groups command with `args`."""
        return self._run("consumer-groups", str(self.directory), *args, timeout=120.0).stdout


@dataclass
class HttpResponse:
    status: int
    headers: dict[str, str]
    body: bytes


@dataclass
class Lagwatch:
    """One lagwatch process; its combined output goes to `log_path`."""

    binary: Path
    config_path: Path
    log_path: Path
    port: int
    process: subprocess.Popen | None = None
    extra_args: tuple[str, ...] = ()
    # Variables added to lagwatch's environment (e.g. the `{ env = ... }` secrets of its config).
    extra_env: dict[str, str] = field(default_factory=dict)
    _log_file: object = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, wait_ready: bool = True) -> None:
        """Starts lagwatch; unless `wait_ready` is false, waits until /readyz answers 200 (a
        lagwatch that cannot reach Kafka never gets there, but serves / and /metrics)."""
        self._log_file = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [str(self.binary), "--config", str(self.config_path), *self.extra_args],
            stdin=subprocess.DEVNULL,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            env={**os.environ, **self.extra_env},
        )
        ready_path = "/readyz" if wait_ready else "/healthz"
        try:
            workload.wait_until(
                lambda: self._exited_early() or self.get(ready_path).status == 200,
                READY_TIMEOUT_S,
                message=f"lagwatch {ready_path} == 200",
            )
        except TimeoutError:
            pytest.fail(f"lagwatch not ready within {READY_TIMEOUT_S:.0f}s:\n{self.output()}")
        if not self.is_running():
            pytest.fail(f"lagwatch exited with {self.process.returncode}:\n{self.output()}")

    def _exited_early(self) -> bool:
        return not self.is_running()

    def is_running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)
        if self._log_file is not None:
            self._log_file.close()

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def get(self, path: str, headers: dict[str, str] | None = None) -> HttpResponse:
        request = urllib.request.Request(self.url + path, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_S) as response:
                return HttpResponse(response.status, dict(response.headers.items()), response.read())
        except urllib.error.HTTPError as error:
            return HttpResponse(error.code, dict(error.headers.items()), error.read())

    def raw_text(self) -> str:
        response = self.get("/metrics")
        assert response.status == 200, f"/metrics answered {response.status}"
        return response.body.decode()

    def scrape(self) -> dict:
        """{(name, frozenset(labels.items())): value} of one /metrics scrape."""
        return parse(self.raw_text())


def toml_string(value: str) -> str:
    # A JSON string literal is a valid TOML basic string for the characters the tests use.
    return json.dumps(value)


def toml_list(values) -> str:
    return "[" + ", ".join(toml_string(v) for v in values) + "]"


def write_config(
    path: Path,
    port: int,
    bootstrap: str,
    cluster: str,
    groups_allow,
    groups_deny,
    topics_allow,
    topics_deny,
    interval: str = "1s",
    poll_config: str = "",
) -> None:
    path.write_text(
        f"""[server]
listen_address = "127.0.0.1:{port}"

[poll]
interval = {toml_string(interval)}
request_timeout = "5s"
{poll_config}

[[clusters]]
name = {toml_string(cluster)}
bootstrap_servers = {toml_string(bootstrap)}

[clusters.groups]
allow = {toml_list(groups_allow)}
deny = {toml_list(groups_deny)}

[clusters.topics]
allow = {toml_list(topics_allow)}
deny = {toml_list(topics_deny)}
"""
    )


def wait_for_fresh_poll(instance: Lagwatch, timeout: float = 30.0) -> None:
    """Waits until lagwatch's metrics reflect everything done to Kafka before this call: a poll
    that started after the call has completed."""

    def last_success() -> float:
        stamps = select(
            instance.scrape(), "lagwatch_last_successful_poll_timestamp_seconds", kafka_cluster=CLUSTER_NAME
        )
        return max(stamps.values()) if stamps else 0.0

    now = time.time()
    # The first poll finishing after `now` may have started before it; the one after cannot.
    first = workload.wait_until(lambda: (s := last_success()) > now and s, timeout, message="a poll after the change")
    workload.wait_until(lambda: last_success() > first, timeout, message="a second poll after the change")


def between_polls(instance: Lagwatch, change, interval_s: float) -> bool:
    """Runs change() right after one of lagwatch's polls finished; True when it was over before
    the next poll could have started, so that no poll saw it half done."""

    def poll_stamps() -> tuple[float, float]:
        samples = instance.scrape()
        finished = select(samples, "lagwatch_last_successful_poll_timestamp_seconds", kafka_cluster=CLUSTER_NAME)
        took = select(samples, "lagwatch_poll_duration_seconds", kafka_cluster=CLUSTER_NAME)
        return max(finished.values(), default=0.0), max(took.values(), default=0.0)

    finished, took = workload.wait_until(
        lambda: (stamps := poll_stamps())[0] > time.time() - 0.5 and stamps,
        2 * interval_s,
        interval=0.05,
        message="a poll that just finished",
    )
    change()
    # Polls start every interval_s at the latest: the next one starts no sooner than this one's
    # start plus the interval.
    return time.time() < finished - took + interval_s and poll_stamps()[0] == finished
