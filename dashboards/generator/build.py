#!/usr/bin/env python3
"""Writes dashboards/*.json from the generator modules, or with --check verifies they match."""

import json
import pathlib
import sys

import group
import lagwatch
import overview
import topics

OUT_DIR = pathlib.Path(__file__).resolve().parent.parent
DASHBOARDS = {"overview.json": overview, "group.json": group, "topics.json": topics,
              "lagwatch.json": lagwatch}


def render(module):
    return json.dumps(module.build(), indent=2, sort_keys=False) + "\n"


def main(argv):
    check = "--check" in argv
    stale = []
    for name, module in DASHBOARDS.items():
        text = render(module)
        path = OUT_DIR / name
        if check:
            if not path.exists() or path.read_text() != text:
                stale.append(name)
        else:
            path.write_text(text)
    if stale:
        print("out of date (run dashboards/generator/build.py): " + ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
