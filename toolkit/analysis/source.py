"""Read a Python script or a Jupyter notebook into one parsed unit of code.

Both the migrator and the doctor start here, so bad input is refused the same way
everywhere: a path that does not exist, a folder, an empty file, a binary file, text
that is not UTF-8, a notebook that is not valid JSON, or code that does not parse.

A notebook becomes one script: its code cells in order, separated by a blank line.
IPython-only lines (``%magic``, ``!shell``) are kept as comments so line numbers stay
true. Every line of the combined code maps back to its cell and its line in that cell,
and each cell remembers the Markdown headings that stood before it, which the
migrator uses as step boundaries.
"""

from __future__ import annotations

import ast
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.errors import UserInputError, explain

log = logging.getLogger(__name__)

SCRIPT = "script"
NOTEBOOK = "notebook"


@dataclass(frozen=True)
class CellSpan:
    """Where one notebook code cell sits in the combined code (1-based lines)."""

    index: int
    first_line: int
    last_line: int
    headings: tuple[str, ...] = ()


@dataclass(frozen=True)
class SourceUnit:
    """A parsed script or notebook, with a map from its lines back to cells."""

    path: Path
    kind: str
    text: str
    tree: ast.Module
    cells: tuple[CellSpan, ...] = field(default_factory=tuple)

    @property
    def lines(self) -> list[str]:
        """The code's lines, without line endings."""
        return self.text.splitlines()

    def cell_of(self, line: int) -> CellSpan | None:
        """Return the notebook cell holding ``line`` (None for a script)."""
        for cell in self.cells:
            if cell.first_line <= line <= cell.last_line:
                return cell
        return None

    def location(self, line: int) -> str:
        """Describe ``line`` for a user: ``line 12`` or ``cell 3, line 2``."""
        cell = self.cell_of(line)
        if cell is None:
            return f"line {line}"
        return f"cell {cell.index}, line {line - cell.first_line + 1}"


def _refuse(path: Path, found: str, expected: str, try_: str) -> UserInputError:
    return UserInputError(explain(f"{path}: {found}", expected, try_))


def _read_text(path: Path) -> str:
    if not path.exists():
        raise _refuse(
            path, "no such file", "a Python script or notebook", "checking the path"
        )
    if path.is_dir():
        raise _refuse(
            path, "is a folder", "a single .py or .ipynb file", "naming one file in it"
        )
    data = path.read_bytes()
    if b"\x00" in data:
        raise _refuse(
            path, "is a binary file", "Python source text", "naming the .py file"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _refuse(
            path,
            f"is not UTF-8 (byte {error.start})",
            "UTF-8 Python source",
            "re-saving the file as UTF-8",
        ) from error
    if not text.strip():
        raise _refuse(path, "is empty", "some Python code", "naming another file")
    return text


def _code_from_notebook(path: Path, text: str) -> tuple[str, tuple[CellSpan, ...]]:
    try:
        document = json.loads(text)
        cells = document["cells"]
    except (json.JSONDecodeError, KeyError, TypeError) as error:
        raise _refuse(
            path,
            "is not valid notebook JSON",
            "a Jupyter notebook (nbformat 4)",
            "opening and re-saving it in JupyterLab",
        ) from error

    chunks: list[str] = []
    spans: list[CellSpan] = []
    pending_headings: list[str] = []
    next_line = 1
    for index, cell in enumerate(cells):
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        if cell.get("cell_type") == "markdown":
            pending_headings.extend(
                line.lstrip("#").strip()
                for line in source.splitlines()
                if line.startswith("#")
            )
            continue
        if cell.get("cell_type") != "code" or not source.strip():
            continue

        code_lines = [
            f"# {line}" if line.lstrip().startswith(("%", "!")) else line
            for line in source.splitlines()
        ]
        spans.append(
            CellSpan(
                index=index,
                first_line=next_line,
                last_line=next_line + len(code_lines) - 1,
                headings=tuple(pending_headings),
            )
        )
        pending_headings = []
        chunks.append("\n".join(code_lines))
        next_line += len(code_lines) + 1  # the blank line between cells

    return "\n\n".join(chunks) + "\n", tuple(spans)


def load_source(path: str | Path) -> SourceUnit:
    """Read and parse a script (``.py``) or a notebook (``.ipynb``).

    Raises:
        UserInputError: for any input that is not parseable Python, in one line.
    """
    path = Path(path)
    text = _read_text(path)

    kind: str = SCRIPT
    cells: tuple[CellSpan, ...] = ()
    if path.suffix == ".ipynb":
        kind = NOTEBOOK
        text, cells = _code_from_notebook(path, text)

    try:
        tree = ast.parse(text, filename=str(path))
    except SyntaxError as error:
        unit = SourceUnit(path, kind, text, ast.Module(body=[], type_ignores=[]), cells)
        where = unit.location(error.lineno or 0)
        raise _refuse(
            path,
            f"does not parse ({error.msg} at {where})",
            "valid Python 3 code",
            "running 'python -m py_compile' on it and fixing the line",
        ) from error
    return SourceUnit(path, kind, text, tree, cells)
