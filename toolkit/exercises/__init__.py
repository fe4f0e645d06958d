"""What a notebook imports to check exercises: ``check``, ``hint`` and ``solution``.

Example, in a notebook cell::

    from toolkit.exercises import check, hint, solution

    def topological_order(graph):
        raise NotImplementedError  # your code here

    check("01.3", topological_order)
"""

from __future__ import annotations

import ast
import inspect
import logging
import textwrap
import warnings
from collections import Counter
from typing import Any

from toolkit.errors import UserInputError
from toolkit.exercises.core import (
    FAILED,
    NOT_DONE,
    PASSED,
    CheckResult,
    Exercise,
    Mismatch,
    evaluate,
)
from toolkit.exercises.progress_store import load_progress, record_outcome
from toolkit.exercises.registry import all_exercises, get_exercise

__all__ = [
    "FAILED",
    "NOT_DONE",
    "PASSED",
    "CheckResult",
    "Exercise",
    "Mismatch",
    "all_exercises",
    "check",
    "evaluate",
    "get_exercise",
    "hint",
    "load_progress",
    "solution",
]

log = logging.getLogger(__name__)

_hints_shown: Counter[str] = Counter()


def check(exercise_id: str, answer: Any, record: bool = True) -> CheckResult | None:
    """Check ``answer`` for exercise ``exercise_id`` and record the outcome.

    Args:
        exercise_id: The id shown in the exercise's heading, e.g. ``"01.3"``.
        answer: The learner's function or value.
        record: Whether to write the outcome to the progress file.

    Returns:
        The result, which a notebook shows as a coloured box; None (after a one-line
        message) when the id is unknown.
    """
    exercise = _find(exercise_id)
    if exercise is None:
        return None

    result = evaluate(exercise, answer)
    if result.hint:
        _hints_shown[exercise.id] = max(_hints_shown[exercise.id], 1)
    if record:
        try:
            record_outcome(exercise.id, result.status, result.checked_at)
        except (UserInputError, OSError) as error:
            warnings.warn(f"outcome not recorded: {error}", stacklevel=2)
    return result


def hint(exercise_id: str) -> None:
    """Print the next hint for an exercise, one tier deeper each call.

    The check already shows the first hint, so after a check the next call starts at
    the second.
    """
    exercise = _find(exercise_id)
    if exercise is None:
        return

    tier = min(_hints_shown[exercise.id], len(exercise.hints) - 1)
    _hints_shown[exercise.id] = tier + 1
    last = tier == len(exercise.hints) - 1
    more = (
        f'that is the last hint; solution("{exercise.id}") shows the reference'
        if last
        else "call hint again for more"
    )
    print(
        f"Hint {tier + 1}/{len(exercise.hints)} for {exercise.id}: "
        f"{exercise.hints[tier]}\n({more})"
    )


def solution(exercise_id: str) -> None:
    """Print the reference solution (only when asked)."""
    exercise = _find(exercise_id)
    if exercise is None:
        return
    print(
        f"Reference solution for {exercise.id} ({exercise.title}):\n\n"
        f"{reference_source(exercise)}"
    )


def reference_source(exercise: Exercise) -> str:
    """Return the reference answer's code as a learner would write it.

    A reference is a zero-argument function returning the answer. When it defines
    the answer (a function or class) and returns it by name, only the definition is
    shown; when it returns a value, the value is shown as ``answer = ...``.
    """
    source = textwrap.dedent(inspect.getsource(exercise.reference))
    function = ast.parse(source).body[0]
    if not isinstance(function, ast.FunctionDef) or not function.body:
        return source

    body = function.body
    if ast.get_docstring(function) is not None:
        body = body[1:]
    lines = source.splitlines()

    def segment(first: ast.stmt, last: ast.stmt) -> str:
        start = first.lineno - 1
        if getattr(first, "decorator_list", None):
            start = min(d.lineno for d in first.decorator_list) - 1  # type: ignore[attr-defined]
        chunk = lines[start : last.end_lineno or last.lineno]
        return textwrap.dedent("\n".join(chunk)).strip() + "\n"

    final = body[-1] if body else None
    if not isinstance(final, ast.Return) or final.value is None:
        return source

    defined = {
        node.name
        for node in body[:-1]
        if isinstance(node, ast.FunctionDef | ast.ClassDef)
    }
    if isinstance(final.value, ast.Name) and final.value.id in defined:
        return segment(body[0], body[-2]) if len(body) > 1 else source

    returned = textwrap.dedent(
        "\n".join(lines[final.lineno - 1 : final.end_lineno or final.lineno])
    ).strip()
    value = returned.removeprefix("return").strip()
    setup = segment(body[0], body[-2]) if len(body) > 1 else ""
    return f"{setup}answer = {value}\n"


def _find(exercise_id: str) -> Exercise | None:
    """Look an exercise up, printing a one-line message when the id is unknown."""
    try:
        return get_exercise(exercise_id)
    except UserInputError as error:
        print(f"✗ {error}")
        return None
