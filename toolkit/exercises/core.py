"""Exercises and the checks that answer a learner at once.

An exercise is declared once, in ``toolkit/exercises/nbNN.py`` beside the other
exercises of notebook NN, with:

* ``verify(answer)``: raises :class:`Mismatch` saying what was expected and what was
  found (or which property was violated); returns quietly when the answer is right.
* ``hints``: at least two, from a nudge to nearly the answer.
* ``reference``: a zero-argument function returning the reference answer. Its source
  is what :func:`solution` shows, and only when asked.
* ``wrong_answers``: plausible mistakes. The test suite proves every check with them:
  the reference passes, every wrong answer fails with a message naming the exercise.

In the notebook the learner edits a stub and runs ``check("01.2", answer)``. An
answer that is ``None``, ``...`` or raises ``NotImplementedError`` counts as not yet
done, so an untouched notebook still runs top to bottom.
"""

from __future__ import annotations

import html
import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

PASSED = "passed"
FAILED = "failed"
NOT_DONE = "not done"


class Mismatch(Exception):  # noqa: N818 - reads as "check found a mismatch"
    """Raised by a verifier when an answer is wrong.

    Args:
        expected: What a right answer gives (short, printable).
        actual: What this answer gave.
        problem: A property the answer violates, when expected/actual do not apply.
    """

    def __init__(
        self, expected: Any = None, actual: Any = None, problem: str | None = None
    ) -> None:
        self.expected = expected
        self.actual = actual
        self.problem = problem
        super().__init__(self.describe())

    def describe(self) -> str:
        """Say what is wrong in one or two short sentences."""
        if self.problem:
            return self.problem
        return f"expected {self.expected!r}, got {self.actual!r}"


@dataclass(frozen=True)
class Exercise:
    """One exercise of a notebook, with everything needed to check and prove it."""

    id: str
    title: str
    verify: Callable[[Any], None]
    hints: tuple[str, ...]
    reference: Callable[[], Any]
    wrong_answers: tuple[Callable[[], Any], ...] = field(default_factory=tuple)

    @property
    def section(self) -> int:
        """The roadmap section (and notebook number) this exercise belongs to."""
        return int(self.id.split(".")[0])


@dataclass(frozen=True)
class CheckResult:
    """What a check said: rendered as text in a console, as HTML in JupyterLab."""

    exercise_id: str
    title: str
    status: str
    detail: str
    hint: str | None
    checked_at: str

    @property
    def passed(self) -> bool:
        """Whether the answer was right."""
        return self.status == PASSED

    def __str__(self) -> str:
        """Render the result as plain text."""
        mark = {PASSED: "✓", FAILED: "✗", NOT_DONE: "…"}[self.status]
        lines = [f"{mark} Exercise {self.exercise_id} ({self.title}): {self.status}"]
        if self.detail:
            lines.append(f"  {self.detail}")
        if self.hint:
            lines.append(f"  Hint: {self.hint}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        """Show the plain-text rendering (what a notebook prints without HTML)."""
        return str(self)

    def _repr_html_(self) -> str:
        colour = {PASSED: "#1a7f37", FAILED: "#cf222e", NOT_DONE: "#9a6700"}[
            self.status
        ]
        body = html.escape(str(self)).replace("\n", "<br>")
        return (
            f'<div style="border-left:4px solid {colour};padding:4px 8px;'
            f'font-family:monospace">{body}</div>'
        )


def is_unanswered(answer: Any) -> bool:
    """Whether ``answer`` is still the stub a learner starts from."""
    return answer is None or answer is Ellipsis


def evaluate(exercise: Exercise, answer: Any) -> CheckResult:
    """Check ``answer`` against ``exercise`` without recording anything.

    Never raises for a wrong answer: errors raised by the learner's code become a
    failed result naming the exception, so the notebook goes on.
    """
    checked_at = datetime.now(UTC).isoformat(timespec="seconds")
    first_hint = exercise.hints[0] if exercise.hints else None

    def result(status: str, detail: str, hint: str | None) -> CheckResult:
        return CheckResult(
            exercise.id, exercise.title, status, detail, hint, checked_at
        )

    if is_unanswered(answer):
        return result(
            NOT_DONE, "not attempted yet: replace the stub above.", first_hint
        )

    try:
        exercise.verify(answer)
    except NotImplementedError:
        return result(NOT_DONE, "not attempted yet: finish the stub above.", first_hint)
    except Mismatch as mismatch:
        return result(FAILED, mismatch.describe(), first_hint)
    except Exception as error:  # the learner's code failed: show where, go on
        frame = _learner_frame(error)
        detail = (
            f"your code raised {type(error).__name__}: {error} "
            f"(line {frame.lineno} of {frame.name})"
        )
        return result(FAILED, detail, first_hint)

    return result(PASSED, "", None)


def _learner_frame(error: BaseException) -> traceback.FrameSummary:
    """Return the deepest frame of ``error`` that is the learner's own code.

    Frames inside installed libraries (pandas, numpy, ...) and inside the toolkit's
    checks are skipped, so a crash deep in pandas is reported at the learner's line
    that called it. Falls back to the deepest frame.
    """
    frames = traceback.extract_tb(error.__traceback__)
    package_folder = str(Path(__file__).resolve().parent.parent)
    learner_frames = [
        frame
        for frame in frames
        if "site-packages" not in frame.filename
        and not frame.filename.startswith(package_folder)
        and not frame.filename.startswith("<frozen")
    ]
    return (learner_frames or frames)[-1]
