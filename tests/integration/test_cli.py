"""Command-line behaviour that needs no broker: --version and --check-config."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from processes import REPO_ROOT, lagwatch_binary

COMMAND_TIMEOUT_S = 30


@pytest.fixture
def binary() -> Path:
    path = lagwatch_binary()
    if not path.exists():
        pytest.fail(f"lagwatch binary {path} not found: build it or set LAGWATCH_BIN")
    return path


def run(binary: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(binary), *args], capture_output=True, text=True, timeout=COMMAND_TIMEOUT_S, stdin=subprocess.DEVNULL
    )


def project_version() -> str:
    cmake = (REPO_ROOT / "CMakeLists.txt").read_text()
    match = re.search(r"project\(\s*lagwatch\s+VERSION\s+([0-9.]+)", cmake)
    assert match, "no project version in CMakeLists.txt"
    return match.group(1)


def test_version_prints_the_project_version(binary):
    result = run(binary, "--version")
    assert result.returncode == 0, result.stderr
    assert project_version() in result.stdout


MIN_LIBRDKAFKA = (2, 8, 0)


def test_version_names_a_librdkafka_that_does_scram_with_kafka_4(binary):
    result = run(binary, "--version")
    assert result.returncode == 0, result.stderr
    match = re.fullmatch(
        r"lagwatch (\S+) \(revision (\S+)\) librdkafka (\d+)\.(\d+)\.(\d+)\S*\n", result.stdout
    )
    assert match, f"unexpected --version output: {result.stdout!r}"
    assert match.group(1) == project_version()
    assert tuple(int(part) for part in match.group(3, 4, 5)) >= MIN_LIBRDKAFKA


VALID_CONFIG = """[server]
listen_address = "127.0.0.1:8793"

[poll]
interval = "1s"

[[clusters]]
name = "local"
bootstrap_servers = "127.0.0.1:9092"
"""


def test_check_config_accepts_a_valid_file(binary, tmp_path):
    config = tmp_path / "good.toml"
    config.write_text(VALID_CONFIG)
    result = run(binary, "--check-config", str(config))
    assert result.returncode == 0, result.stdout + result.stderr


# (file text, line the error is on). Each differs from VALID_CONFIG in one place.
BAD_CONFIGS = {
    "unknown key": (VALID_CONFIG.replace('interval = "1s"', 'interval = "1s"\nno_such_key = 3'), 6),
    "malformed duration": (VALID_CONFIG.replace('interval = "1s"', 'interval = "soon"'), 5),
    "TOML syntax error": (VALID_CONFIG.replace('name = "local"', 'name = "local'), 8),
}


@pytest.mark.parametrize("case", sorted(BAD_CONFIGS))
def test_check_config_rejects_a_bad_file_naming_file_and_line(binary, tmp_path, case):
    text, line = BAD_CONFIGS[case]
    config = tmp_path / "bad.toml"
    config.write_text(text)
    result = run(binary, "--check-config", str(config))
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert f"{config}:{line}" in output, output
