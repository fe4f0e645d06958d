"""``toolkit notebooks``: list the workbook's notebooks and run them with papermill."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from toolkit.cli.common import common_options
from toolkit.cli.output import print_json, render_table
from toolkit.notebooks.catalog import PROFILES, NotebookInfo, discover, select
from toolkit.notebooks.runner import parse_assignments, run_notebooks

LIST_EXAMPLE = "Example: toolkit notebooks list --json"
RUN_EXAMPLE = (
    "Examples:\n"
    "  toolkit notebooks run                      # every notebook, full profile\n"
    "  toolkit notebooks run 1 3 --profile ci     # sections 01 and 03, small data\n"
    "  toolkit notebooks run 02 -p seed=7 --out runs/seed7"
)


def register(subparsers: Any) -> None:
    """Add ``notebooks list`` and ``notebooks run``."""
    group = subparsers.add_parser(
        "notebooks",
        help="list and run the workbook's notebooks",
        description="List the workbook's notebooks or run them with papermill.",
        epilog=RUN_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = group.add_subparsers(dest="notebooks_command", metavar="COMMAND")

    listing = commands.add_parser(
        "list",
        parents=[common_options()],
        help="every notebook with its parameters and roadmap items",
        description="Show every notebook: section, title, parameters, roadmap items.",
        epilog=LIST_EXAMPLE,
    )
    listing.set_defaults(handler=list_command)

    run = commands.add_parser(
        "run",
        parents=[common_options()],
        help="execute notebooks into runs/<timestamp>/ (never in place)",
        description=(
            "Execute notebooks with papermill into a run folder, then print a table "
            "of notebook, status and seconds (also written as summary.json). "
            "Exits 1 if any notebook failed."
        ),
        epilog=RUN_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument(
        "sections", nargs="*", metavar="SECTION", help="section numbers or names"
    )
    run.add_argument(
        "-p",
        "--parameter",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a notebook parameter (repeatable)",
    )
    run.add_argument(
        "--profile",
        choices=PROFILES,
        default="full",
        help="ci: small data, each notebook under 40 s; full: the defaults",
    )
    run.add_argument("--out", type=Path, help="run folder (default runs/<timestamp>/)")
    run.set_defaults(handler=run_command)

    def no_command(args: argparse.Namespace) -> int:
        group.print_help(sys.stderr)
        return 2

    group.set_defaults(handler=no_command)


def _roadmap_items(section: int) -> list[str]:
    from toolkit.progress.roadmap import section_items

    return [item.text for item in section_items(section)]


def _describe(notebook: NotebookInfo) -> dict[str, Any]:
    return {
        "section": notebook.section,
        "name": notebook.name,
        "path": str(notebook.path),
        "title": notebook.title,
        "parameters": [
            {
                "name": parameter.name,
                "type": parameter.type,
                "default": parameter.default,
                "description": parameter.description,
            }
            for parameter in notebook.parameters
        ],
        "profiles": notebook.profiles,
        "roadmap_items": _roadmap_items(notebook.section),
    }


def list_command(args: argparse.Namespace) -> int:
    """Print every notebook with its parameters and roadmap items."""
    described = [_describe(notebook) for notebook in discover()]
    if args.json:
        print_json({"notebooks": described})
        return 0

    for entry in described:
        print(f"{entry['section']:02d}  {entry['title']}  ({entry['name']}.ipynb)")
        rows = [
            [p["name"], p["type"], p["default"], p["description"]]
            for p in entry["parameters"]
        ]
        if rows:
            table = render_table(["parameter", "type", "default", "description"], rows)
            print("    " + table.replace("\n", "\n    "))
        for item in entry["roadmap_items"]:
            print(f"    - [ ] {item}")
        print()
    return 0


def run_command(args: argparse.Namespace) -> int:
    """Execute the chosen notebooks and report status and seconds for each."""
    from tqdm import tqdm

    assignments = parse_assignments(args.parameter)
    chosen = select(discover(), args.sections)
    bar = tqdm(total=len(chosen), unit="notebook", file=sys.stderr, disable=None)

    summary = run_notebooks(
        chosen,
        assignments,
        args.profile,
        args.out,
        on_start=lambda notebook: bar.set_description(notebook.name),
        on_done=lambda outcome: bar.update(1),
    )
    bar.close()

    if args.json:
        print_json(summary.to_json())
    else:
        rows = [[o.notebook, o.status, o.seconds] for o in summary.notebooks]
        print(render_table(["notebook", "status", "seconds"], rows))
        for outcome in summary.notebooks:
            if outcome.error:
                print(f"{outcome.notebook}: {outcome.error}")
        print(f"executed notebooks and summary.json in {summary.out}")
    return 1 if summary.failed else 0
