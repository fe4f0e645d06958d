"""Bring a roadmap note up to date with the progress file (``toolkit progress``).

Steps: load the recorded outcomes (a corrupt progress file stops everything), work
out which items are available and done, tick them in the note's text (see
:mod:`toolkit.progress.ticker`), and write the note only when asked and only when
something changed. For the workbook's own note, the progress line of each section
note in ``checklists/`` follows.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import UserInputError, explain
from toolkit.exercises.progress_store import load_progress
from toolkit.exercises.registry import all_exercises
from toolkit.paths import notebooks_dir, workbook_root
from toolkit.progress.checklists import (
    ROADMAP_FILE,
    SectionCount,
    refresh_section_notes,
)
from toolkit.progress.roadmap import get_section
from toolkit.progress.status import (
    SectionProgress,
    next_exercise,
    notebook_sections,
    roadmap_progress,
)
from toolkit.progress.ticker import TickResult, read_note, tick_text, write_note

log = logging.getLogger(__name__)


def default_note() -> Path:
    """Return the workbook's own roadmap note in ``checklists/``."""
    return workbook_root() / "checklists" / ROADMAP_FILE


@dataclass(frozen=True)
class Standing:
    """The learner's progress over the whole roadmap."""

    sections: list[SectionProgress]
    next_exercise: str | None
    next_title: str | None = None

    def describe_next(self) -> str | None:
        """Say which exercise to do next and where it lives, for people."""
        if self.next_exercise is None:
            return None
        section = get_section(int(self.next_exercise.split(".")[0]))
        title = f" · {self.next_title}" if self.next_title else ""
        return f"{self.next_exercise}{title} (notebooks/{section.notebook}.ipynb)"


def current_standing(progress_path: Path | None = None) -> Standing:
    """Read the progress file and say where the learner stands.

    Raises:
        UserInputError: if the progress file is corrupt.
    """
    records = load_progress(progress_path)
    notebooks = notebook_sections(notebooks_dir())
    exercises = all_exercises()
    registered = list(exercises)
    upcoming = next_exercise(records, notebooks, registered)
    title = getattr(exercises.get(upcoming), "title", None) if upcoming else None
    return Standing(
        sections=roadmap_progress(records, notebooks, registered),
        next_exercise=upcoming,
        next_title=title,
    )


@dataclass(frozen=True)
class NoteSync:
    """The outcome of comparing a note with the recorded progress."""

    path: Path
    result: TickResult
    standing: Standing
    written: bool
    section_notes: tuple[Path, ...] = ()


def sync_note(
    path: Path,
    write: bool = False,
    with_dates: bool = False,
    progress_path: Path | None = None,
) -> NoteSync:
    """Tick the proved items of the note at ``path``; write only when ``write``.

    When the note is the workbook's own, the progress line of each section note
    beside it is brought up to date too (also only when ``write``).

    Raises:
        UserInputError: if the note is missing, a folder, not UTF-8, holds none of
            the roadmap's items, or changed while being written; or if the progress
            file is corrupt.
    """
    original_bytes, text = read_note(path)
    standing = current_standing(progress_path)
    completed = {
        progress.item.block_id: progress.completed_on
        for section in standing.sections
        for progress in section.items
        if progress.done
    }

    result = tick_text(text, completed, with_dates)
    if not result.found_any:
        raise UserInputError(
            explain(
                f"note {path} holds none of the roadmap's items",
                "a copy of the roadmap note (task lines with its wording or block ids)",
                "--note with the note that holds your roadmap checklist",
            )
        )

    written = False
    if write and result.changed:
        write_note(path, original_bytes, result.updated.encode("utf-8"))
        written = True

    section_notes: list[Path] = []
    if path.resolve() == default_note().resolve():
        counts = [
            SectionCount(p.section, p.items_done, len(p.items), p.available)
            for p in standing.sections
        ]
        changes = refresh_section_notes(path.parent, counts, write)
        section_notes = [changed for changed, _, _ in changes]
    return NoteSync(path, result, standing, written, tuple(section_notes))
