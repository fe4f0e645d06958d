"""The ``toolkit`` command line.

Each command group lives in its own module here and exposes ``register(subparsers)``,
which adds its parser and sets ``handler`` to a function taking the parsed arguments
and returning an exit code. Commands are thin: parse, call one core function, render.
Nothing outside this package imports it.

Exit codes, for every command: 0 clean, 1 findings or a failed run, 2 bad input or
usage (one line on stderr; a traceback only with ``--verbose``).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence

from toolkit import __version__
from toolkit.cli.common import EXIT_BAD_INPUT
from toolkit.errors import UserInputError

log = logging.getLogger(__name__)

COMMAND_MODULES = (
    "notebooks",
    "check",
    "progress",
    "migrate",
    "doctor",
    "pii",
)


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line and exit with code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        """Print ``message`` on one line with a pointer to ``--help``, exit 2."""
        self.exit(
            EXIT_BAD_INPUT,
            f"{self.prog}: {message}; try '{self.prog} --help'\n",
        )


def build_parser() -> OneLineParser:
    """Build the parser with every command group registered."""
    parser = OneLineParser(
        prog="toolkit",
        description=(
            "Pipeline Workbook toolkit: run the workbook's notebooks, check exercises, "
            "tick the roadmap, migrate scripts to Luigi, doctor ML pipelines, scan "
            "for PII."
        ),
        epilog="Example: toolkit notebooks list",
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}"
    )
    subparsers = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=OneLineParser
    )
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"toolkit.cli.{name}")
        module.register(subparsers)
    return parser


def configure_logging(verbose: bool) -> None:
    """Send the toolkit's logs to stderr: INFO with ``--verbose``, WARNING otherwise."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    package_logger = logging.getLogger("toolkit")
    package_logger.handlers = [handler]
    package_logger.setLevel(logging.INFO if verbose else logging.WARNING)
    package_logger.propagate = False


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_request:  # --help, --version, or a usage error
        return int(exit_request.code or 0)
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return EXIT_BAD_INPUT

    verbose = bool(getattr(args, "verbose", False))
    configure_logging(verbose)
    try:
        return int(args.handler(args))
    except UserInputError as error:
        if verbose:
            log.exception("bad input")
        print(f"toolkit {args.command}: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # the reader (e.g. `head`) closed stdout early
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        print(f"toolkit {args.command}: interrupted", file=sys.stderr)
        return 130
