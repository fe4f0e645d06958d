"""The toolkit's layers: the command line sits on top and nothing imports it.

Core packages return data and never reach up into ``toolkit.cli``; generated code
never imports ``toolkit`` at all (tested in tests/migrate).
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "toolkit"
CORE_MODULES = sorted(
    path
    for path in PACKAGE.rglob("*.py")
    if "cli" not in path.relative_to(PACKAGE).parts
    and path.name != "__main__.py"
    and "templates" not in path.parts
)


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize(
    "path", CORE_MODULES, ids=lambda p: str(p.relative_to(PACKAGE))
)
def test_core_module_does_not_import_the_command_line(path: Path) -> None:
    upward = {m for m in _imported_modules(path) if m.startswith("toolkit.cli")}

    assert not upward, f"{path.name} imports {sorted(upward)}"
