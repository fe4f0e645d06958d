"""Every exercise proves its check: the reference passes, plausible mistakes fail."""

import inspect
import json
import re
from pathlib import Path

import pytest

from toolkit.exercises import PASSED, all_exercises, evaluate
from toolkit.exercises.core import FAILED, Exercise

ROOT = Path(__file__).resolve().parents[2]
EXERCISES = list(all_exercises().values())
WRONG = [
    pytest.param(exercise, index, id=f"{exercise.id}-wrong{index}")
    for exercise in EXERCISES
    for index in range(len(exercise.wrong_answers))
]


def test_the_workbook_declares_exercises() -> None:
    assert EXERCISES, "no exercises found in toolkit/exercises/nbNN.py"


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_reference_solution_passes_its_check(exercise: Exercise) -> None:
    result = evaluate(exercise, exercise.reference())

    assert result.status == PASSED, str(result)


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_every_exercise_has_tiered_hints_and_a_wrong_answer(exercise: Exercise) -> None:
    assert len(exercise.hints) >= 2
    assert len(set(exercise.hints)) == len(exercise.hints)
    assert exercise.wrong_answers, f"{exercise.id} has no wrong answer to prove it"


@pytest.mark.parametrize(("exercise", "index"), WRONG)
def test_plausible_wrong_answer_fails_naming_the_exercise(
    exercise: Exercise, index: int
) -> None:
    result = evaluate(exercise, exercise.wrong_answers[index]())

    assert result.status == FAILED, str(result)
    assert exercise.id in str(result)
    assert result.detail


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_untouched_stub_counts_as_not_done(exercise: Exercise) -> None:
    def stub(*args: object, **kwargs: object) -> object:
        raise NotImplementedError

    assert evaluate(exercise, None).status == "not done"
    if inspect.isfunction(exercise.reference()):
        assert evaluate(exercise, stub).status == "not done"
    else:  # the answer is a value: a function in its place is wrong, not a stub
        assert evaluate(exercise, stub).status == FAILED


def _checked_ids_in_notebooks() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        source = "\n".join("".join(cell["source"]) for cell in cells)
        found[path.name] = set(re.findall(r"check\(\s*[\"'](\d\d\.\d+)[\"']", source))
    return found


def test_every_exercise_is_checked_in_its_notebook_and_nothing_else_is() -> None:
    checked = _checked_ids_in_notebooks()
    in_notebooks = set().union(*checked.values()) if checked else set()

    assert in_notebooks == set(all_exercises())
    for name, ids in checked.items():
        assert 2 <= len(ids) <= 5, f"{name} checks {len(ids)} exercises"
        assert all(name.startswith(i.split(".")[0]) for i in ids), name
