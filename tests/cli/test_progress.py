"""``toolkit progress``: dry run, write, JSON, picture, and one-line refusals."""

import json
from pathlib import Path

import pytest

from tests.progress.workbook import Workbook, workbook
from toolkit.cli import main

__all__ = ["workbook"]

PIPELINE = "Understand what a pipeline is (data → transform → output)"
LEARNER_COPY = (
    "\ufeff# My roadmap\r\n"
    "## 🧱 1. Foundational Concepts\r\n"
    f"- [ ] {PIPELINE}\r\n"
    "- [/] Learn use cases: data pipelines, ML pipelines, ETL pipelines\r\n"
    "```\r\n"
    f"- [ ] {PIPELINE}\r\n"
    "```\r\n"
    "- [ ] Apache Airflow (orchestration)"
).encode()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["progress", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_dry_run_prints_a_diff_and_changes_nothing(
    workbook: Workbook, capsys: pytest.CaptureFixture[str]
) -> None:
    workbook.record_passed("01.1")
    before = workbook.roadmap.read_bytes()

    code, out, _ = run(capsys)

    assert code == 1
    assert f"+- [x] {PIPELINE} ^wb-01-01" in out
    assert "run again with --write" in out
    assert workbook.roadmap.read_bytes() == before


def test_write_ticks_the_note_and_a_second_run_finds_nothing(
    workbook: Workbook, capsys: pytest.CaptureFixture[str]
) -> None:
    workbook.record_passed("01.1", "03.4", on="2026-03-04")

    first, _, _ = run(capsys, "--write", "--done-dates")
    written = workbook.roadmap.read_bytes()
    second, out, _ = run(capsys, "--write", "--done-dates")

    assert (first, second) == (0, 0)
    assert f"- [x] {PIPELINE} ✅ 2026-03-04 ^wb-01-01\n".encode() in written
    assert b"- [x] Deploy model \xe2\x9c\x85 2026-03-04 ^wb-03-07\n" in written
    assert written.count(b"[x]") == 4
    assert workbook.roadmap.read_bytes() == written
    assert "is up to date" in out


def test_write_refreshes_the_progress_line_of_section_notes(
    workbook: Workbook, capsys: pytest.CaptureFixture[str]
) -> None:
    workbook.record_passed("03.4")

    run(capsys, "--write")

    note = workbook.root / "checklists" / "03 ML Pipeline Architecture.md"
    assert '<progress value="3" max="8"></progress> 3 / 8 done' in note.read_text()


def test_learner_copy_in_a_vault_is_ticked_byte_for_byte(
    workbook: Workbook, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workbook.record_passed("01.1", "01.2")
    note = tmp_path / "vault" / "Data & ML Pipelines Roadmap.md"
    note.parent.mkdir()
    note.write_bytes(LEARNER_COPY)

    code, _, _ = run(capsys, "--note", str(note), "--write")

    assert code == 0
    assert note.read_bytes() == LEARNER_COPY.replace(b"[ ]", b"[x]", 1)


def test_json_reports_every_item_with_state_before_and_after(
    workbook: Workbook, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workbook.record_passed("01.1", "01.2")
    note = tmp_path / "roadmap.md"
    note.write_bytes(LEARNER_COPY)

    code, out, _ = run(capsys, "--note", str(note), "--json")
    document = json.loads(out)
    items = {item["block_id"]: item for item in document["items"]}

    assert code == 1
    assert document["written"] is False
    assert (items["wb-01-01"]["before"], items["wb-01-01"]["after"]) == ("open", "done")
    assert items["wb-01-02"]["after"] == "custom [/]"
    assert items["wb-04-01"]["available"] is False
    assert items["wb-04-01"]["after"] == "open"
    assert items["wb-05-01"]["before"] == "absent"
    assert items["wb-01-01"]["exercises"] == ["01.1"]
    assert items["wb-01-01"]["section"] == 1
    assert items["wb-01-01"]["text"] == PIPELINE
    assert note.read_bytes() == LEARNER_COPY


def test_plot_draws_the_picture(
    workbook: Workbook, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    picture = tmp_path / "progress.png"

    code, out, _ = run(capsys, "--plot", str(picture))

    assert code == 0
    assert picture.read_bytes().startswith(b"\x89PNG")
    assert "drew progress" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "does not exist"),
        ("folder", "is a folder"),
        (b"- [ ] caf\xe9\n", "is not UTF-8"),
        (b"# Groceries\n- [ ] milk\n", "holds none of the roadmap's items"),
    ],
    ids=["missing", "folder", "not-utf8", "no-items"],
)
def test_bad_note_exits_two_with_one_line_and_leaves_it_untouched(
    workbook: Workbook,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: bytes | str | None,
    message: str,
) -> None:
    workbook.record_passed("01.1")
    note = tmp_path / "note.md"
    if content == "folder":
        note.mkdir()
    elif isinstance(content, bytes):
        note.write_bytes(content)

    code, out, err = run(capsys, "--note", str(note), "--write")

    assert code == 2
    assert message in err
    assert err.count("\n") == 1
    assert out == ""
    if isinstance(content, bytes):
        assert note.read_bytes() == content


def test_corrupt_progress_file_exits_two_naming_it(
    workbook: Workbook, capsys: pytest.CaptureFixture[str]
) -> None:
    workbook.progress.write_text("{not json")
    before = workbook.roadmap.read_bytes()

    code, _, err = run(capsys, "--write")

    assert code == 2
    assert str(workbook.progress) in err
    assert "corrupt" in err
    assert workbook.progress.read_text() == "{not json"
    assert workbook.roadmap.read_bytes() == before


def test_nothing_passed_means_nothing_to_do(
    workbook: Workbook, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys)

    assert code == 0
    assert "is up to date" in out
    assert "next exercise: 01.1" in out


def test_bad_picture_path_exits_two_before_the_note_is_written(
    workbook: Workbook, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workbook.record_passed("01.1")
    before = workbook.roadmap.read_bytes()

    code, _, err = run(capsys, "--write", "--plot", str(tmp_path / "progress.txt"))

    assert code == 2
    assert "suffix '.txt'" in err
    assert workbook.roadmap.read_bytes() == before
