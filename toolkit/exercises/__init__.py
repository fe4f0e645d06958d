"""What a notebook imports to check exercises: ``check``, ``hint`` and ``solution``.

Example, in a notebook cell::

    from toolkit.exercises import check, hint, solution

    def topological_order(graph):
        raise NotImplementedError  # your code here

    check("01.3", topological_order)
"""

from __future__ import annotations

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


def check(exercise_id: str, answer: Any, record: bool = True) -> CheckResult:
    """Check ``answer`` for exercise ``exercise_id`` and record the outcome.

    Args:
        exercise_id: The id shown in the exercise's heading, e.g. ``"01.3"``.
        answer: The learner's function or value.
        record: Whether to write the outcome to the progress file.

    Returns:
        The result; a notebook shows it as a coloured box.
    """
    exercise = get_exercise(exercise_id)
    result = evaluate(exercise, answer)
    if record:
        try:
            record_outcome(exercise.id, result.status, result.checked_at)
        except (UserInputError, OSError) as error:
            warnings.warn(f"outcome not recorded: {error}", stacklevel=2)
    return result


def hint(exercise_id: str) -> str:
    """Return the next hint for an exercise; each call goes one tier deeper."""
    exercise = get_exercise(exercise_id)
    tier = min(_hints_shown[exercise_id], len(exercise.hints) - 1)
    _hints_shown[exercise_id] += 1
    text = exercise.hints[tier]
    more = "" if tier == len(exercise.hints) - 1 else " (call hint again for more)"
    print(f"Hint {tier + 1}/{len(exercise.hints)} for {exercise_id}: {text}{more}")
    return text


def solution(exercise_id: str) -> str:
    """Print and return the reference solution's source (only when asked)."""
    exercise = get_exercise(exercise_id)
    source = textwrap.dedent(inspect.getsource(exercise.reference))
    print(f"Reference solution for {exercise_id} ({exercise.title}):\n\n{source}")
    return source
