"""Where the learner stands, and syncing a note without writing unless asked."""

from types import SimpleNamespace

import pytest

from tests.progress.workbook import REGISTERED, Workbook
from toolkit.progress.sync import current_standing, sync_note


def test_next_exercise_is_described_with_its_title_and_notebook(
    workbook: Workbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    titles = {i: SimpleNamespace(title=f"title of {i}") for i in REGISTERED}
    monkeypatch.setattr("toolkit.progress.sync.all_exercises", lambda: titles)
    workbook.record_passed("01.1")

    standing = current_standing()

    assert standing.next_exercise == "01.2"
    assert standing.describe_next() == (
        "01.2 · title of 01.2 (notebooks/01_foundations.ipynb)"
    )


def test_sync_without_write_leaves_the_note_as_it_was(workbook: Workbook) -> None:
    workbook.record_passed("01.1")
    before = workbook.roadmap.read_bytes()

    synced = sync_note(workbook.roadmap)

    assert synced.result.changed and not synced.written
    assert workbook.roadmap.read_bytes() == before


def test_sync_with_write_and_nothing_to_do_does_not_touch_the_file(
    workbook: Workbook,
) -> None:
    stamp = workbook.roadmap.stat().st_mtime_ns

    synced = sync_note(workbook.roadmap, write=True)

    assert not synced.written
    assert workbook.roadmap.stat().st_mtime_ns == stamp


def test_sync_refuses_to_write_when_the_note_changes_meanwhile(
    workbook: Workbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    from toolkit.errors import UserInputError
    from toolkit.progress import sync

    workbook.record_passed("01.1")
    real_standing = sync.current_standing
    edited_in_obsidian = workbook.roadmap.read_bytes() + b"- [ ] a new line\n"

    def standing_while_obsidian_saves(progress_path: object = None) -> object:
        workbook.roadmap.write_bytes(edited_in_obsidian)
        return real_standing()

    monkeypatch.setattr(sync, "current_standing", standing_while_obsidian_saves)

    with pytest.raises(UserInputError, match="changed while it was being updated"):
        sync_note(workbook.roadmap, write=True)

    assert workbook.roadmap.read_bytes() == edited_in_obsidian
    assert [p.name for p in workbook.roadmap.parent.glob(".*tmp*")] == []
