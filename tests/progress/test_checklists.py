"""Section notes: rendering, and refreshing only their progress line."""

from pathlib import Path

from toolkit.progress.checklists import (
    SectionCount,
    progress_line,
    refresh_section_notes,
    render_roadmap_note,
    render_section_note,
    write_checklists,
)
from toolkit.progress.roadmap import SECTIONS, get_section


def test_progress_line_is_a_plain_html_progress_bar() -> None:
    assert (
        progress_line(3, 5, True)
        == '<progress value="3" max="5"></progress> 3 / 5 done'
    )
    assert "not available yet" in progress_line(0, 7, False)


def test_section_note_lists_items_with_their_exercises() -> None:
    note = render_section_note(get_section(3))

    assert "| 1 | Ingest raw data | `03.1` |" in note
    assert "| 7 | Deploy model | `03.4` |" in note
    assert "notebooks/03_ml_pipeline_architecture.ipynb" in note


def test_section_note_without_a_notebook_says_not_available_yet() -> None:
    note = render_section_note(get_section(5))

    assert "not available yet" in note.split("| # |")[0]
    assert note.count("| not available yet |") == 4


def test_refresh_changes_only_the_progress_line(tmp_path: Path) -> None:
    section = get_section(1)
    path = tmp_path / f"{section.note_name}.md"
    original = render_section_note(section).replace("\n", "\r\n") + "my own notes ✍️"
    path.write_bytes(original.encode())

    changes = refresh_section_notes(tmp_path, [SectionCount(section, 2, 5, True)], True)

    expected = original.replace(
        '<progress value="0" max="5"></progress> 0 / 5 done',
        '<progress value="2" max="5"></progress> 2 / 5 done',
    )
    assert [change[0] for change in changes] == [path]
    assert path.read_bytes() == expected.encode()


def test_refresh_without_write_leaves_the_notes_alone(tmp_path: Path) -> None:
    section = get_section(1)
    path = tmp_path / f"{section.note_name}.md"
    path.write_text(render_section_note(section))

    changes = refresh_section_notes(
        tmp_path, [SectionCount(section, 5, 5, True)], False
    )

    assert len(changes) == 1
    assert path.read_text() == render_section_note(section)


def test_write_checklists_never_replaces_an_existing_roadmap_note(
    tmp_path: Path,
) -> None:
    roadmap = tmp_path / "Data & ML Pipelines Roadmap.md"
    roadmap.write_text("- [x] my ticks\n")

    written = write_checklists(tmp_path)

    assert roadmap.read_text() == "- [x] my ticks\n"
    assert roadmap not in written
    assert len(written) == len(SECTIONS)


def test_roadmap_note_has_frontmatter_tags() -> None:
    assert render_roadmap_note().startswith("---\ntags:\n  - pipeline-workbook\n")
