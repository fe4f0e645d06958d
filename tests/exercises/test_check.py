import json
from pathlib import Path

import pytest

from toolkit.errors import UserInputError
from toolkit.exercises import check, hint, solution
from toolkit.exercises.core import Exercise, Mismatch, evaluate
from toolkit.exercises.progress_store import load_progress, record_outcome


def _verify_double(answer: object) -> None:
    assert callable(answer)
    for value in (0, 3, -2):
        got = answer(value)
        if got != 2 * value:
            raise Mismatch(expected=2 * value, actual=got)


def _reference() -> object:
    def double(value: int) -> int:
        return 2 * value

    return double


DOUBLE = Exercise(
    id="99.1",
    title="Double it",
    verify=_verify_double,
    hints=("multiply", "return 2 * value"),
    reference=_reference,
)


def test_when_answer_is_wrong_then_result_says_expected_and_actual() -> None:
    result = evaluate(DOUBLE, lambda value: value + 2)

    assert result.status == "failed"
    assert "expected 0, got 2" in str(result)
    assert "99.1" in str(result)
    assert result.hint == "multiply"


def test_when_learner_code_raises_then_result_fails_without_raising() -> None:
    result = evaluate(DOUBLE, lambda value: 1 / 0)

    assert result.status == "failed"
    assert "ZeroDivisionError" in result.detail


def test_when_stub_is_untouched_then_result_is_not_done() -> None:
    def stub(value: int) -> int:
        raise NotImplementedError

    assert evaluate(DOUBLE, stub).status == "not done"
    assert evaluate(DOUBLE, None).status == "not done"


def test_result_renders_as_html_for_jupyterlab() -> None:
    html = evaluate(DOUBLE, _reference())._repr_html_()

    assert "99.1" in html and "passed" in html


def test_when_progress_recorded_then_first_pass_is_kept_after_a_failure(
    tmp_path: Path,
) -> None:
    path = tmp_path / "progress.json"

    record_outcome("01.1", "failed", "2026-01-01T00:00:00+00:00", path)
    record_outcome("01.1", "passed", "2026-01-02T00:00:00+00:00", path)
    record_outcome("01.1", "failed", "2026-01-03T00:00:00+00:00", path)

    record = load_progress(path)["01.1"]
    assert record.status == "failed"
    assert record.first_passed == "2026-01-02T00:00:00+00:00"
    assert record.ever_passed and record.attempts == 3
    assert not list(tmp_path.glob(".progress.tmp-*"))


def test_when_progress_file_is_corrupt_then_it_is_reported_not_reset(
    tmp_path: Path,
) -> None:
    path = tmp_path / "progress.json"
    path.write_text("{ half written")

    with pytest.raises(UserInputError, match="progress file .* is corrupt"):
        load_progress(path)
    with pytest.raises(UserInputError):
        record_outcome("01.1", "passed", "2026-01-01T00:00:00+00:00", path)
    assert path.read_text() == "{ half written"


def test_check_records_outcome_in_the_configured_progress_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from toolkit.exercises import all_exercises

    exercise = next(iter(all_exercises().values()))
    monkeypatch.setenv("PIPELINE_WORKBOOK_PROGRESS", str(tmp_path / "p.json"))

    result = check(exercise.id, exercise.reference())

    assert result.passed
    document = json.loads((tmp_path / "p.json").read_text())
    assert document["exercises"][exercise.id]["status"] == "passed"


def test_unknown_exercise_id_prints_one_line_instead_of_a_traceback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert check("01.99", None, record=False) is None

    printed = capsys.readouterr().out
    assert "unknown exercise id '01.99'" in printed
    assert "01.1" in printed
    assert printed.count("\n") == 1


def test_a_one_digit_section_is_read_as_its_two_digit_id() -> None:
    from toolkit.exercises import all_exercises

    exercise = next(iter(all_exercises().values()))
    short_id = exercise.id.lstrip("0")

    result = check(short_id, exercise.reference(), record=False)

    assert result is not None and result.exercise_id == exercise.id


def test_after_a_check_the_next_hint_goes_one_tier_deeper(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from toolkit.exercises import all_exercises

    exercise = list(all_exercises().values())[1]

    result = check(exercise.id, None, record=False)
    hint(exercise.id)
    hint(exercise.id)

    printed = capsys.readouterr().out
    assert result is not None and result.hint == exercise.hints[0]
    assert f"Hint 2/{len(exercise.hints)}" in printed
    assert exercise.hints[1] in printed
    assert exercise.hints[0] not in printed


def test_hints_without_a_check_start_at_the_first_tier(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from toolkit.exercises import all_exercises

    exercise = list(all_exercises().values())[2]

    hint(exercise.id)

    assert f"Hint 1/{len(exercise.hints)}" in capsys.readouterr().out


def test_solution_shows_the_answer_not_the_reference_wrapper(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from toolkit.exercises import all_exercises, reference_source

    for exercise in all_exercises().values():
        shown = reference_source(exercise)
        assert exercise.reference.__name__ not in shown, exercise.id
        compile(shown, exercise.id, "exec")

    solution(next(iter(all_exercises())))
    assert "Reference solution" in capsys.readouterr().out


def test_when_learner_code_fails_inside_a_library_then_its_own_line_is_named() -> None:
    import pandas as pd

    def double(value: int) -> int:
        frame = pd.DataFrame({"value": [value]}).dropna(how="sometimes")
        return int(frame["value"].iloc[0]) * 2

    result = evaluate(DOUBLE, double)

    assert result.status == "failed"
    assert "ValueError" in result.detail
    assert "of double)" in result.detail
