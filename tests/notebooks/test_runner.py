import json
from collections.abc import Callable
from pathlib import Path

import pytest

from toolkit.cli import main


def notebook_files(workbook: Path) -> dict[str, bytes]:
    folder = workbook / "notebooks"
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_when_listing_then_parameters_come_from_papermill_inspection(
    workbook: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["notebooks", "list", "--json"]) == 0

    listed = json.loads(capsys.readouterr().out)["notebooks"]
    assert [entry["name"] for entry in listed] == ["01_tiny"]
    parameters = {p["name"]: p for p in listed[0]["parameters"]}
    assert parameters["seed"] == {
        "name": "seed",
        "type": "int",
        "default": "7",
        "description": "random seed",
    }
    assert listed[0]["profiles"] == {"ci": {"n_rows": 5, "label": "ci"}}


@pytest.mark.slow
def test_when_run_with_profile_and_parameter_then_user_value_wins(
    workbook: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = notebook_files(workbook)
    out = tmp_path / "run"

    code = main(
        ["notebooks", "run", "1", "--profile", "ci", "-p", "seed=11", "--out", str(out)]
    )

    assert code == 0
    seen = json.loads((out / "01_tiny_work" / "seen.json").read_text())
    assert seen == [11, 5, "ci"]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["failed"] is False
    assert [n["status"] for n in summary["notebooks"]] == ["ok"]
    assert (out / "01_tiny.ipynb").exists()
    assert notebook_files(workbook) == before
    assert "01_tiny" in capsys.readouterr().out


@pytest.mark.slow
def test_when_a_cell_fails_then_exit_is_one_and_the_cell_is_named(
    workbook: Path,
    add_notebook: Callable[[str, str], Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    add_notebook("02_broken.ipynb", "raise ValueError('the data is late')")

    code = main(["notebooks", "run", "--json", "--out", str(tmp_path / "run")])

    assert code == 1
    summary = json.loads(capsys.readouterr().out)
    statuses = {n["notebook"]: n["status"] for n in summary["notebooks"]}
    assert statuses == {"01_tiny": "ok", "02_broken": "failed"}
    error = summary["notebooks"][1]["error"]
    assert "cell" in error and "ValueError" in error and "the data is late" in error


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["99"], "no notebook for section '99'"),
        (["-p", "colour=red"], "unknown parameter 'colour'"),
        (["-p", "seed=abc"], "-p seed='abc' is not a valid int"),
        (["-p", "seed"], "expected NAME=VALUE"),
        (["--profile", "huge"], "invalid choice"),
    ],
)
def test_when_input_is_bad_then_exit_two_with_one_line_and_nothing_written(
    workbook: Path,
    arguments: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = notebook_files(workbook)

    assert main(["notebooks", "run", *arguments]) == 2

    error = capsys.readouterr().err
    assert message in error
    assert error.count("\n") == 1
    assert notebook_files(workbook) == before
    assert not (workbook / "runs").exists()


def test_when_a_notebook_is_not_json_then_exit_two_names_it(
    workbook: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workbook / "notebooks" / "02_corrupt.ipynb").write_text("{ not json")

    assert main(["notebooks", "run", "1"]) == 2

    error = capsys.readouterr().err
    assert "02_corrupt.ipynb is not valid notebook JSON" in error
    assert error.count("\n") == 1


def test_when_out_is_inside_notebooks_then_run_is_refused(
    workbook: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = workbook / "notebooks" / "runs"

    assert main(["notebooks", "run", "--out", str(target)]) == 2

    assert "never run in place" in capsys.readouterr().err
    assert not target.exists()
