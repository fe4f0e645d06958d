"""A throwaway workbook for progress tests: notebooks 01-03, checklists, progress file.

The notebooks are empty placeholder files (only their names matter to the roadmap),
and the registry is replaced by the exercise ids of notebooks 01-03, so these tests
do not depend on the notebooks' own exercises.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from toolkit.progress.checklists import write_checklists

REGISTERED = tuple(f"{section:02d}.{k}" for section in (1, 2, 3) for k in range(1, 6))


@dataclass
class Workbook:
    """Paths of a throwaway workbook."""

    root: Path
    progress: Path

    @property
    def roadmap(self) -> Path:
        return self.root / "checklists" / "Data & ML Pipelines Roadmap.md"

    def record_passed(self, *exercise_ids: str, on: str = "2026-03-04") -> None:
        """Write a progress file in which these exercises have passed."""
        exercises = {
            exercise_id: {
                "status": "passed",
                "last_checked": f"{on}T10:00:00+00:00",
                "first_passed": f"{on}T10:00:00+00:00",
                "attempts": 1,
            }
            for exercise_id in exercise_ids
        }
        document = {"version": 1, "exercises": exercises}
        self.progress.write_text(json.dumps(document), encoding="utf-8")


def make_workbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workbook:
    """Create the workbook and point the toolkit at it."""
    root = tmp_path / "workbook"
    (root / "notebooks").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'throwaway'\n")
    for name in (
        "01_foundations",
        "02_data_engineering",
        "03_ml_pipeline_architecture",
    ):
        (root / "notebooks" / f"{name}.ipynb").write_text("{}")
    (root / "checklists").mkdir()
    write_checklists(root / "checklists")

    progress = tmp_path / "progress.json"
    monkeypatch.setenv("PIPELINE_WORKBOOK_ROOT", str(root))
    monkeypatch.setenv("PIPELINE_WORKBOOK_PROGRESS", str(progress))
    monkeypatch.setattr(
        "toolkit.progress.sync.all_exercises",
        lambda: dict.fromkeys(REGISTERED),
    )
    return Workbook(root, progress)


@pytest.fixture
def workbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workbook:
    """A workbook with notebooks 01-03 and nothing passed yet."""
    return make_workbook(tmp_path, monkeypatch)
