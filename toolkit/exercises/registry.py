"""Every exercise of the workbook, collected from ``toolkit/exercises/nbNN.py``.

Each ``nbNN`` module defines ``EXERCISES``, a tuple of :class:`Exercise`. Ids are
``"NN.K"``: notebook NN, exercise K.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from functools import cache

from toolkit.errors import UserInputError, explain
from toolkit.exercises.core import Exercise

MODULE_PATTERN = re.compile(r"^nb(\d\d)$")
ID_PATTERN = re.compile(r"^(\d\d)\.(\d+)$")


@cache
def all_exercises() -> dict[str, Exercise]:
    """Return every exercise by id, in notebook then exercise order."""
    package = importlib.import_module("toolkit.exercises")
    found: dict[str, Exercise] = {}
    for module_info in sorted(pkgutil.iter_modules(package.__path__), key=str):
        match = MODULE_PATTERN.match(module_info.name)
        if not match:
            continue
        module = importlib.import_module(f"toolkit.exercises.{module_info.name}")
        for exercise in module.EXERCISES:
            id_match = ID_PATTERN.match(exercise.id)
            if not id_match or id_match.group(1) != match.group(1):
                raise ValueError(
                    f"exercise id {exercise.id!r} in {module_info.name} must be "
                    f"'{match.group(1)}.K'"
                )
            if exercise.id in found:
                raise ValueError(f"exercise id {exercise.id!r} is declared twice")
            found[exercise.id] = exercise
    return dict(sorted(found.items(), key=lambda item: _sort_key(item[0])))


def _sort_key(exercise_id: str) -> tuple[int, int]:
    section, number = exercise_id.split(".")
    return int(section), int(number)


def _zero_padded(exercise_id: str) -> str:
    """Accept ``1.5`` for ``01.5``: section numbers are two digits."""
    section, dot, number = str(exercise_id).strip().partition(".")
    if dot and section.isdigit() and len(section) == 1:
        return f"0{section}.{number}"
    return str(exercise_id).strip()


def get_exercise(exercise_id: str) -> Exercise:
    """Return one exercise by id.

    Raises:
        UserInputError: naming the known ids of that notebook when the id is unknown.
    """
    exercises = all_exercises()
    padded = _zero_padded(exercise_id)
    if padded in exercises:
        return exercises[padded]
    section = padded.split(".")[0]
    siblings = [key for key in exercises if key.startswith(f"{section}.")]
    raise UserInputError(
        explain(
            f"unknown exercise id {exercise_id!r}",
            f"one of {', '.join(siblings) or 'the ids listed by toolkit check'}",
            "copying the id from the exercise's heading",
        )
    )
