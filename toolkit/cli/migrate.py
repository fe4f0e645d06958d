"""``toolkit migrate`` and ``toolkit verify``: script to Luigi DAG, and proof."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from toolkit.cli.common import EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK, common_options
from toolkit.cli.output import print_json, render_table

MIGRATE_EXAMPLE = (
    "Examples:\n"
    "  toolkit migrate legacy_scripts/flat_etl.py\n"
    "  toolkit migrate report.ipynb --out pipelines/report --json\n"
    "\n"
    "Steps are found without annotations (functions called from main(), comment\n"
    "headers, '# %%' markers, notebook headings or cells). Scripts using\n"
    "exec/eval, globals(), star imports, os.chdir, input() or __file__ are refused\n"
    "with every offending line; see docs/limitations/migrate-*.md."
)
VERIFY_EXAMPLE = (
    "Example:\n"
    "  toolkit verify legacy_scripts/flat_etl.py migrated/flat_etl "
    "--workdir legacy_scripts/data/flat_etl\n"
    "\n"
    "Exits 0 when every file matches, 1 when one differs or the DAG fails."
)


def register(subparsers: Any) -> None:
    """Add ``migrate`` and ``verify``."""
    migrate = subparsers.add_parser(
        "migrate",
        parents=[common_options()],
        help="turn a script or notebook into a Luigi DAG",
        description=(
            "Split a script or notebook into steps, infer their dependencies "
            "(values, in-place mutation, files, SQLite tables) and write a Luigi "
            "package: one task per step, typed parameters, one root task."
        ),
        epilog=MIGRATE_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    migrate.add_argument("script", type=Path, help="a .py script or .ipynb notebook")
    migrate.add_argument(
        "--out",
        type=Path,
        help="folder for the package (default migrated/<script name>/)",
    )
    migrate.set_defaults(handler=migrate_command)

    verify = subparsers.add_parser(
        "verify",
        parents=[common_options()],
        help="run a script and its DAG on the same inputs and compare outputs",
        description=(
            "Copy the inputs twice, run the script in one copy and the DAG in the "
            "other, and compare every file either created or changed: tables as "
            "data (float tolerance 1e-9), other files byte for byte."
        ),
        epilog=VERIFY_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    verify.add_argument("script", type=Path, help="the original script")
    verify.add_argument("package", type=Path, metavar="DIR", help="the migrated DAG")
    verify.add_argument(
        "--workdir",
        type=Path,
        required=True,
        metavar="INPUTS",
        help="the folder the script runs from (copied, never changed)",
    )
    verify.set_defaults(handler=verify_command)


def migrate_command(args: argparse.Namespace) -> int:
    """Write the Luigi package and describe it."""
    from toolkit.migrate.planner import MigrationRefused
    from toolkit.migrate.service import migrate_script

    try:
        result = migrate_script(args.script, args.out)
    except MigrationRefused as refusal:
        if args.json:
            print_json(
                {
                    "script": str(args.script),
                    "refused": [offender.to_json() for offender in refusal.offenders],
                }
            )
        else:
            print(f"toolkit migrate: {refusal}", file=sys.stderr)
            for offender in refusal.offenders:
                print(
                    f"  {offender.where}: {offender.construct}: {offender.why}; "
                    f"instead, {offender.fix} ({offender.doc})",
                    file=sys.stderr,
                )
        return EXIT_BAD_INPUT

    document = result.to_json(str(args.script))
    if args.json:
        print_json(document)
        return EXIT_OK

    rows = [
        [
            task["name"],
            f"{task['lines'][0]}-{task['lines'][1]}",
            ", ".join(task["requires"]) or "-",
        ]
        for task in document["tasks"]  # type: ignore[attr-defined]
    ]
    print(render_table(["task", "lines", "requires"], rows))
    for parameter in result.plan.parameters:
        print(f"parameter --{parameter.name.replace('_', '-')} ({parameter.type})")
    for warning in result.plan.warnings:
        print(f"note: {warning}")
    print(f"wrote {result.out} (root task {result.plan.root_task})")
    return EXIT_OK


def verify_command(args: argparse.Namespace) -> int:
    """Run both, compare, and report."""
    from toolkit.migrate.verifier import EQUAL, verify

    result = verify(args.script, args.package, args.workdir)
    if args.json:
        print_json(result.to_json())
    else:
        rows = [
            [comparison.path, comparison.status, comparison.detail]
            for comparison in result.files
        ]
        print(render_table(["file", "status", "detail"], rows))
        print(f"script {result.legacy_seconds:.2f} s, DAG {result.dag_seconds:.2f} s")
        if result.dag_exit_code != 0:
            print(f"the DAG exited {result.dag_exit_code}: {result.dag_error}")
        if result.first_divergent_task:
            print(f"first task whose output differs: {result.first_divergent_task}")
        unequal = sum(1 for c in result.files if c.status != EQUAL)
        verdict = "equivalent" if result.equivalent else f"{unequal} file(s) differ"
        print(verdict if result.dag_exit_code == 0 or unequal else "not equivalent")
    return EXIT_OK if result.equivalent else EXIT_FINDINGS
