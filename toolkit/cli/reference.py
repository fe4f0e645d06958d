"""Write the command reference (docs/cli.md) from the parsers' own ``--help``.

``python -m toolkit.cli.reference > docs/cli.md`` regenerates it; a test fails when
the committed page and the parsers disagree, so the reference cannot drift.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator

from toolkit.cli import build_parser

HELP_WIDTH = "88"


def walk(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    """Yield ``parser`` and every parser below it, depth first, in help order."""
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):
                yield from walk(child)


def render() -> str:
    """Return the command reference as Markdown."""
    previous = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = HELP_WIDTH
    try:
        sections = [
            f"## `{parser.prog}`\n\n```text\n{parser.format_help().rstrip()}\n```\n"
            for parser in walk(build_parser())
        ]
    finally:
        if previous is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = previous
    header = (
        "# Command reference\n\n"
        "Generated from each command's `--help` by "
        "`python -m toolkit.cli.reference > docs/cli.md`; do not edit by hand.\n"
    )
    return header + "\n" + "\n".join(sections)


if __name__ == "__main__":
    sys.stdout.write(render())
