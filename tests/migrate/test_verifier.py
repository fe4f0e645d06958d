import sqlite3
from pathlib import Path

import pytest

from toolkit.errors import UserInputError
from toolkit.migrate.service import migrate_script
from toolkit.migrate.verifier import compare_files, verify

from .conftest import FIXTURES


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def test_when_csv_floats_differ_within_tolerance_then_files_are_equal(tmp_path):
    left = write(tmp_path / "a.csv", "x,y\n1,0.1\n")
    right = write(tmp_path / "b.csv", "x,y\n1,0.10000000000000001\n")
    assert compare_files(left, right) == ""


def test_when_csv_values_differ_then_files_are_different(tmp_path):
    left = write(tmp_path / "a.csv", "x,y\n1,0.1\n")
    right = write(tmp_path / "b.csv", "x,y\n1,0.2\n")
    assert compare_files(left, right) != ""


def test_when_text_differs_by_one_byte_then_files_are_different(tmp_path):
    left = write(tmp_path / "a.txt", "same\n")
    right = write(tmp_path / "b.txt", "same \n")
    assert compare_files(left, right) == "bytes differ"


def test_when_sqlite_files_hold_the_same_rows_then_they_are_equal(tmp_path):
    for name, rows in (("a.db", [(1, "x"), (2, "y")]), ("b.db", [(1, "x"), (2, "y")])):
        with sqlite3.connect(tmp_path / name) as connection:
            connection.execute("CREATE TABLE t (id INTEGER, name TEXT)")
            connection.executemany("INSERT INTO t VALUES (?, ?)", rows)
            if name == "b.db":
                connection.execute("CREATE TABLE scratch (z)")
                connection.execute("DROP TABLE scratch")
        connection.close()
    assert compare_files(tmp_path / "a.db", tmp_path / "b.db") == ""


def test_when_sqlite_rows_differ_then_the_table_is_named(tmp_path):
    for name, value in (("a.db", 1), ("b.db", 2)):
        with sqlite3.connect(tmp_path / name) as connection:
            connection.execute("CREATE TABLE totals (n INTEGER)")
            connection.execute("INSERT INTO totals VALUES (?)", (value,))
        connection.close()
    assert "totals" in compare_files(tmp_path / "a.db", tmp_path / "b.db")


def test_when_dag_matches_script_then_verify_reports_equivalent(tmp_path, workdir):
    package = tmp_path / "package"
    migrate_script(FIXTURES / "file_flow.py", package)
    result = verify(FIXTURES / "file_flow.py", package, workdir)
    assert result.equivalent
    assert {(f.path, f.status) for f in result.files} == {
        ("staged.csv", "equal"),
        ("result.csv", "equal"),
    }
    assert sorted(p.name for p in workdir.iterdir()) == ["numbers.csv"]


def test_when_dag_is_wrong_then_verify_names_file_and_first_task(tmp_path, workdir):
    package = tmp_path / "package"
    migrate_script(FIXTURES / "file_flow.py", package)
    steps = package / "file_flow_steps.py"
    steps.write_text(steps.read_text().replace("+ 1", "+ 2"))

    result = verify(FIXTURES / "file_flow.py", package, workdir)

    assert not result.equivalent
    statuses = {f.path: f.status for f in result.files}
    assert statuses == {"staged.csv": "equal", "result.csv": "different"}
    assert result.first_divergent_task == "ReadItBackFromThe"


def test_when_dag_writes_an_extra_file_then_it_is_reported(tmp_path, workdir):
    package = tmp_path / "package"
    migrate_script(FIXTURES / "file_flow.py", package)
    steps = package / "file_flow_steps.py"
    text = steps.read_text().replace(
        '    staged.to_csv("result.csv", index=False)',
        '    staged.to_csv("result.csv", index=False)\n    open("x.txt", "w").close()',
    )
    steps.write_text(text)
    result = verify(FIXTURES / "file_flow.py", package, workdir)
    assert ("x.txt", "extra") in {(f.path, f.status) for f in result.files}
    assert not result.equivalent


def test_when_package_folder_is_not_a_migration_then_verify_refuses(tmp_path, workdir):
    with pytest.raises(UserInputError, match="no pipeline.py"):
        verify(FIXTURES / "file_flow.py", tmp_path, workdir)


def test_when_script_is_a_notebook_then_verify_asks_for_a_script(tmp_path, workdir):
    package = tmp_path / "package"
    migrate_script(FIXTURES / "notebook_etl.ipynb", package)
    with pytest.raises(UserInputError, match="is a notebook"):
        verify(FIXTURES / "notebook_etl.ipynb", package, workdir)
