"""The roadmap map is complete, consistent, and agrees with the notebooks and notes."""

import re
from pathlib import Path

import pytest

from toolkit.exercises import all_exercises
from toolkit.progress.checklists import (
    PROGRESS_LINE_PATTERN,
    ROADMAP_FILE,
    render_section_note,
)
from toolkit.progress.note import parse_tasks
from toolkit.progress.roadmap import (
    FINAL_REVIEW,
    SECTIONS,
    all_items,
    final_review_items,
    section_items,
)
from toolkit.progress.status import notebook_sections

ROOT = Path(__file__).resolve().parents[2]
CHECKLISTS = ROOT / "checklists"
ITEM_COUNTS = {1: 5, 2: 5, 3: 8, 4: 7, 5: 4, 6: 4, 7: 5, 8: 4, 9: 4, 10: 4, 11: 4}
ITEM_COUNTS |= {12: 5, FINAL_REVIEW: 5}
EXERCISE_MAP = {
    "wb-01-01": ("01.1",),
    "wb-01-02": ("01.2",),
    "wb-01-03": ("01.3",),
    "wb-01-04": ("01.4",),
    "wb-01-05": ("01.5",),
    "wb-02-01": ("02.1",),
    "wb-02-02": ("02.2",),
    "wb-02-03": ("02.3",),
    "wb-02-04": ("02.4",),
    "wb-02-05": ("02.5",),
    "wb-03-01": ("03.1",),
    "wb-03-02": ("03.1",),
    "wb-03-03": ("03.2",),
    "wb-03-04": ("03.3",),
    "wb-03-05": ("03.4",),
    "wb-03-06": ("03.4",),
    "wb-03-07": ("03.4",),
    "wb-03-08": ("03.5",),
}


def test_every_section_has_the_roadmaps_number_of_items() -> None:
    counts = {
        section.number: len(section_items(section.number)) for section in SECTIONS
    }

    assert counts == ITEM_COUNTS
    assert len(final_review_items()) == 5


def test_headings_keep_their_emoji_and_numbers() -> None:
    headings = [section.heading for section in SECTIONS]

    assert headings[0] == "🧱 1. Foundational Concepts"
    assert headings[6] == "🛡️ 7. Versioning, Testing & CI/CD"
    assert headings[-1] == "🧭 Final Review Checklist"


def test_block_ids_and_wordings_are_unique() -> None:
    items = all_items()

    assert len({item.block_id for item in items}) == len(items)
    assert len({item.text for item in items}) == len(items)


def test_block_ids_follow_section_and_index() -> None:
    for item in all_items():
        if item.section == FINAL_REVIEW:
            assert item.block_id == f"wb-review-{item.index:02d}"
        else:
            assert item.block_id == f"wb-{item.section:02d}-{item.index:02d}"
        assert re.fullmatch(r"[a-z0-9-]+", item.block_id)


def test_sections_one_to_three_map_to_the_agreed_exercises() -> None:
    mapped = {item.block_id: item.exercises for item in all_items() if item.exercises}

    assert mapped == EXERCISE_MAP


def test_exercise_ids_belong_to_the_notebook_of_their_section() -> None:
    for item in all_items():
        notebook = 12 if item.section == FINAL_REVIEW else item.section
        for exercise in item.exercises:
            assert exercise.startswith(f"{notebook:02d}.")


def test_no_item_of_a_written_notebook_and_no_exercise_is_orphaned() -> None:
    written = notebook_sections(ROOT / "notebooks")
    registered = set(all_exercises())
    if not written and not registered:
        pytest.skip("no notebook is written yet")

    orphan_items = [
        item.block_id
        for item in all_items()
        if (12 if item.section == FINAL_REVIEW else item.section) in written
        and not (item.exercises and set(item.exercises) <= registered)
    ]
    mapped = {exercise for item in all_items() for exercise in item.exercises}
    orphan_exercises = sorted(registered - mapped)

    assert orphan_items == [], "items of written notebooks with no registered exercise"
    assert orphan_exercises == [], "exercises no roadmap item maps to"


def test_the_roadmap_note_holds_every_item_in_order_with_its_block_id() -> None:
    text = (CHECKLISTS / ROADMAP_FILE).read_text(encoding="utf-8")

    found = [(task.description, task.block_id) for task in parse_tasks(text)]

    assert found == [(item.text, item.block_id) for item in all_items()]


def test_the_roadmap_note_has_every_heading_and_links_every_section_note() -> None:
    text = (CHECKLISTS / ROADMAP_FILE).read_text(encoding="utf-8")

    for section in SECTIONS:
        assert f"\n## {section.heading}\n" in text
        assert f"[[{section.note_name}]]" in text
        assert (CHECKLISTS / f"{section.note_name}.md").is_file()


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.note_name)
def test_section_notes_match_the_map_apart_from_their_progress_line(section) -> None:
    committed = (CHECKLISTS / f"{section.note_name}.md").read_text(encoding="utf-8")
    expected = render_section_note(section)

    def without_progress(text: str) -> str:
        return PROGRESS_LINE_PATTERN.sub("<progress>", text)

    assert without_progress(committed) == without_progress(expected)
