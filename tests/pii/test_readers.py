import pytest

from toolkit.errors import UserInputError
from toolkit.pii import readers


@pytest.fixture
def repeated_values_csv(tmp_path):
    path = tmp_path / "repeated.csv"
    values = [f"value-{n % 40}" for n in range(1000)]
    path.write_text("code\n" + "\n".join(values) + "\n", encoding="utf-8")
    return path


def test_sample_keeps_distinct_values_only(repeated_values_csv):
    (column,) = readers.read_csv_columns(repeated_values_csv, sample=0)

    assert column.cells == 1000
    assert sorted(column.values) == sorted({f"value-{n}" for n in range(40)})


def test_sample_is_bounded_and_the_same_every_time(repeated_values_csv, monkeypatch):
    monkeypatch.setattr(readers, "CHUNK_ROWS", 64)

    first = readers.read_csv_columns(repeated_values_csv, sample=10)[0]
    second = readers.read_csv_columns(repeated_values_csv, sample=10)[0]

    assert len(first.values) == 10
    assert first.values == second.values
    assert all(first.values[i] == f"value-{first.rows[i] % 40}" for i in range(10))


def test_sample_does_not_depend_on_chunk_size(repeated_values_csv, monkeypatch):
    whole = readers.read_csv_columns(repeated_values_csv, sample=10)[0]
    monkeypatch.setattr(readers, "CHUNK_ROWS", 7)

    chunked = readers.read_csv_columns(repeated_values_csv, sample=10)[0]

    assert sorted(whole.values) == sorted(chunked.values)


def test_blank_cells_are_counted_but_not_sampled(tmp_path):
    path = tmp_path / "blanks.csv"
    path.write_text("a,b\n1,\n2,  \n3,x\n", encoding="utf-8")

    columns = {c.name: c for c in readers.read_csv_columns(path, sample=10)}

    assert columns["b"].cells == 3
    assert columns["b"].values == ["x"]


def test_notebook_code_cells_are_not_prose_and_images_are_skipped(tmp_path):
    path = tmp_path / "nb.ipynb"
    path.write_text(
        '{"cells": [{"cell_type": "code", "source": "x = 1", "outputs": ['
        '{"output_type": "display_data", "data": {"image/png": "iVBOR",'
        ' "text/plain": "<Figure>"}}]}], "nbformat": 4}',
        encoding="utf-8",
    )

    segments = readers.read_notebook_segments(path)

    assert [(s.text, s.location, s.prose) for s in segments] == [
        ("x = 1", {"cell": 0}, False),
        ("<Figure>", {"cell": 0, "output": 0}, True),
    ]


def test_notebook_without_cells_is_bad_input(tmp_path):
    path = tmp_path / "nb.ipynb"
    path.write_text('{"metadata": {}}', encoding="utf-8")

    with pytest.raises(UserInputError, match="nb.ipynb: has no 'cells' list"):
        readers.read_notebook_segments(path)


def test_folder_walk_skips_hidden_and_tool_folders(tmp_path):
    for name in ("a.csv", ".hidden/b.csv", ".git/c", "__pycache__/d.pyc", "sub/e.log"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")

    found = [p.relative_to(tmp_path).as_posix() for p in readers.iter_files(tmp_path)]

    assert found == ["a.csv", "sub/e.log"]
