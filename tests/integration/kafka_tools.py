"""Reads the tables printed by Kafka's own kafka-consumer-groups command, the answer key that
lagwatch's numbers are compared with."""

from __future__ import annotations


def parse_tables(text: str) -> list[tuple[list[str], list[str]]]:
    """(header words, row words) for every row of every table in the output.

    Tables start with a header line whose first word is GROUP and end at a blank line. Cells are
    split on whitespace: the columns the tests read never contain spaces, but some others may be
    blank (3.9 leaves ASSIGNMENT-STRATEGY empty for a group without members), so callers only
    read columns at fixed positions from the start or the end of a row.
    """
    rows: list[tuple[list[str], list[str]]] = []
    header: list[str] | None = None
    for line in text.splitlines():
        words = line.split()
        if not words:
            header = None
        elif words[0] == "GROUP":
            header = words
        elif header is not None:
            rows.append((header, words))
    return rows


OFFSET_COLUMNS = ["GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG"]
STATE_COLUMNS = ["STATE", "#MEMBERS"]


def _offset_rows(text: str):
    """(group, topic, partition, current offset, log end offset, lag) of every row of
    `--describe --all-groups`, the offsets as printed."""
    for header, row in parse_tables(text):
        if header[: len(OFFSET_COLUMNS)] != OFFSET_COLUMNS:
            raise ValueError(f"unexpected offsets table header {header}")
        group, topic, partition, current, log_end, lag = row[: len(OFFSET_COLUMNS)]
        yield group, topic, int(partition), current, log_end, lag


def committed_rows(text: str) -> dict[tuple[str, str, int], tuple[int, int, int]]:
    """From `--describe --all-groups`: {(group, topic, partition): (current offset, log end
    offset, lag)} for every row with a numeric CURRENT-OFFSET ("-" means nothing committed)."""
    return {
        (group, topic, partition): (int(current), int(log_end), int(lag))
        for group, topic, partition, current, log_end, lag in _offset_rows(text)
        if current.isdigit()
    }


def uncommitted_rows(text: str) -> set[tuple[str, str, int]]:
    """From `--describe --all-groups`: the (group, topic, partition) rows without a committed
    offset, which Kafka lists for partitions assigned to a member."""
    return {(group, topic, partition) for group, topic, partition, current, *_ in _offset_rows(text) if current == "-"}


def group_states(text: str) -> dict[str, tuple[str, int]]:
    """From `--describe --all-groups --state`: {group: (state, member count)}."""
    result: dict[str, tuple[str, int]] = {}
    for header, row in parse_tables(text):
        if header[0] != "GROUP" or header[-len(STATE_COLUMNS) :] != STATE_COLUMNS:
            raise ValueError(f"unexpected state table header {header}")
        result[row[0]] = (row[-2], int(row[-1]))
    return result
