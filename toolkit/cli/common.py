"""Options and exit codes every command shares."""

from __future__ import annotations

import argparse

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2


def common_options() -> argparse.ArgumentParser:
    """Return a parent parser with ``--json`` and ``--verbose``."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--json",
        action="store_true",
        help="print one JSON document on stdout (logs go to stderr)",
    )
    parent.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="log progress to stderr and show tracebacks for internal errors",
    )
    return parent
