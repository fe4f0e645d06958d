from pathlib import Path

import pytest

from toolkit.io import atomic_path, atomic_write_json, atomic_write_text


def test_when_block_fails_then_destination_keeps_its_old_content(
    tmp_path: Path,
) -> None:
    target = tmp_path / "report.json"
    target.write_text("old")

    with pytest.raises(RuntimeError), atomic_path(target) as temporary:
        temporary.write_text("half")
        raise RuntimeError("disk full")

    assert target.read_text() == "old"
    assert list(tmp_path.iterdir()) == [target]


def test_temporary_path_keeps_the_full_suffix(tmp_path: Path) -> None:
    with atomic_path(tmp_path / "data.csv.gz") as temporary:
        assert temporary.name.endswith(".csv.gz")
        temporary.write_bytes(b"x")

    assert (tmp_path / "data.csv.gz").read_bytes() == b"x"


def test_text_is_written_without_newline_translation(tmp_path: Path) -> None:
    target = tmp_path / "note.md"

    atomic_write_text(target, "a\r\nb")
    atomic_write_json(tmp_path / "doc.json", {"b": 1, "a": [1]})

    assert target.read_bytes() == b"a\r\nb"
    assert (tmp_path / "doc.json").read_text().startswith('{\n  "a"')
