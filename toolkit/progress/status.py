"""Where the learner stands: which roadmap items are proved, per section and overall.

An item is *available* when its section's notebook exists and every exercise it maps
to is registered; it is *done* when, in addition, every one of those exercises has
passed at least once. Its completion date is the day the last of them first passed
(unknown, and no done date is written, if a recorded time is not an ISO date).
Items of sections without a notebook are not available yet and never done.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from toolkit.exercises.progress_store import ExerciseRecord
from toolkit.progress.roadmap import SECTIONS, RoadmapItem, Section, section_items

log = logging.getLogger(__name__)

NOT_AVAILABLE = "not available yet"


@dataclass(frozen=True)
class ItemProgress:
    """One roadmap item and how far the learner is with it."""

    item: RoadmapItem
    available: bool
    passed: tuple[str, ...]
    completed_on: str | None

    @property
    def done(self) -> bool:
        """Whether the item is available and every one of its exercises has passed."""
        return self.available and len(self.passed) == len(self.item.exercises)


@dataclass(frozen=True)
class SectionProgress:
    """Done / total for one section of the roadmap."""

    section: Section
    available: bool
    items: tuple[ItemProgress, ...]

    @property
    def items_done(self) -> int:
        """How many items are done."""
        return sum(progress.done for progress in self.items)

    @property
    def exercises(self) -> tuple[str, ...]:
        """Every exercise proving an item of the section, each once, in order."""
        seen = dict.fromkeys(
            exercise for progress in self.items for exercise in progress.item.exercises
        )
        return tuple(seen)

    @property
    def exercises_passed(self) -> int:
        """How many of the section's exercises have passed."""
        passed = {exercise for progress in self.items for exercise in progress.passed}
        return len(passed)


def notebook_sections(folder: Path) -> set[int]:
    """Return the sections that have a notebook ``NN_name.ipynb`` in ``folder``."""
    from toolkit.notebooks.catalog import NOTEBOOK_PATTERN

    sections: set[int] = set()
    for path in folder.glob("*.ipynb"):
        match = NOTEBOOK_PATTERN.match(path.name)
        if match:
            sections.add(int(match.group(1)))
    return sections


def item_progress(
    item: RoadmapItem,
    records: Mapping[str, ExerciseRecord],
    notebooks: set[int],
    registered: Iterable[str],
) -> ItemProgress:
    """Say whether one item is available and done.

    Args:
        item: The roadmap item.
        records: The progress file's records by exercise id.
        notebooks: Section numbers whose notebook exists.
        registered: Every exercise id the workbook declares.
    """
    section = next(s for s in SECTIONS if s.number == item.section)
    known = set(registered)
    available = (
        bool(item.exercises)
        and section.notebook_section in notebooks
        and all(exercise in known for exercise in item.exercises)
    )
    passed = tuple(
        exercise
        for exercise in item.exercises
        if exercise in records and records[exercise].ever_passed
    )
    completed_on = None
    if available and len(passed) == len(item.exercises):
        days = [_day(records[exercise].first_passed) for exercise in passed]
        completed_on = None if None in days else max(d for d in days if d)
    return ItemProgress(item, available, passed, completed_on)


def _day(timestamp: str | None) -> str | None:
    """Return the ``YYYY-MM-DD`` of an ISO timestamp, or ``None`` if it has none."""
    try:
        return date.fromisoformat(str(timestamp)[:10]).isoformat()
    except ValueError:
        log.warning("first_passed %r is not an ISO date; no done date", timestamp)
        return None


def roadmap_progress(
    records: Mapping[str, ExerciseRecord],
    notebooks: set[int],
    registered: Iterable[str],
) -> list[SectionProgress]:
    """Return done / total for every section, the final review last."""
    known = list(registered)
    summaries: list[SectionProgress] = []
    for section in SECTIONS:
        items = tuple(
            item_progress(item, records, notebooks, known)
            for item in section_items(section.number)
        )
        available = any(progress.available for progress in items)
        summaries.append(SectionProgress(section, available, items))
    return summaries


def next_exercise(
    records: Mapping[str, ExerciseRecord],
    notebooks: set[int],
    registered: Iterable[str],
) -> str | None:
    """Return the first registered exercise, in workbook order, not yet passed.

    Only exercises whose notebook exists count; ``None`` when all have passed.
    """
    for exercise in registered:
        section = int(exercise.split(".")[0])
        if section not in notebooks:
            continue
        record = records.get(exercise)
        if record is None or not record.ever_passed:
            return exercise
    return None
