"""``toolkit check``: runs the notebooks, then shows done / total and what is next."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import pytest

from tests.progress.workbook import REGISTERED, Workbook, workbook
from toolkit.cli import main
from toolkit.exercises.progress_store import record_outcome
from toolkit.notebooks.catalog import NotebookInfo
from toolkit.notebooks.runner import NotebookOutcome, RunSummary

__all__ = ["workbook"]


@dataclass(frozen=True)
class FakeExercise:
    id: str
    title: str

    @property
    def section(self) -> int:
        return int(self.id.split(".")[0])


def fake_notebooks(root: Path) -> list[NotebookInfo]:
    return [
        NotebookInfo(section, path.stem, path, path.stem, ())
        for section, path in enumerate(sorted((root / "notebooks").glob("*.ipynb")), 1)
    ]


@pytest.fixture
def fake_run(workbook: Workbook, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Replace papermill: each 'run' records the outcomes set in the returned dict."""
    plan: dict[str, Any] = {"outcomes": {}, "failing": set(), "ran": []}

    def run_notebooks(chosen, assignments, profile, out, on_start, on_done):
        outcomes = []
        for notebook in chosen:
            plan["ran"].append(notebook.name)
            for exercise_id, status in plan["outcomes"].items():
                if exercise_id.startswith(f"{notebook.section:02d}."):
                    record_outcome(exercise_id, status, "2026-03-04T10:00:00+00:00")
            status = "failed" if notebook.name in plan["failing"] else "ok"
            outcomes.append(NotebookOutcome(notebook.name, status, 0.1, "out", {}))
        return RunSummary(str(workbook.root / "runs" / "x"), profile, outcomes)

    exercises = {
        exercise_id: FakeExercise(exercise_id, "t") for exercise_id in REGISTERED
    }
    monkeypatch.setattr("toolkit.progress.check.run_notebooks", run_notebooks)
    monkeypatch.setattr(
        "toolkit.progress.check.discover", lambda: fake_notebooks(workbook.root)
    )
    monkeypatch.setattr("toolkit.progress.check.all_exercises", lambda: exercises)
    return plan


def test_check_records_outcomes_and_shows_done_over_total(
    fake_run: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    fake_run["outcomes"] = {"01.1": "passed", "01.2": "passed", "01.3": "not done"}

    code = main(["check", "1"])
    out = capsys.readouterr().out

    assert code == 0
    assert fake_run["ran"] == ["01_foundations"]
    assert "1. Foundational Concepts" in out
    assert "2 / 5" in out
    assert "4. Tools for Building Pipelines" in out
    assert "not available yet" in out
    assert "next exercise: 01.3" in out


def test_check_exits_one_when_an_exercise_failed(
    fake_run: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    fake_run["outcomes"] = {"02.1": "failed"}

    assert main(["check", "2"]) == 1
    assert "02.1" in capsys.readouterr().out


def test_check_exits_one_when_a_notebook_failed_to_run(
    fake_run: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    fake_run["failing"] = {"03_ml_pipeline_architecture"}

    assert main(["check"]) == 1
    assert "03_ml_pipeline_architecture: failed" in capsys.readouterr().out


def test_check_json_is_one_document(
    fake_run: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    fake_run["outcomes"] = {"03.4": "passed"}

    code = main(["check", "3", "--json"])
    document = json.loads(capsys.readouterr().out)
    section_three = document["sections"][2]

    assert code == 0
    assert (section_three["items_done"], section_three["items_total"]) == (3, 8)
    assert section_three["available"] is True
    assert document["sections"][3]["available"] is False
    assert document["next_exercise"] == "01.1"
    assert {e["id"]: e["status"] for e in document["exercises"]}["03.4"] == "passed"


def test_check_refuses_a_corrupt_progress_file_before_running_anything(
    fake_run: dict[str, Any], workbook: Workbook, capsys: pytest.CaptureFixture[str]
) -> None:
    workbook.progress.write_text('{"version": 99}')

    code = main(["check"])

    assert code == 2
    assert str(workbook.progress) in capsys.readouterr().err
    assert fake_run["ran"] == []


def test_check_of_an_unknown_section_exits_two(
    fake_run: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "7"]) == 2
    assert "no notebook for section '7'" in capsys.readouterr().err


@pytest.mark.slow
def test_check_runs_a_real_notebook_whose_kernel_records_progress(
    workbook: Workbook,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# 01 · Foundations"),
        nbformat.v4.new_code_cell(
            "from toolkit.exercises.progress_store import record_outcome\n"
            "record_outcome('01.1', 'passed', '2026-03-04T10:00:00+00:00')"
        ),
    ]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    for placeholder in (workbook.root / "notebooks").glob("*.ipynb"):
        placeholder.unlink()
    source = workbook.root / "notebooks" / "01_foundations.ipynb"
    nbformat.write(notebook, source)
    before = source.read_bytes()
    exercises = {
        exercise_id: FakeExercise(exercise_id, "t") for exercise_id in REGISTERED
    }
    monkeypatch.setattr("toolkit.progress.check.all_exercises", lambda: exercises)

    code = main(["check", "1", "--json"])
    document = json.loads(capsys.readouterr().out)

    assert code == 0
    assert document["run"]["notebooks"][0]["status"] == "ok"
    assert Path(document["run"]["out"]).parent == workbook.root / "runs"
    assert document["sections"][0]["items_done"] == 1
    assert source.read_bytes() == before
