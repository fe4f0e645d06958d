"""Rendering shared by every command: JSON documents and plain-text tables."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

from toolkit.io import dumps_json


def print_json(document: Any) -> None:
    """Print one JSON document on stdout."""
    sys.stdout.write(dumps_json(document) + "\n")


def render_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """Render rows as an aligned plain-text table with a header rule.

    Numbers align right, everything else left.
    """
    cells = [[str(value) for value in row] for row in rows]
    widths = [len(header) for header in headers]
    for row in cells:
        for index, value in enumerate(row):
            widths[index] = max(widths[index], len(value))

    numeric = [
        all(isinstance(row[index], int | float) for row in rows) and bool(rows)
        for index in range(len(headers))
    ]

    def line(values: Sequence[str]) -> str:
        padded = [
            value.rjust(widths[i]) if numeric[i] else value.ljust(widths[i])
            for i, value in enumerate(values)
        ]
        return "  ".join(padded).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(list(headers)), rule, *(line(row) for row in cells)])
