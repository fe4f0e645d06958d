"""Pandas pitfalls: code that runs but does not do what it says.

P01 chained assignment, P02 NaN compared with ``==``, P03 result of a pandas
operation discarded.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from toolkit.doctor.findings import Finding
from toolkit.doctor.flow import Facts, base_name, call_name, keyword
from toolkit.doctor.rules import rule

INDEXERS = frozenset({"loc", "iloc", "at", "iat"})
NOT_IN_PLACE = frozenset(
    {
        "drop_duplicates", "dropna", "fillna", "drop", "rename", "sort_values",
        "sort_index", "reset_index", "set_index", "astype", "replace", "merge",
        "assign", "reindex", "clip", "round", "abs", "interpolate", "ffill", "bfill",
        "query", "where", "mask", "strip", "lower", "upper", "to_datetime",
        "to_numeric",
    }
)  # fmt: skip
NAN_SPELLINGS = frozenset({"np.nan", "numpy.nan", "math.nan", "pd.NA", "np.NaN"})


@rule("P01")
def chained_assignment(facts: Facts) -> Iterator[Finding]:
    """``df["a"][mask] = v`` or ``df[mask]["a"] = v``: writes to a temporary copy."""
    for node in ast.walk(facts.unit.tree):
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign):
            targets = [node.target]
        else:
            continue
        for target in targets:
            if not isinstance(target, ast.Subscript):
                continue
            inner = target.value
            if isinstance(inner, ast.Attribute) and inner.attr not in INDEXERS:
                inner_is_frame = isinstance(inner.value, ast.Name)
            elif isinstance(inner, ast.Subscript):
                key = inner.slice
                inner_is_frame = not (
                    isinstance(key, ast.Constant) and isinstance(key.value, int)
                )  # rows[0]["a"] indexes a list of records
            else:
                continue
            if not inner_is_frame or base_name(inner) not in facts.data_names:
                continue
            yield Finding(
                "P01",
                node.lineno,
                f"'{ast.unparse(target)} = ...' assigns into an intermediate "
                "object; with copy-on-write (pandas 3) the frame is never changed",
                repairable=isinstance(inner, ast.Subscript),
            )


def _is_nan(node: ast.expr) -> bool:
    if ast.unparse(node) in NAN_SPELLINGS:
        return True
    return (
        call_name(node) == "float"
        and isinstance(node, ast.Call)
        and bool(node.args)
        and isinstance(node.args[0], ast.Constant)
        and str(node.args[0].value).lower() == "nan"
    )


@rule("P02")
def nan_equality(facts: Facts) -> Iterator[Finding]:
    """``x == np.nan`` is always False, ``x != np.nan`` always True."""
    for node in ast.walk(facts.unit.tree):
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            operands = [node.left, node.comparators[0]]
            if isinstance(node.ops[0], ast.Eq | ast.NotEq) and any(
                _is_nan(operand) for operand in operands
            ):
                yield Finding(
                    "P02",
                    node.lineno,
                    f"'{ast.unparse(node)}' never matches a missing value: NaN is "
                    "not equal to anything, itself included",
                    repairable=True,
                )
        elif (
            isinstance(node, ast.Call)
            and call_name(node) in {"eq", "ne"}
            and node.args
            and _is_nan(node.args[0])
        ):
            yield Finding(
                "P02",
                node.lineno,
                f"'{ast.unparse(node)}' never matches a missing value",
            )


def _last_in_cell(facts: Facts, statement: ast.stmt) -> bool:
    cell = facts.unit.cell_of(statement.lineno)
    if cell is None:
        return False
    end = statement.end_lineno or statement.lineno
    return all(
        not line.strip() or line.lstrip().startswith("#")
        for line in facts.unit.lines[end : cell.last_line]
    )


@rule("P03")
def discarded_result(facts: Facts) -> Iterator[Finding]:
    """A pandas method that returns a new object, called as a statement."""
    for node in ast.walk(facts.unit.tree):
        if not isinstance(node, ast.Expr) or not isinstance(node.value, ast.Call):
            continue
        call = node.value
        name = call_name(call)
        if name not in NOT_IN_PLACE or not isinstance(call.func, ast.Attribute):
            continue
        inplace = keyword(call, "inplace")
        if isinstance(inplace, ast.Constant) and inplace.value is True:
            continue
        if base_name(call.func.value) not in facts.data_names:
            continue
        if _last_in_cell(facts, node):
            continue  # a notebook displays the value of a cell's last line
        yield Finding(
            "P03",
            node.lineno,
            f"{name}() returns a new object and this line throws it away: the "
            "frame is unchanged",
            repairable=True,
        )
