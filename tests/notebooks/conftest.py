"""A throwaway workbook with small notebooks, one per behaviour of the runner."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest

PARAMETERS = (
    "seed: int = 7  # random seed\n"
    "n_rows: int = 100  # rows to generate\n"
    "label: str = 'full'  # a free-text label\n"
    'workdir: str = "../runs/workspace/01_tiny"  # where artifacts are written'
)


def make_notebook(path: Path, body: str, parameters: str = PARAMETERS) -> Path:
    """Write a notebook with a parameters cell and one code cell."""
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    notebook.metadata["workbook"] = {"profiles": {"ci": {"n_rows": 5, "label": "ci"}}}
    parameters_cell = nbformat.v4.new_code_cell(parameters)
    parameters_cell.metadata["tags"] = ["parameters"]
    notebook.cells = [
        nbformat.v4.new_markdown_cell(f"# {path.stem.split('_', 1)[1].title()}"),
        parameters_cell,
        nbformat.v4.new_code_cell(body),
    ]
    nbformat.write(notebook, path)
    return path


@pytest.fixture
def workbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workbook root with one notebook that writes its parameters to workdir."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'fixture'\n")
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    make_notebook(
        notebooks / "01_tiny.ipynb",
        "import json, pathlib\n"
        "out = pathlib.Path(workdir); out.mkdir(parents=True, exist_ok=True)\n"
        "(out / 'seen.json').write_text(json.dumps([seed, n_rows, label]))\n",
    )
    monkeypatch.setenv("PIPELINE_WORKBOOK_ROOT", str(tmp_path))
    return tmp_path


@pytest.fixture
def add_notebook(workbook: Path) -> Callable[[str, str], Path]:
    """Add another notebook to the throwaway workbook."""

    def add(name: str, body: str) -> Path:
        return make_notebook(workbook / "notebooks" / name, body)

    return add
