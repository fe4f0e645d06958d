"""Keep committed notebooks clean: no outputs, no execution counts, tags kept.

``python -m toolkit.notebooks.clean notebooks/*.ipynb`` strips the given notebooks in
place (atomically); the test suite fails when a committed notebook is not clean.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from toolkit.io import atomic_write_text

VOLATILE_METADATA = ("execution", "collapsed", "scrolled", "papermill")


def dirty_cells(document: dict[str, Any]) -> list[int]:
    """Return the indexes of code cells that carry outputs or execution counts."""
    return [
        index
        for index, cell in enumerate(document.get("cells", []))
        if cell.get("cell_type") == "code"
        and (cell.get("outputs") or cell.get("execution_count") is not None)
    ]


def strip(document: dict[str, Any]) -> dict[str, Any]:
    """Return ``document`` without outputs, execution counts or run metadata."""
    for cell in document.get("cells", []):
        metadata = cell.get("metadata", {})
        for key in VOLATILE_METADATA:
            metadata.pop(key, None)
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    document.get("metadata", {}).pop("papermill", None)
    return document


def strip_file(path: Path) -> bool:
    """Strip one notebook file in place; return whether it changed."""
    original = path.read_text(encoding="utf-8")
    cleaned = json.dumps(strip(json.loads(original)), indent=1, ensure_ascii=False)
    cleaned += "\n"
    if cleaned == original:
        return False
    atomic_write_text(path, cleaned)
    return True


def main(paths: list[str]) -> int:
    """Strip every notebook named on the command line."""
    for name in paths:
        if strip_file(Path(name)):
            print(f"stripped {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
