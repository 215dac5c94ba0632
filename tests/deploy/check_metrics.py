#!/usr/bin/env python3
"""Checks a Prometheus text exposition against expected series.

    check_metrics.py METRICS_FILE 'NAME{label="v",...} VALUE' ...

An expectation is met by a series with the same name, at least the given labels (other labels
are allowed, label order does not matter) and the same value. Exits 1 listing every unmet one.
Standard library only, so it runs on the host's python3.
"""

from __future__ import annotations

import re
import sys

_SERIES = re.compile(r"^([A-Za-z_:][A-Za-z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?\s*$")
_LABEL = re.compile(r'\s*([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?')


def parse_series(line: str) -> tuple[str, dict[str, str], float] | None:
    match = _SERIES.match(line)
    if match is None:
        return None
    name, label_text, value_text = match.groups()
    labels: dict[str, str] = {}
    position = 0
    label_text = label_text or ""
    while position < len(label_text):
        label = _LABEL.match(label_text, position)
        if label is None:
            return None
        labels[label.group(1)] = label.group(2).replace('\\"', '"').replace("\\\\", "\\")
        position = label.end()
    try:
        value = float(value_text)
    except ValueError:
        return None
    return name, labels, value


def parse_exposition(text: str) -> list[tuple[str, dict[str, str], float]]:
    series = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        parsed = parse_series(line)
        if parsed is not None:
            series.append(parsed)
    return series


def is_met(expectation: tuple[str, dict[str, str], float], series: list) -> bool:
    name, labels, value = expectation
    return any(
        s_name == name and s_value == value and all(s_labels.get(k) == v for k, v in labels.items())
        for s_name, s_labels, s_value in series
    )


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as handle:
        series = parse_exposition(handle.read())
    unmet = []
    for text in argv[2:]:
        expectation = parse_series(text)
        if expectation is None:
            print(f"check_metrics: cannot parse expectation {text!r}", file=sys.stderr)
            return 2
        if not is_met(expectation, series):
            unmet.append(text)
    for text in unmet:
        print(f"check_metrics: missing {text}", file=sys.stderr)
    return 1 if unmet else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
