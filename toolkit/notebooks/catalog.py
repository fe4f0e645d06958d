"""The workbook's notebooks: which there are, their titles, parameters and profiles.

A notebook is ``notebooks/NN_name.ipynb``; NN is its roadmap section. Its title is its
first Markdown heading. Its parameters are read with papermill's own inspection of the
cell tagged ``parameters`` (``name: type = default  # description``). Its run profiles
live in the notebook's metadata as ``workbook.profiles.<profile>``: parameter values
that replace the defaults, e.g. ``{"ci": {"n_rows": 2000}}``. The ``full`` profile is
the defaults themselves.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.errors import UserInputError, explain
from toolkit.paths import notebooks_dir

log = logging.getLogger(__name__)

NOTEBOOK_PATTERN = re.compile(r"^(\d\d)_([a-z0-9_]+)\.ipynb$")
PROFILES = ("ci", "full")


@dataclass(frozen=True)
class Parameter:
    """One parameter of a notebook's ``parameters`` cell."""

    name: str
    type: str
    default: str
    description: str


@dataclass(frozen=True)
class NotebookInfo:
    """What the workbook knows about one notebook without running it."""

    section: int
    name: str
    path: Path
    title: str
    parameters: tuple[Parameter, ...]
    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)

    def parameter(self, name: str) -> Parameter | None:
        """Return the parameter called ``name``, if the notebook declares one."""
        return next((p for p in self.parameters if p.name == name), None)

    def profile_values(self, profile: str) -> dict[str, Any]:
        """Return the parameter values a profile sets (empty for ``full``)."""
        return dict(self.profiles.get(profile, {}))


def read_notebook_json(path: Path) -> dict[str, Any]:
    """Read a notebook file as JSON.

    Raises:
        UserInputError: if the file is not valid notebook JSON.
    """
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UserInputError(
            explain(
                f"{path} is not valid notebook JSON ({error})",
                "a Jupyter notebook saved by JupyterLab",
                f"'git checkout -- {path.name}' to restore the committed one",
            )
        ) from error
    if not isinstance(document, dict) or "cells" not in document:
        raise UserInputError(
            explain(
                f"{path} has no 'cells'",
                "a Jupyter notebook (nbformat 4)",
                f"'git checkout -- {path.name}' to restore the committed one",
            )
        )
    return document


def _title(document: dict[str, Any], fallback: str) -> str:
    for cell in document["cells"]:
        if cell.get("cell_type") != "markdown":
            continue
        for line in "".join(cell.get("source", "")).splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    return fallback


def _parameters(path: Path) -> tuple[Parameter, ...]:
    import papermill

    inspected = papermill.inspect_notebook(str(path))
    return tuple(
        Parameter(
            name=name,
            type=str(spec.get("inferred_type_name") or "None"),
            default=str(spec.get("default")),
            description=str(spec.get("help") or ""),
        )
        for name, spec in inspected.items()
    )


def load_notebook(path: Path) -> NotebookInfo:
    """Describe one notebook file."""
    match = NOTEBOOK_PATTERN.match(path.name)
    if not match:
        raise UserInputError(
            explain(
                f"notebook name {path.name!r}",
                "NN_name.ipynb with a two-digit section number",
                "renaming the file",
            )
        )
    document = read_notebook_json(path)
    profiles = document.get("metadata", {}).get("workbook", {}).get("profiles", {})
    return NotebookInfo(
        section=int(match.group(1)),
        name=path.stem,
        path=path,
        title=_title(document, path.stem),
        parameters=_parameters(path),
        profiles=profiles,
    )


def discover(folder: Path | None = None) -> list[NotebookInfo]:
    """Describe every workbook notebook, in section order."""
    folder = folder or notebooks_dir()
    paths = sorted(
        path for path in folder.glob("*.ipynb") if NOTEBOOK_PATTERN.match(path.name)
    )
    return [load_notebook(path) for path in paths]


def select(notebooks: list[NotebookInfo], selectors: list[str]) -> list[NotebookInfo]:
    """Pick notebooks by section number (``3``, ``03``) or name (``03_ml_…``).

    Raises:
        UserInputError: naming the selector that matches no notebook.
    """
    if not selectors:
        return notebooks
    chosen: list[NotebookInfo] = []
    for selector in selectors:
        matches = [
            notebook
            for notebook in notebooks
            if selector in (notebook.name, notebook.path.name)
            or (selector.isdigit() and int(selector) == notebook.section)
        ]
        if not matches:
            available = ", ".join(f"{n.section:02d}" for n in notebooks) or "none"
            raise UserInputError(
                explain(
                    f"no notebook for section {selector!r}",
                    f"a section number or notebook name (available: {available})",
                    "'toolkit notebooks list'",
                )
            )
        chosen.extend(match for match in matches if match not in chosen)
    return sorted(chosen, key=lambda notebook: notebook.section)
