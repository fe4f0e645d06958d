"""``toolkit progress``: tick the roadmap note's items whose exercises have passed."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from toolkit.cli.check import section_rows
from toolkit.cli.common import EXIT_FINDINGS, EXIT_OK, common_options
from toolkit.cli.output import print_json, render_table

EXAMPLE = (
    "Examples:\n"
    "  toolkit progress                           # dry run: the diff it would apply\n"
    "  toolkit progress --write --done-dates      # tick checklists/ and date ticks\n"
    '  toolkit progress --note "~/Vault/Data & ML Pipelines Roadmap.md" --write\n'
    "  toolkit progress --plot progress.png       # done / total per section as bars"
)


def register(subparsers: Any) -> None:
    """Add ``progress``."""
    parser = subparsers.add_parser(
        "progress",
        parents=[common_options()],
        help="tick the roadmap note's items whose exercises have passed",
        description=(
            "Compare the exercises recorded as passed with a roadmap note and tick "
            "([ ] -> [x]) every item whose exercises have all passed. Items are found "
            "by block id (^wb-03-04), else by their exact wording. Nothing is ever "
            "unticked; custom statuses ([/], [-], ...), code blocks, frontmatter and "
            "every other byte stay as they are. Dry run by default: prints a unified "
            "diff and exits 1 when the note is behind, 0 when it is up to date. With "
            "--write the change is applied atomically and the progress line of each "
            "section note in checklists/ is refreshed when the note is the "
            "workbook's own. Items of sections without a notebook are shown as not "
            "available yet and never ticked. Done dates use the Tasks plugin's emoji "
            "format and go only on lines this command ticks; a recurring task is "
            "ticked without creating its next occurrence."
        ),
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--note",
        type=Path,
        help="the roadmap note to update (default: checklists/ in the workbook)",
    )
    parser.add_argument("--write", action="store_true", help="apply the change")
    parser.add_argument(
        "--done-dates",
        action="store_true",
        help="add ' ✅ YYYY-MM-DD' (Obsidian Tasks format) to every line it ticks",
    )
    parser.add_argument(
        "--plot",
        type=Path,
        metavar="FILE.png",
        help="also draw done / total per section as bars (.png, .svg or .pdf)",
    )
    parser.set_defaults(handler=progress_command)


def progress_command(args: argparse.Namespace) -> int:
    """Compare, and with ``--write`` update, the roadmap note."""
    from toolkit.progress.plot import check_destination, plot_progress
    from toolkit.progress.sync import default_note, sync_note
    from toolkit.progress.ticker import outcome_json, unified_diff

    picture_path = args.plot.expanduser() if args.plot else None
    if picture_path:
        check_destination(picture_path)
    note = (args.note or default_note()).expanduser()
    synced = sync_note(note, write=args.write, with_dates=args.done_dates)
    sections = synced.standing.sections
    picture = plot_progress(sections, picture_path) if picture_path else None

    available = {
        p.item.block_id: p.available for section in sections for p in section.items
    }
    pending = synced.result.changed and not synced.written
    if args.json:
        print_json(
            {
                "note": str(note),
                "written": synced.written,
                "changed": synced.result.changed,
                "next_exercise": synced.standing.next_exercise,
                "next_exercise_title": synced.standing.next_title,
                "picture": str(picture) if picture else None,
                "section_notes": [str(path) for path in synced.section_notes],
                "items": [
                    outcome_json(outcome, available[outcome.item.block_id])
                    for outcome in synced.result.items
                ],
            }
        )
        return EXIT_FINDINGS if pending else EXIT_OK

    if synced.result.changed:
        print(unified_diff(synced.result, note.name), end="")
    ticked = sum(outcome.changed for outcome in synced.result.items)
    headers = ["section", "items done", "exercises passed"]
    print(render_table(headers, section_rows(sections)))
    if synced.written:
        print(f"ticked {ticked} item(s) in {note}")
    elif pending:
        print(f"{ticked} item(s) to tick in {note}; run again with --write to apply")
    else:
        print(f"{note} is up to date")
    for path in synced.section_notes:
        verb = "refreshed" if args.write else "would refresh"
        print(f"{verb} the progress line of {path.name}")
    if picture:
        print(f"drew progress into {picture}")
    if synced.standing.next_exercise:
        print(f"next exercise: {synced.standing.describe_next()}")
    return EXIT_FINDINGS if pending else EXIT_OK
