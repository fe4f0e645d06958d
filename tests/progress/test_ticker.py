"""Byte-level behaviour of the ticker: it ticks proved items, nothing else changes."""

import os
import re
from pathlib import Path

import pytest

from toolkit.errors import UserInputError
from toolkit.progress.checklists import render_roadmap_note
from toolkit.progress.roadmap import all_items
from toolkit.progress.ticker import read_note, tick_text, unified_diff, write_note

PIPELINE = "Understand what a pipeline is (data → transform → output)"
BATCH = "Understand batch vs streaming pipelines"
INGEST = "Ingest raw data"
DONE = {"wb-01-01": "2026-03-04", "wb-01-03": "2026-03-05", "wb-03-01": "2026-03-06"}


def tick(
    data: bytes, with_dates: bool = False, done: dict[str, str | None] | None = None
) -> bytes:
    done = DONE if done is None else done
    return tick_text(data.decode("utf-8"), done, with_dates).updated.encode("utf-8")


def test_when_item_has_its_block_id_then_it_is_ticked() -> None:
    note = f"- [ ] {PIPELINE} ^wb-01-01\n- [ ] {BATCH} ^wb-01-03\n".encode()

    assert (
        tick(note) == f"- [x] {PIPELINE} ^wb-01-01\n- [x] {BATCH} ^wb-01-03\n".encode()
    )


def test_crlf_line_endings_are_kept() -> None:
    note = f"## 🧱 1. Foundational Concepts\r\n- [ ] {PIPELINE}\r\n- [ ] {BATCH}\r\n"

    assert tick(note.encode()) == note.replace("[ ]", "[x]").encode()


def test_mixed_line_endings_are_each_kept() -> None:
    note = f"- [ ] {PIPELINE}\r\n- [ ] {BATCH}\nlast\r\n".encode()

    assert tick(note) == f"- [x] {PIPELINE}\r\n- [x] {BATCH}\nlast\r\n".encode()


def test_byte_order_mark_is_kept() -> None:
    note = b"\xef\xbb\xbf" + f"- [ ] {PIPELINE}\n".encode()

    assert tick(note) == b"\xef\xbb\xbf" + f"- [x] {PIPELINE}\n".encode()


def test_missing_trailing_newline_stays_missing() -> None:
    note = f"intro\n- [ ] {BATCH}".encode()

    assert tick(note, with_dates=True) == f"intro\n- [x] {BATCH} ✅ 2026-03-05".encode()


def test_nested_items_are_ticked_and_their_parents_left_alone() -> None:
    note = f"- [ ] My learning plan\n    - [ ] {PIPELINE}\n\t- [ ] {BATCH}\n".encode()

    assert tick(note) == (
        f"- [ ] My learning plan\n    - [x] {PIPELINE}\n\t- [x] {BATCH}\n".encode()
    )


def test_items_inside_a_callout_are_ticked() -> None:
    note = f"> [!todo] Roadmap\n> - [ ] {INGEST}\n".encode()

    assert tick(note) == f"> [!todo] Roadmap\n> - [x] {INGEST}\n".encode()


def test_done_date_goes_after_tasks_fields_and_before_the_block_id() -> None:
    note = f"- [ ] {INGEST} ⏫ 🔁 every week 📅 2026-04-01 ^wb-03-01\n".encode()

    assert (
        tick(note, with_dates=True)
        == (
            f"- [x] {INGEST} ⏫ 🔁 every week 📅 2026-04-01 ✅ 2026-03-06 ^wb-03-01\n"
        ).encode()
    )


def test_done_date_is_the_day_the_item_was_completed() -> None:
    note = f"- [ ] {BATCH}\n".encode()

    assert tick(note, with_dates=True) == f"- [x] {BATCH} ✅ 2026-03-05\n".encode()


def test_without_done_dates_no_date_is_added() -> None:
    note = f"- [ ] {INGEST} 📅 2026-04-01 ^wb-03-01\n".encode()

    assert tick(note) == f"- [x] {INGEST} 📅 2026-04-01 ^wb-03-01\n".encode()


@pytest.mark.parametrize("status", ["/", "-", ">", "!", "?", "x", "X"])
def test_custom_and_done_statuses_are_never_touched(status: str) -> None:
    note = f"- [{status}] {PIPELINE} ^wb-01-01\n".encode()

    assert tick(note, with_dates=True) == note


def test_an_item_is_never_unticked() -> None:
    note = f"- [x] {PIPELINE}\n- [x] Learn ETL vs ELT strategies\n".encode()

    assert tick(note, done={}) == note


def test_items_whose_exercises_have_not_all_passed_stay_open() -> None:
    note = (
        b"- [ ] Learn ETL vs ELT strategies ^wb-02-04\n"
        b"- [ ] Apache Airflow (orchestration)\n"
    )

    assert tick(note) == note


def test_reworded_item_is_found_by_its_block_id() -> None:
    note = b"- [ ] grok pipelines: data in, data out ^wb-01-01\n"

    assert tick(note) == b"- [x] grok pipelines: data in, data out ^wb-01-01\n"


def test_reworded_item_without_block_id_is_not_found() -> None:
    note = b"- [ ] grok pipelines: data in, data out\n"

    result = tick_text(note.decode(), DONE)

    assert result.updated.encode() == note
    assert result.items[0].before == "absent"


def test_learner_copy_without_block_ids_is_matched_on_exact_wording() -> None:
    note = f"## 🧪 3. ML Pipeline Architecture\n- [ ] {INGEST}\n- [ ] Deploy model\n"

    assert (
        tick(note.encode()) == note.replace(f"[ ] {INGEST}", f"[x] {INGEST}").encode()
    )


