"""Where the workbook lives: its root, notebooks, runs and the progress file.

The root is the folder holding ``pyproject.toml`` and ``notebooks/``. It is found by
``PIPELINE_WORKBOOK_ROOT`` when set, else by walking up from the current directory,
else from this package's own location (an editable install inside the checkout).
"""

from __future__ import annotations

import os
from pathlib import Path

from toolkit.errors import UserInputError, explain

ROOT_VARIABLE = "PIPELINE_WORKBOOK_ROOT"
PROGRESS_VARIABLE = "PIPELINE_WORKBOOK_PROGRESS"


def _looks_like_root(folder: Path) -> bool:
    return (folder / "pyproject.toml").is_file() and (folder / "notebooks").is_dir()


def workbook_root() -> Path:
    """Return the workbook's root folder.

    Raises:
        UserInputError: if no folder holds ``pyproject.toml`` and ``notebooks/``.
    """
    configured = os.environ.get(ROOT_VARIABLE)
    if configured:
        root = Path(configured).expanduser().resolve()
        if not _looks_like_root(root):
            raise UserInputError(
                explain(
                    f"{ROOT_VARIABLE}={configured} lacks pyproject.toml or notebooks/",
                    "the folder of a Pipeline Workbook checkout",
                    f"unset {ROOT_VARIABLE} or point it at your checkout",
                )
            )
        return root

    for folder in [Path.cwd(), *Path.cwd().parents]:
        if _looks_like_root(folder):
            return folder

    package_parent = Path(__file__).resolve().parent.parent
    if _looks_like_root(package_parent):
        return package_parent

    raise UserInputError(
        explain(
            f"no workbook found above {Path.cwd()}",
            "to run inside a Pipeline Workbook checkout",
            f"cd into the checkout or set {ROOT_VARIABLE}",
        )
    )


def notebooks_dir() -> Path:
    """Return the folder holding the workbook's notebooks."""
    return workbook_root() / "notebooks"


def runs_dir() -> Path:
    """Return the folder where executed notebooks and reports are written."""
    return workbook_root() / "runs"


def progress_file() -> Path:
    """Return the learner's progress file (``PIPELINE_WORKBOOK_PROGRESS`` overrides)."""
    configured = os.environ.get(PROGRESS_VARIABLE)
    if configured:
        return Path(configured).expanduser()
    return workbook_root() / ".workbook" / "progress.json"
