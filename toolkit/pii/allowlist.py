"""Allow lists: findings that are fake on purpose, each with the reason why.

An entry names a path (a glob matched against the finding's shown path, or
against its tail, so ``data/*.csv`` also covers ``/home/me/data/a.csv``), an
entity type (``*`` for any), optionally a column, and a reason. Entries never
hold raw values, so an allow list can be committed next to the data it describes.
"""

from __future__ import annotations

import fnmatch
import json
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import UserInputError, explain
from toolkit.pii.scanner import Finding


@dataclass(frozen=True)
class AllowEntry:
    """One accepted finding pattern and why it is accepted."""

    path: str
    entity: str
    reason: str
    column: str | None = None

    def covers(self, finding: Finding) -> bool:
        """Whether this entry accepts ``finding``."""
        shown = finding.path
        if not (
            fnmatch.fnmatch(shown, self.path)
            or fnmatch.fnmatch(shown, "*/" + self.path)
        ):
            return False
        if self.entity not in {"*", finding.entity}:
            return False
        return self.column is None or finding.location.get("column") == self.column


def load_allowlist(path: Path) -> list[AllowEntry]:
    """Read a JSON list of ``{path, entity, reason, column?}`` entries.

    Raises:
        UserInputError: if the file is missing, not JSON, or an entry lacks a reason.
    """
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise UserInputError(
            explain(
                f"allow list {path} could not be read ({type(error).__name__})",
                "a JSON list of {path, entity, reason} objects",
                "checking the file",
            )
        ) from None

    loaded = []
    for number, entry in enumerate(entries if isinstance(entries, list) else [None]):
        if not isinstance(entry, dict) or not all(
            str(entry.get(key, "")).strip() for key in ("path", "entity", "reason")
        ):
            raise UserInputError(
                explain(
                    f"allow list {path} entry {number} lacks path, entity or reason",
                    "every entry to say what it allows and why",
                    'adding "reason": "fake sample data generated with Faker"',
                )
            )
        loaded.append(
            AllowEntry(
                path=str(entry["path"]),
                entity=str(entry["entity"]),
                reason=str(entry["reason"]),
                column=entry.get("column"),
            )
        )
    return loaded


def apply_allowlist(
    findings: list[Finding], entries: list[AllowEntry]
) -> list[Finding]:
    """The findings no entry accepts."""
    return [f for f in findings if not any(e.covers(f) for e in entries)]
