"""The progress picture: one bar per section, written atomically."""

from pathlib import Path

import pytest

from toolkit.errors import UserInputError
from toolkit.exercises.progress_store import ExerciseRecord
from toolkit.progress.plot import plot_progress
from toolkit.progress.status import roadmap_progress

RECORDS = {"01.1": ExerciseRecord("passed", "2026-01-01", "2026-01-01T00:00:00")}


def test_plot_writes_a_png(tmp_path: Path) -> None:
    sections = roadmap_progress(RECORDS, {1}, ["01.1"])

    path = plot_progress(sections, tmp_path / "progress.png")

    assert path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["progress.png"]


def test_plot_writes_svg_when_asked(tmp_path: Path) -> None:
    path = plot_progress(roadmap_progress({}, set(), []), tmp_path / "progress.svg")

    assert b"<svg" in path.read_bytes()


def test_plot_refuses_an_unknown_suffix(tmp_path: Path) -> None:
    with pytest.raises(UserInputError, match="suffix '.txt'"):
        plot_progress(roadmap_progress({}, set(), []), tmp_path / "progress.txt")


def test_plot_refuses_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "pictures.png"
    folder.mkdir()

    with pytest.raises(UserInputError, match="is a folder"):
        plot_progress(roadmap_progress({}, set(), []), folder)
