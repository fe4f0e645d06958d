"""The learner's local progress file: one record per exercise, written atomically.

Layout (JSON)::

    {"version": 1,
     "exercises": {"01.2": {"status": "passed", "last_checked": "...",
                            "first_passed": "...", "attempts": 3}}}

``first_passed`` stays set once an exercise has passed, so progress is never lost by a
later failed attempt. Concurrent writers (notebooks run in parallel) take an exclusive
lock on a sibling ``.lock`` file for the read-modify-write. A file that cannot be read
is reported, never silently reset.
"""

from __future__ import annotations

import fcntl
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from toolkit.errors import UserInputError, explain
from toolkit.io import atomic_write_json
from toolkit.paths import progress_file

log = logging.getLogger(__name__)

FORMAT_VERSION = 1


@dataclass
class ExerciseRecord:
    """The recorded outcome of one exercise."""

    status: str
    last_checked: str
    first_passed: str | None = None
    attempts: int = 0

    @property
    def ever_passed(self) -> bool:
        """Whether the exercise has passed at least once."""
        return self.first_passed is not None


def _parse(path: Path, text: str) -> dict[str, ExerciseRecord]:
    try:
        document = json.loads(text)
        if document.get("version") != FORMAT_VERSION:
            raise ValueError(f"version {document.get('version')!r}")
        return {
            exercise_id: ExerciseRecord(**record)
            for exercise_id, record in document["exercises"].items()
        }
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        raise UserInputError(
            explain(
                f"progress file {path} is corrupt ({type(error).__name__}: {error})",
                f"a JSON progress file of version {FORMAT_VERSION}",
                "fix it by hand or move it aside; checks then start a new one",
            )
        ) from error


def load_progress(path: Path | None = None) -> dict[str, ExerciseRecord]:
    """Read every recorded outcome; an absent file means no progress yet.

    Raises:
        UserInputError: if the file exists but is not a valid progress file.
    """
    path = path or progress_file()
    if not path.exists():
        return {}
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UserInputError(
            explain(
                f"progress file {path} cannot be read ({error})",
                "a readable UTF-8 JSON file",
                "check its permissions or move it aside",
            )
        ) from error
    return _parse(path, text)


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = path.with_name(path.name + ".lock")
    with open(lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def record_outcome(
    exercise_id: str, status: str, checked_at: str, path: Path | None = None
) -> ExerciseRecord:
    """Record one check's outcome and return the exercise's updated record."""
    path = path or progress_file()
    with _locked(path):
        records = load_progress(path)
        record = records.get(exercise_id) or ExerciseRecord(status, checked_at)
        record.status = status
        record.last_checked = checked_at
        record.attempts += 1
        if status == "passed" and record.first_passed is None:
            record.first_passed = checked_at
        records[exercise_id] = record

        document: dict[str, Any] = {
            "version": FORMAT_VERSION,
            "exercises": {key: asdict(records[key]) for key in sorted(records)},
        }
        atomic_write_json(path, document)
    log.info("recorded %s as %s in %s", exercise_id, status, path)
    return record
