"""Data handling: rows and columns that change without anyone noticing.

D01 silent row drop, D02 columns or dtypes not pinned at load.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from toolkit.doctor.findings import Finding
from toolkit.doctor.flow import Facts, base_name, call_name, keyword
from toolkit.doctor.rules import rule

COUNTED = re.compile(r"(len\(|\.shape|assert |log\w*\.|print\(|warn)")
UNPINNED_LOADERS = frozenset({"read_csv", "read_excel", "read_table", "read_json"})


def _counted_nearby(facts: Facts, line: int) -> bool:
    """True when the rows are counted or checked within two lines either side."""
    lines = facts.unit.lines
    window = lines[max(0, line - 3) : line + 2]
    return any(COUNTED.search(text) for text in window)


@rule("D01")
def silent_row_drop(facts: Facts) -> Iterator[Finding]:
    """dropna, inner merges, coercion and filters that lose rows unreported."""
    for node in ast.walk(facts.unit.tree):
        if not isinstance(node, ast.Assign) or len(node.targets) != 1:
            continue
        value = node.value
        name = call_name(value)
        owner = base_name(node.targets[0])
        if owner not in facts.data_names or _counted_nearby(facts, node.lineno):
            continue
        assert isinstance(node.targets[0], ast.expr)
        message = None
        if name == "dropna" and isinstance(value, ast.Call):
            message = "dropna() removes every row with any missing value, uncounted"
        elif name == "merge" and isinstance(value, ast.Call):
            how = keyword(value, "how")
            if how is None or (isinstance(how, ast.Constant) and how.value == "inner"):
                message = "an inner merge drops rows without a match, uncounted"
        elif name in {"to_numeric", "to_datetime"} and isinstance(value, ast.Call):
            errors = keyword(value, "errors")
            if isinstance(errors, ast.Constant) and errors.value == "coerce":
                message = (
                    f"{name}(errors='coerce') turns unparseable values into "
                    "missing ones without counting them"
                )
        elif (
            isinstance(value, ast.Subscript)
            and isinstance(node.targets[0], ast.Name)
            and base_name(value) == owner
            and isinstance(value.slice, ast.Compare | ast.BoolOp | ast.UnaryOp)
        ):
            message = "a filter replaces the frame and the dropped rows are uncounted"
        if message:
            yield Finding("D01", node.lineno, message)


@rule("D02")
def unpinned_load(facts: Facts) -> Iterator[Finding]:
    """A text file read with neither dtype= nor a schema check right after."""
    for event in facts.of_kind("load"):
        if event.method not in UNPINNED_LOADERS:
            continue
        if keyword(event.node, "dtype") is not None:
            continue
        if any(
            call_name(node) in {"validate", "astype"}
            for node in ast.walk(facts.unit.tree)
            if isinstance(node, ast.Call) and 0 < node.lineno - event.line <= 2
        ):
            continue
        yield Finding(
            "D02",
            event.line,
            f"{event.method} guesses columns and dtypes from the file: a changed "
            "export silently changes the features",
        )
