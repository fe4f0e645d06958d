"""Robustness: failures hidden, and scripts tied to one machine.

X01 swallowed exceptions, I01 hard-coded absolute or user-specific paths.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from toolkit.doctor.catalog import ERROR
from toolkit.doctor.findings import Finding
from toolkit.doctor.flow import Facts, call_name
from toolkit.doctor.rules import rule

ABSOLUTE_PATH = re.compile(
    r"^(/(home|Users|root|mnt|data|opt|srv|var|media)/[^\s]+|[A-Za-z]:[\\/][^\s]+|"
    r"~[\w.-]*/[^\s]+)$"
)
BROAD = frozenset({"Exception", "BaseException"})


def _swallows(handler: ast.ExceptHandler) -> bool:
    body = handler.body
    return all(
        isinstance(statement, ast.Pass | ast.Continue)
        or (
            isinstance(statement, ast.Expr)
            and isinstance(statement.value, ast.Constant)
        )
        for statement in body
    )


@rule("X01")
def swallowed_exception(facts: Facts) -> Iterator[Finding]:
    """``except:`` or ``except Exception:`` whose body does nothing."""
    for node in ast.walk(facts.unit.tree):
        if not isinstance(node, ast.ExceptHandler) or not _swallows(node):
            continue
        caught = ast.unparse(node.type) if node.type is not None else None
        if caught is None or caught in BROAD:
            yield Finding(
                "X01",
                node.lineno,
                f"'except{' ' + caught if caught else ''}: pass' hides every error, "
                "so a failed step looks like a successful one",
                severity=ERROR if caught is None else "",
            )


@rule("I01")
def hard_coded_path(facts: Facts) -> Iterator[Finding]:
    """A literal path under a home folder, a drive letter or a mount."""
    for node in ast.walk(facts.unit.tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if ABSOLUTE_PATH.match(node.value):
                yield Finding(
                    "I01",
                    node.lineno,
                    f"'{node.value}' only exists on one machine",
                )
        elif call_name(node) == "home" and isinstance(node, ast.Call):
            yield Finding(
                "I01", node.lineno, "Path.home() ties the script to one user's files"
            )