def test_line_with_another_items_block_id_is_not_matched_by_text() -> None:
    note = f"- [ ] {PIPELINE} ^wb-02-04\n".encode()

    assert tick(note) == note


def test_learners_own_block_id_does_not_stop_a_text_match() -> None:
    note = f"- [ ] {PIPELINE} ^my-id\n".encode()

    assert tick(note) == f"- [x] {PIPELINE} ^my-id\n".encode()


def test_tasks_in_frontmatter_and_code_blocks_are_left_alone() -> None:
    note = (
        f"---\ntodo: - [ ] {PIPELINE}\n---\n"
        f"```markdown\n- [ ] {PIPELINE}\n```\n"
        f"%%\n- [ ] {BATCH}\n%%\n"
        f"- [ ] {PIPELINE}\n"
    ).encode()

    expected = note[: note.rindex(b"[ ]")] + note[note.rindex(b"[ ]") :].replace(
        b"[ ]", b"[x]", 1
    )
    assert tick(note) == expected


def test_non_ascii_text_and_emoji_around_items_are_kept() -> None:
    note = f"# Lernplan 🚀 — Ünïcödé\n- [ ] {PIPELINE}\n- [ ] idée 💡\n日本語\n"

    assert tick(note.encode()) == note.replace("[ ] U", "[x] U").encode()


def test_every_copy_of_an_item_is_ticked() -> None:
    note = f"- [ ] {BATCH}\n\n- [ ] {BATCH}\n".encode()

    assert tick(note) == f"- [x] {BATCH}\n\n- [x] {BATCH}\n".encode()


def test_a_second_run_changes_nothing() -> None:
    note = f"- [ ] {INGEST} 📅 2026-04-01 ^wb-03-01\r\n- [ ] {BATCH}".encode()

    once = tick(note, with_dates=True)

    assert once != note
    assert tick(once, with_dates=True) == once


def test_outcomes_report_state_before_and_after() -> None:
    note = f"- [ ] {PIPELINE}\n- [/] {BATCH}\n"

    result = tick_text(note, DONE)
    by_id = {outcome.item.block_id: outcome for outcome in result.items}

    assert (by_id["wb-01-01"].before, by_id["wb-01-01"].after) == (" ", "x")
    assert (by_id["wb-01-03"].before, by_id["wb-01-03"].after) == ("/", "/")
    assert by_id["wb-01-01"].lines == (1,)
    assert by_id["wb-03-01"].before == "absent"


def test_diff_shows_only_the_ticked_lines_with_plain_newlines() -> None:
    note = f"intro\r\n- [ ] {PIPELINE}\r\n"

    diff = unified_diff(tick_text(note, DONE), "note.md")

    assert f"-- [ ] {PIPELINE}\n+- [x] {PIPELINE}\n" in diff
    assert "\r" not in diff


def test_read_note_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UserInputError, match="does not exist"):
        read_note(tmp_path / "absent.md")


def test_read_note_refuses_a_folder(tmp_path: Path) -> None:
    with pytest.raises(UserInputError, match="is a folder"):
        read_note(tmp_path)


def test_read_note_refuses_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    note = tmp_path / "latin1.md"
    note.write_bytes("- [ ] café".encode("latin-1"))

    with pytest.raises(UserInputError, match="is not UTF-8"):
        read_note(note)


def test_write_refuses_when_the_note_changed_since_it_was_read(tmp_path: Path) -> None:
    note = tmp_path / "note.md"
    note.write_bytes(b"- [ ] edited in Obsidian meanwhile\n")

    with pytest.raises(UserInputError, match="changed while"):
        write_note(note, b"- [ ] what was read\n", b"- [x] what was read\n")

    assert note.read_bytes() == b"- [ ] edited in Obsidian meanwhile\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["note.md"]


def test_write_keeps_the_notes_permissions(tmp_path: Path) -> None:
    note = tmp_path / "note.md"
    note.write_bytes(b"- [ ] a\n")
    note.chmod(0o640)

    write_note(note, b"- [ ] a\n", b"- [x] a\n")

    assert note.read_bytes() == b"- [x] a\n"
    assert note.stat().st_mode & 0o777 == 0o640


def test_write_through_a_symbolic_link_keeps_the_link(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    target = vault / "Roadmap.md"
    target.write_bytes(b"- [ ] a\n")
    link = tmp_path / "Roadmap.md"
    link.symlink_to(target)

    write_note(link, b"- [ ] a\n", b"- [x] a\n")

    assert os.path.islink(link)
    assert target.read_bytes() == b"- [x] a\n"


def test_extra_spaces_in_a_learners_line_still_match_the_wording() -> None:
    note = "- [ ]   Understand  batch vs streaming pipelines \n"

    assert tick(note.encode()) == note.replace("[ ]", "[x]").encode()


def test_a_copy_of_the_roadmap_without_block_ids_is_matched_item_for_item() -> None:
    with_ids = render_roadmap_note()
    copy = re.sub(r" \^wb-[a-z0-9-]+", "", with_ids)
    everything = {item.block_id: "2026-03-04" for item in all_items()}

    result = tick_text(copy, everything)

    assert all(outcome.lines for outcome in result.items)
    assert result.updated == copy.replace("- [ ]", "- [x]")


def test_item_done_on_an_unknown_day_is_ticked_without_a_date() -> None:
    note = f"- [ ] {BATCH}\n".encode()

    assert (
        tick(note, with_dates=True, done={"wb-01-03": None})
        == f"- [x] {BATCH}\n".encode()
    )
