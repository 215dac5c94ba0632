"""A strict reader of the Prometheus text exposition format (version 0.0.4), written for the tests
so that a malformed line fails them instead of being skipped."""

from __future__ import annotations

import math
import re

Labels = frozenset  # frozenset of (name, value) pairs
SampleKey = tuple[str, Labels]

_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
_LABEL_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
_ESCAPES = {"\\": "\\", '"': '"', "n": "\n"}


class ExpositionError(ValueError):
    pass


def _parse_labels(text: str, start: int, line: str) -> tuple[dict[str, str], int]:
    """Parses `{a="x",b="y"}` beginning at text[start] == "{"; returns labels and the index after "}"."""
    labels: dict[str, str] = {}
    i = start + 1
    while True:
        if i < len(text) and text[i] == "}":
            return labels, i + 1
        match = _LABEL_NAME.match(text, i)
        if not match:
            raise ExpositionError(f"bad label name in {line!r}")
        name = match.group(0)
        i = match.end()
        if text[i : i + 2] != '="':
            raise ExpositionError(f'expected =" after {name} in {line!r}')
        i += 2
        value = []
        while True:
            if i >= len(text):
                raise ExpositionError(f"unterminated label value in {line!r}")
            char = text[i]
            if char == "\\":
                escaped = text[i + 1 : i + 2]
                if escaped not in _ESCAPES:
                    raise ExpositionError(f"bad escape in {line!r}")
                value.append(_ESCAPES[escaped])
                i += 2
            elif char == '"':
                i += 1
                break
            else:
                value.append(char)
                i += 1
        if name in labels:
            raise ExpositionError(f"duplicate label {name} in {line!r}")
        labels[name] = "".join(value)
        if text[i : i + 1] == ",":
            i += 1
        elif text[i : i + 1] != "}":
            raise ExpositionError(f"expected , or }} in {line!r}")


def _parse_value(text: str, line: str) -> float:
    special = {"+Inf": math.inf, "-Inf": -math.inf, "NaN": math.nan}
    if text in special:
        return special[text]
    try:
        return float(text)
    except ValueError as error:
        raise ExpositionError(f"bad value {text!r} in {line!r}") from error


def parse(text: str) -> dict[SampleKey, float]:
    """{(metric name, frozenset(label items)): value}; duplicate series are an error."""
    samples: dict[SampleKey, float] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        match = _NAME.match(line)
        if not match:
            raise ExpositionError(f"bad metric name in {line!r}")
        name = match.group(0)
        i = match.end()
        labels: dict[str, str] = {}
        if line[i : i + 1] == "{":
            labels, i = _parse_labels(line, i, line)
        rest = line[i:].split()
        if len(rest) not in (1, 2):
            raise ExpositionError(f"expected value [timestamp] in {line!r}")
        key = (name, frozenset(labels.items()))
        if key in samples:
            raise ExpositionError(f"duplicate series {line!r}")
        samples[key] = _parse_value(rest[0], line)
    return samples


def select(samples: dict[SampleKey, float], name: str, **required: str) -> dict[frozenset, float]:
    """Series of metric `name` whose labels include `required`; keys are the remaining labels
    (the required ones removed), so expectations need not repeat them."""
    selected: dict[frozenset, float] = {}
    for (sample_name, labels), value in samples.items():
        if sample_name != name:
            continue
        label_map = dict(labels)
        if all(label_map.get(k) == v for k, v in required.items()):
            selected[frozenset((k, v) for k, v in label_map.items() if k not in required)] = value
    return selected


def labels(**items: object) -> frozenset:
    """A label set as select() keys it; values are converted to strings (partition=0 -> "0")."""
    return frozenset((k, str(v)) for k, v in items.items())
