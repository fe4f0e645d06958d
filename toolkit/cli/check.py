"""``toolkit check``: run the learner's notebooks and show progress on the roadmap."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from toolkit.cli.common import EXIT_FINDINGS, EXIT_OK, common_options
from toolkit.cli.output import print_json, render_table
from toolkit.notebooks.catalog import PROFILES
from toolkit.progress.status import NOT_AVAILABLE, SectionProgress

EXAMPLE = (
    "Examples:\n"
    "  toolkit check              # run every notebook, then show progress\n"
    "  toolkit check 1 3          # only sections 01 and 03\n"
    "  toolkit check 2 --json     # one JSON document on stdout"
)


def register(subparsers: Any) -> None:
    """Add ``check``."""
    parser = subparsers.add_parser(
        "check",
        parents=[common_options()],
        help="run your notebooks, record each exercise, show done / total",
        description=(
            "Run your notebooks headless with papermill into runs/<timestamp>/ "
            "(never in place). Each exercise check in them records its outcome in "
            "the progress file. Then print, per roadmap section, the items done out "
            "of the total and the exercise to do next. Exits 1 if a notebook failed "
            "to run or an exercise's latest check failed; an exercise not done yet "
            "is not a failure."
        ),
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "sections", nargs="*", metavar="SECTION", help="section numbers or names"
    )
    parser.add_argument(
        "--profile",
        choices=PROFILES,
        default="full",
        help="full: the notebooks' own defaults; ci: small data",
    )
    parser.add_argument(
        "--out", type=Path, help="run folder (default runs/<timestamp>/)"
    )
    parser.set_defaults(handler=check_command)


def section_rows(sections: list[SectionProgress]) -> list[list[Any]]:
    """One row per section: label, items done / total, exercises passed / total."""
    rows: list[list[Any]] = []
    for progress in sections:
        if progress.available:
            items = f"{progress.items_done} / {len(progress.items)}"
            passed = f"{progress.exercises_passed} / {len(progress.exercises)}"
            rows.append([progress.section.label, items, passed])
        else:
            rows.append([progress.section.label, NOT_AVAILABLE, ""])
    return rows


def section_json(progress: SectionProgress) -> dict[str, Any]:
    """Describe one section's progress as a JSON-ready document."""
    return {
        "section": progress.section.number,
        "heading": progress.section.heading,
        "available": progress.available,
        "items_done": progress.items_done,
        "items_total": len(progress.items),
        "exercises_passed": progress.exercises_passed,
        "exercises_total": len(progress.exercises),
    }


def check_command(args: argparse.Namespace) -> int:
    """Run the notebooks, then print progress per section and the next exercise."""
    from tqdm import tqdm

    from toolkit.progress.check import check_notebooks

    bar = tqdm(unit="notebook", file=sys.stderr, disable=None)
    report = check_notebooks(
        args.sections,
        args.profile,
        args.out,
        on_start=lambda notebook: bar.set_description(notebook.name),
        on_done=lambda outcome: bar.update(1),
    )
    bar.close()
    standing = report.standing

    if args.json:
        print_json(
            {
                "run": report.run.to_json() if report.run else None,
                "exercises": [asdict(status) for status in report.exercises],
                "sections": [section_json(p) for p in standing.sections],
                "next_exercise": standing.next_exercise,
                "next_exercise_title": standing.next_title,
                "failed": report.failed,
            }
        )
        return EXIT_FINDINGS if report.failed else EXIT_OK

    if report.run is None:
        print("no notebooks in the workbook yet")
    else:
        for outcome in report.run.notebooks:
            line = f"{outcome.notebook}: {outcome.status} in {outcome.seconds} s"
            print(line + (f" ({outcome.error})" if outcome.error else ""))
        print(f"executed notebooks in {report.run.out}")
    if report.exercises:
        rows = [[e.id, e.title, e.status] for e in report.exercises]
        print(render_table(["exercise", "title", "latest check"], rows))
        print()
    headers = ["section", "items done", "exercises passed"]
    print(render_table(headers, section_rows(standing.sections)))
    if standing.next_exercise:
        print(f"next exercise: {standing.describe_next()}")
    elif any(progress.available for progress in standing.sections):
        print("every available exercise has passed")
    else:
        print("no exercises available yet")
    return EXIT_FINDINGS if report.failed else EXIT_OK
