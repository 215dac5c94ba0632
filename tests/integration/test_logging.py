"""Log lines as lagwatch really writes them: JSON or logfmt, one event per line, librdkafka's
messages with their facility as a field, and the flags overriding the [log] section."""

from __future__ import annotations

import json
import re
import signal
import subprocess
from pathlib import Path

import pytest

import workload
from processes import Lagwatch, free_port, lagwatch_binary, write_config

WAIT_S = 30.0
STOP_TIMEOUT_S = 20.0

# key=value where value is bare or a quoted string with backslash escapes (a subset of JSON's).
LOGFMT_PAIR = re.compile(r'([A-Za-z0-9_.-]+)=("(?:[^"\\]|\\.)*"|[^ "=\\]+)(?: |$)')


def parse_logfmt(line: str) -> dict[str, str]:
    """The pairs of one logfmt line; fails the test on anything else."""
    pairs: dict[str, str] = {}
    at = 0
    while at < len(line):
        match = LOGFMT_PAIR.match(line, at)
        assert match, f"not logfmt at column {at}: {line!r}"
        key, value = match.group(1), match.group(2)
        assert key not in pairs, f"duplicate key {key}: {line!r}"
        pairs[key] = json.loads(value) if value.startswith('"') else value
        at = match.end()
    return pairs


def parse_line(line: str, fmt: str) -> dict[str, str]:
    if fmt == "json":
        event = json.loads(line)
        assert isinstance(event, dict) and all(isinstance(v, str) for v in event.values()), line
        return event
    return parse_logfmt(line)


def events(text: str, fmt: str) -> list[dict[str, str]]:
    """Every line of `text` as an event with ts, level and msg first."""
    parsed = []
    for line in text.splitlines():
        event = parse_line(line, fmt)
        assert list(event)[:3] == ["ts", "level", "msg"], line
        assert event["level"] in {"debug", "info", "warn", "error"}, line
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", event["ts"]), line
        parsed.append(event)
    return parsed


def unreachable_config(path: Path, extra: str = "") -> Path:
    """A config whose only cluster is a closed loopback port: librdkafka logs its connect failures."""
    write_config(path, free_port(), f"127.0.0.1:{free_port()}", "down", (".*",), (), (), ("^__",))
    text = path.read_text().replace('request_timeout = "5s"', 'request_timeout = "1s"')
    path.write_text(extra + text)
    return path


def run_until(args: list[str], log_path: Path, predicate, what: str) -> str:
    """Runs lagwatch until its output satisfies `predicate`, then stops it with SIGTERM."""
    with open(log_path, "wb") as log_file:
        process = subprocess.Popen(
            [str(lagwatch_binary()), *args], stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT
        )
        try:
            workload.wait_until(
                lambda: process.poll() is not None or predicate(log_path.read_text(errors="replace")),
                WAIT_S,
                message=what,
            )
            assert process.poll() is None, f"lagwatch exited with {process.returncode}:\n{log_path.read_text()}"
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=STOP_TIMEOUT_S)
    assert process.returncode == 0, log_path.read_text()
    return log_path.read_text(errors="replace")


@pytest.mark.parametrize("fmt", ["logfmt", "json"])
def test_librdkafka_messages_carry_their_facility(tmp_path, fmt):
    config = unreachable_config(tmp_path / "down.toml", f'[log]\nformat = "{fmt}"\n')
    marker = '"component":"librdkafka"' if fmt == "json" else "component=librdkafka"
    text = run_until(
        ["--config", str(config)], tmp_path / "down.log", lambda out: marker in out, "a librdkafka log line"
    )
    parsed = events(text, fmt)
    from_librdkafka = [e for e in parsed if e.get("component") == "librdkafka"]
    assert from_librdkafka, text
    for event in from_librdkafka:
        assert re.fullmatch(r"[A-Z0-9_]+", event.get("facility", "")), event
        assert re.fullmatch(r"[\w.-]+#(producer|consumer)-\d+", event.get("client", "")), event
        assert not event["msg"].startswith("librdkafka"), event
    assert any("127.0.0.1" in e["msg"] for e in from_librdkafka), text


def test_flags_override_the_log_section(tmp_path):
    # The file asks for JSON at warn; the flags ask for logfmt at info, so the info line of the
    # start appears, in logfmt.
    config = unreachable_config(tmp_path / "down.toml", '[log]\nformat = "json"\nlevel = "warn"\n')
    text = run_until(
        ["--config", str(config), "--log.format", "logfmt", "--log.level=info"],
        tmp_path / "flags.log",
        lambda out: " starting; configuration " in out,
        "the start line",
    )
    parsed = events(text, "logfmt")
    assert any(e["level"] == "info" and "starting" in e["msg"] for e in parsed), text


def test_level_flag_filters_out_lower_levels(tmp_path):
    # At warn, the info lines of the start are not written; librdkafka's connect failures are.
    config = unreachable_config(tmp_path / "down.toml")
    text = run_until(
        ["--config", str(config), "--log.level", "warn"],
        tmp_path / "warn.log",
        lambda out: "component=librdkafka" in out,
        "a librdkafka warning",
    )
    parsed = events(text, "logfmt")
    assert parsed and all(e["level"] in {"warn", "error"} for e in parsed), text


@pytest.mark.parametrize("args, message", [
    (["--log.format", "text"], 'lagwatch: --log.format: expected logfmt or json, got "text"'),
    (["--log.level=trace"], 'lagwatch: --log.level: expected debug, info, warn or error, got "trace"'),
    (["--log.level"], "lagwatch: --log.level needs debug, info, warn or error"),
])
def test_bad_log_flags_are_usage_errors(tmp_path, args, message):
    config = unreachable_config(tmp_path / "down.toml")
    result = subprocess.run(
        [str(lagwatch_binary()), "--config", str(config), *args],
        capture_output=True, text=True, timeout=WAIT_S, stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2, result.stderr
    assert message in result.stderr


def test_check_config_shows_the_effective_log_settings(tmp_path):
    config = unreachable_config(tmp_path / "down.toml", '[log]\nlevel = "debug"\n')
    result = subprocess.run(
        [str(lagwatch_binary()), "--check-config", str(config), "--log.format", "json"],
        capture_output=True, text=True, timeout=WAIT_S, stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    assert '\n[log]\nformat = "json"\nlevel = "debug"\n' in result.stdout


def test_json_lines_on_a_real_broker(kafka, tmp_path):
    port = free_port()
    config = tmp_path / "json.toml"
    write_config(config, port, kafka.bootstrap, "it", (".*",), (), (), ("^__",))
    instance = Lagwatch(lagwatch_binary(), config, tmp_path / "json.log", port, extra_args=("--log.format", "json"))
    try:
        instance.start()
        workload.wait_until(lambda: "poll succeeded" in instance.output(), WAIT_S, message="poll succeeded")
    finally:
        instance.stop()
    parsed = events(instance.output(), "json")
    assert any(e["msg"] == "cluster it: poll succeeded" and e["level"] == "info" for e in parsed)
