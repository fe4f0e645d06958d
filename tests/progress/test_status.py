"""Availability, completion and the next exercise, from the recorded outcomes."""

from toolkit.exercises.progress_store import ExerciseRecord
from toolkit.progress.roadmap import section_items
from toolkit.progress.status import item_progress, next_exercise, roadmap_progress

REGISTERED = ["01.1", "01.2", "03.1", "03.4", "03.5"]


def passed(on: str) -> ExerciseRecord:
    return ExerciseRecord("passed", f"{on}T09:00:00+00:00", f"{on}T09:00:00+00:00", 1)


def failed_after_passing(on: str) -> ExerciseRecord:
    return ExerciseRecord("failed", "2026-05-01T09:00:00+00:00", f"{on}T09:00:00+00:00")


def never_passed() -> ExerciseRecord:
    return ExerciseRecord("failed", "2026-05-01T09:00:00+00:00", None, 4)


def test_item_is_done_when_all_its_exercises_have_passed() -> None:
    item = section_items(1)[0]

    progress = item_progress(item, {"01.1": passed("2026-02-03")}, {1}, REGISTERED)

    assert progress.available and progress.done
    assert progress.completed_on == "2026-02-03"


def test_a_later_failure_does_not_undo_a_pass() -> None:
    item = section_items(1)[0]

    progress = item_progress(
        item, {"01.1": failed_after_passing("2026-02-03")}, {1}, REGISTERED
    )

    assert progress.done


def test_item_is_not_done_while_an_exercise_never_passed() -> None:
    item = section_items(1)[0]

    progress = item_progress(item, {"01.1": never_passed()}, {1}, REGISTERED)

    assert progress.available and not progress.done


def test_item_without_its_notebook_is_not_available_and_never_done() -> None:
    item = section_items(1)[0]

    progress = item_progress(item, {"01.1": passed("2026-02-03")}, set(), REGISTERED)

    assert not progress.available and not progress.done


def test_item_whose_exercise_is_not_registered_is_not_available() -> None:
    item = section_items(1)[2]

    assert not item_progress(item, {}, {1}, REGISTERED).available


def test_items_of_sections_without_exercises_are_not_available() -> None:
    item = section_items(4)[0]

    assert not item_progress(item, {}, {4}, REGISTERED).available


def test_completion_date_is_the_day_the_item_was_completed() -> None:
    records = {"03.4": passed("2026-02-03")}

    progress = item_progress(section_items(3)[4], records, {3}, REGISTERED)

    assert progress.completed_on == "2026-02-03"


def test_one_exercise_can_complete_several_items() -> None:
    records = {"03.4": passed("2026-02-03")}

    summary = roadmap_progress(records, {3}, REGISTERED)[2]

    assert summary.items_done == 3
    assert summary.exercises_passed == 1
    assert summary.exercises == ("03.1", "03.2", "03.3", "03.4", "03.5")


def test_next_exercise_is_the_first_not_passed_in_workbook_order() -> None:
    records = {"01.1": passed("2026-01-01"), "01.2": never_passed()}

    assert next_exercise(records, {1, 3}, REGISTERED) == "01.2"


def test_next_exercise_skips_exercises_whose_notebook_is_missing() -> None:
    records = {"01.1": passed("2026-01-01"), "01.2": passed("2026-01-01")}

    assert next_exercise(records, {1}, REGISTERED) is None
    assert next_exercise(records, {1, 3}, REGISTERED) == "03.1"


def test_a_pass_without_an_iso_time_still_counts_but_has_no_date() -> None:
    record = ExerciseRecord("passed", "sometime", "sometime", 1)

    progress = item_progress(section_items(1)[0], {"01.1": record}, {1}, REGISTERED)

    assert progress.done
    assert progress.completed_on is None
