"""Run the learner's notebooks and say where they stand: the core of ``toolkit check``.

Steps:

1. Read the progress file first, so a corrupt one stops the command before anything
   runs (the notebooks' checks could not record into it).
2. Run the chosen notebooks headless with the workbook's papermill runner, into a
   fresh ``runs/<timestamp>/`` folder; the notebooks themselves are never modified.
   Every ``check(...)`` cell in them records its exercise's outcome in the progress
   file as it runs.
3. Read the progress file again and summarise: done / total items per section, the
   latest outcome of each exercise of the chosen notebooks, and the next exercise to
   do.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from toolkit.exercises.core import FAILED
from toolkit.exercises.progress_store import load_progress
from toolkit.exercises.registry import all_exercises
from toolkit.notebooks.catalog import NotebookInfo, discover, select
from toolkit.notebooks.runner import NotebookOutcome, RunSummary, run_notebooks
from toolkit.progress.sync import Standing, current_standing

log = logging.getLogger(__name__)

NOT_CHECKED = "not checked"


@dataclass(frozen=True)
class ExerciseStatus:
    """The latest recorded outcome of one exercise."""

    id: str
    title: str
    status: str
    ever_passed: bool


@dataclass(frozen=True)
class CheckReport:
    """What ``toolkit check`` found."""

    run: RunSummary | None
    exercises: tuple[ExerciseStatus, ...]
    standing: Standing

    @property
    def failed(self) -> bool:
        """Whether a notebook failed to run or a checked exercise failed."""
        notebook_failed = self.run is not None and self.run.failed
        return notebook_failed or any(e.status == FAILED for e in self.exercises)


def check_notebooks(
    selectors: Sequence[str],
    profile: str = "full",
    out: Path | None = None,
    on_start: Callable[[NotebookInfo], None] | None = None,
    on_done: Callable[[NotebookOutcome], None] | None = None,
) -> CheckReport:
    """Run the chosen notebooks and report progress.

    Args:
        selectors: Section numbers or notebook names; empty means every notebook.
        profile: The runner's profile, ``full`` (the notebooks' defaults) or ``ci``.
        out: The run folder (default ``runs/<timestamp>/``).
        on_start: Called before each notebook starts.
        on_done: Called with each notebook's outcome.

    Raises:
        UserInputError: if the progress file is corrupt or a selector matches no
            notebook.
    """
    load_progress()
    chosen = select(discover(), list(selectors))

    run = None
    if chosen:
        run = run_notebooks(chosen, {}, profile, out, on_start, on_done)

    records = load_progress()
    sections = {notebook.section for notebook in chosen}
    statuses = tuple(
        ExerciseStatus(
            id=exercise.id,
            title=exercise.title,
            status=records[exercise.id].status
            if exercise.id in records
            else NOT_CHECKED,
            ever_passed=exercise.id in records and records[exercise.id].ever_passed,
        )
        for exercise in all_exercises().values()
        if exercise.section in sections
    )
    return CheckReport(run=run, exercises=statuses, standing=current_standing())
