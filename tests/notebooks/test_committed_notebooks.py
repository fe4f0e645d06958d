"""The committed notebooks follow the workbook's conventions (notebooks/README.md)."""

import json
from pathlib import Path

import pytest

from toolkit.notebooks.catalog import discover
from toolkit.notebooks.clean import dirty_cells

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_the_workbook_has_notebooks() -> None:
    assert NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(path: Path) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))

    assert dirty_cells(document) == [], "run 'make strip' before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_one_parameters_cell_with_typed_described_values(
    path: Path,
) -> None:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    tagged = [c for c in cells if "parameters" in c["metadata"].get("tags", [])]
    assert len(tagged) == 1

    info = next(n for n in discover(ROOT / "notebooks") if n.path == path)
    names = {p.name for p in info.parameters}
    assert {"seed", "workdir"} <= names
    assert len(names) >= 3, "a size knob is expected beside seed and workdir"
    for parameter in info.parameters:
        assert parameter.type != "None", f"{parameter.name} has no type annotation"
        assert parameter.description, f"{parameter.name} has no trailing comment"
    assert info.profiles.get("ci"), "metadata.workbook.profiles.ci is missing"
    assert set(info.profiles["ci"]) <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_opens_with_goals_and_ends_with_a_recap(path: Path) -> None:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    first = "".join(cells[0]["source"])
    last_markdown = "".join(
        next(c for c in reversed(cells) if c["cell_type"] == "markdown")["source"]
    )

    assert cells[0]["cell_type"] == "markdown"
    assert first.startswith(f"# {path.name[:2]}")
    assert "goal" in first.lower()
    assert "recap" in last_markdown.lower()
