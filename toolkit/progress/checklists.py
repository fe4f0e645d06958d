"""The workbook's Obsidian notes in ``checklists/``, rendered from the roadmap map.

Two kinds of note come from :mod:`toolkit.progress.roadmap`, so they cannot drift
from it:

* the roadmap note, ``Data & ML Pipelines Roadmap.md``: every section heading with its
  emoji, every task line with its exact wording and a block id, a wikilink to each
  section's note, frontmatter with tags. The learner ticks it (or lets
  ``toolkit progress --write`` tick it), so it is only ever created, never rendered
  over an existing copy;
* one note per section: its items, the notebook and exercise ids proving each, and a
  progress line made of an HTML ``<progress>`` bar, which plain Obsidian renders.
  ``toolkit progress --write`` refreshes that one line; nothing else in the note
  changes.

``python -m toolkit.progress.checklists`` writes the section notes, and the roadmap
note when it does not exist yet.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from toolkit.io import atomic_write_text
from toolkit.progress.roadmap import (
    FINAL_REVIEW,
    SECTIONS,
    RoadmapItem,
    Section,
    section_items,
)
from toolkit.progress.ticker import read_note, write_note

log = logging.getLogger(__name__)

ROADMAP_TITLE = "Data & ML Pipelines Roadmap"
ROADMAP_FILE = f"{ROADMAP_TITLE}.md"
PROGRESS_LINE_PATTERN = re.compile(
    r'^<progress value="\d+" max="\d+"></progress> [^\r\n]*', re.MULTILINE
)


def render_roadmap_note() -> str:
    """Return the roadmap note: every section and item, nothing ticked."""
    lines = [
        "---",
        "tags:",
        "  - pipeline-workbook",
        "  - roadmap",
        "aliases:",
        "  - Data and ML Pipelines Roadmap",
        "---",
        f"# {ROADMAP_TITLE}",
        "",
        "Each item is proved by exercises in the workbook's notebooks; the section",
        "notes say which. `toolkit check` runs your notebooks and records the",
        "exercises that pass; `toolkit progress --write` then ticks the items here",
        "(or, with `--note`, in your own copy of this note).",
    ]
    for section in SECTIONS:
        lines += ["", f"## {section.heading}"]
        lines.append(f"Section note: [[{section.note_name}]]")
        lines += [f"- [ ] {item.text} ^{item.block_id}" for item in _items(section)]
    return "\n".join(lines) + "\n"


def _items(section: Section) -> list[RoadmapItem]:
    return section_items(section.number)


def progress_line(done: int, total: int, available: bool) -> str:
    """Return the line that shows a section's progress in plain Obsidian."""
    if not available:
        return (
            f'<progress value="0" max="{total}"></progress> '
            "not available yet: this section's notebook is still to come"
        )
    return f'<progress value="{done}" max="{total}"></progress> {done} / {total} done'


def render_section_note(section: Section, done: int = 0) -> str:
    """Return the note of one section with ``done`` of its items done."""
    items = _items(section)
    available = any(item.exercises for item in items)
    notebook = f"notebooks/{section.notebook}.ipynb"
    where = (
        f"Proved by the capstone exercises of `{notebook}`."
        if section.number == FINAL_REVIEW
        else f"Notebook: `{notebook}`."
    )
    anchor = section.heading
    lines = [
        "---",
        "tags:",
        "  - pipeline-workbook",
        "  - roadmap-section",
        f"section: {section.number if section.number != FINAL_REVIEW else 'review'}",
        "---",
        f"# {section.heading}",
        "",
        f"Part of [[{ROADMAP_TITLE}#{anchor}|{ROADMAP_TITLE}]]. {where}",
        "",
        progress_line(done, len(items), available),
        "",
        "| # | item | exercises | in the roadmap |",
        "| --- | --- | --- | --- |",
    ]
    for item in items:
        exercises = (
            ", ".join(f"`{exercise}`" for exercise in item.exercises)
            if item.exercises
            else "not available yet"
        )
        link = f"[[{ROADMAP_TITLE}#^{item.block_id}\\|^{item.block_id}]]"
        lines.append(f"| {item.index} | {item.text} | {exercises} | {link} |")
    lines += [
        "",
        "Run `toolkit check` to run your notebooks and record which exercises pass,",
        "then `toolkit progress --write` to tick the roadmap and refresh this line.",
    ]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class SectionCount:
    """Done / total for one section, as a section note shows it."""

    section: Section
    done: int
    total: int
    available: bool


def refresh_progress_line(text: str, count: SectionCount) -> str:
    """Return ``text`` with its progress line replaced; every other byte unchanged."""
    line = progress_line(count.done, count.total, count.available)
    return PROGRESS_LINE_PATTERN.sub(lambda _: line, text, count=1)


def refresh_section_notes(
    folder: Path, counts: Iterable[SectionCount], write: bool
) -> list[tuple[Path, str, str]]:
    """Bring the progress line of every section note in ``folder`` up to date.

    Returns:
        ``(path, before, after)`` for every note whose line changes; the notes are
        rewritten (atomically) only when ``write`` is true. Missing notes are skipped.
    """
    changes: list[tuple[Path, str, str]] = []
    for count in counts:
        path = folder / f"{count.section.note_name}.md"
        if not path.is_file():
            continue
        before = read_note(path)[1]
        after = refresh_progress_line(before, count)
        if after == before:
            continue
        changes.append((path, before, after))
        if write:
            write_note(path, before.encode("utf-8"), after.encode("utf-8"))
            log.info("refreshed the progress line of %s", path)
    return changes


def write_checklists(folder: Path) -> list[Path]:
    """Write every section note, and the roadmap note if it does not exist yet."""
    written: list[Path] = []
    roadmap = folder / ROADMAP_FILE
    if not roadmap.exists():
        atomic_write_text(roadmap, render_roadmap_note())
        written.append(roadmap)
    for section in SECTIONS:
        path = folder / f"{section.note_name}.md"
        atomic_write_text(path, render_section_note(section))
        written.append(path)
    return written


if __name__ == "__main__":
    from toolkit.paths import workbook_root

    for path in write_checklists(workbook_root() / "checklists"):
        sys.stdout.write(f"wrote {path}\n")
