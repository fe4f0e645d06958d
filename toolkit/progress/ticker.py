"""Tick the roadmap items a learner has proved, in any copy of the roadmap note.

How a note is updated:

1. Read its bytes once and refuse anything that is not a UTF-8 Markdown file.
2. Find each roadmap item's task lines (see :mod:`toolkit.progress.note`): by its
   block id (``^wb-03-04``) first, so a reworded item is still found; else by its
   exact description, for a copy of the roadmap without block ids. A line whose
   block id belongs to another item never matches by text.
3. For each item whose exercises have all passed, turn every open ``[ ]`` among its
   lines into ``[x]``; with done dates, also insert `` ✅ YYYY-MM-DD`` where the
   Obsidian Tasks plugin reads it. Nothing else changes: a ticked item stays ticked
   (no unticking), a custom status such as ``[/]`` or ``[-]`` is left as the
   learner set it, and every other byte (line endings, BOM, the last newline,
   frontmatter, code blocks) is copied as it was. A second run finds nothing to do.
4. Write only when asked: to a temporary file beside the note, with the note's
   permissions, renamed over it after checking that the note still holds the bytes
   that were read. A symbolic link is followed, never replaced.

Example: ``- [ ] Ingest raw data ^wb-03-01`` becomes
``- [x] Ingest raw data ✅ 2025-05-02 ^wb-03-01`` once exercise 03.1 has passed.
"""

from __future__ import annotations

import difflib
import logging
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.errors import UserInputError, explain
from toolkit.io import atomic_path
from toolkit.progress.note import BOM, TaskLine, line_content, parse_tasks, split_lines
from toolkit.progress.roadmap import RoadmapItem, all_items

log = logging.getLogger(__name__)

OPEN = " "
TICKED = "x"
DONE_STATUSES = ("x", "X")
ABSENT = "absent"


@dataclass(frozen=True)
class ItemOutcome:
    """What happened to one roadmap item in a note.

    Attributes:
        item: The roadmap item.
        lines: The note's line numbers holding the item (empty when absent).
        before: The status character it had (``" "``, ``"x"``, ``"/"``...) or
            ``"absent"`` when the note does not hold it.
        after: The status it has after the update.
    """

    item: RoadmapItem
    lines: tuple[int, ...]
    before: str
    after: str

    @property
    def changed(self) -> bool:
        """Whether the update ticks this item."""
        return self.before != self.after


@dataclass(frozen=True)
class TickResult:
    """A note's text before and after ticking, and the fate of every item."""

    original: str
    updated: str
    items: tuple[ItemOutcome, ...]

    @property
    def changed(self) -> bool:
        """Whether the update changes the note at all."""
        return self.original != self.updated

    @property
    def found_any(self) -> bool:
        """Whether the note holds at least one roadmap item."""
        return any(outcome.before != ABSENT for outcome in self.items)


def _state(tasks: list[TaskLine]) -> str:
    return tasks[0].status if tasks else ABSENT


def match_items(
    tasks: list[TaskLine], items: Iterable[RoadmapItem]
) -> dict[str, list[TaskLine]]:
    """Return, per block id, the task lines that hold each item."""
    items = list(items)
    managed = {item.block_id for item in items}
    by_block: dict[str, list[TaskLine]] = {}
    for task in tasks:
        if task.block_id in managed:
            by_block.setdefault(task.block_id, []).append(task)

    matched: dict[str, list[TaskLine]] = {}
    for item in items:
        if item.block_id in by_block:
            matched[item.block_id] = by_block[item.block_id]
            continue
        matched[item.block_id] = [
            task
            for task in tasks
            if task.block_id not in managed and task.description == item.text
        ]
    return matched


def tick_text(
    text: str,
    completed: Mapping[str, str | None],
    with_dates: bool = False,
    items: Iterable[RoadmapItem] | None = None,
) -> TickResult:
    """Tick, in ``text``, every open task of the completed items.

    Args:
        text: The note, decoded (a BOM included).
        completed: Every item whose exercises have all passed, by block id, with
            its completion date (``YYYY-MM-DD``, or ``None`` when unknown).
        with_dates: Whether to add `` ✅ YYYY-MM-DD`` to the lines it ticks.
        items: The roadmap items to look for (default: all of them).

    Returns:
        The updated text and, per item, its status before and after.
    """
    items = list(all_items() if items is None else items)
    matched = match_items(parse_tasks(text), items)

    edits: list[tuple[int, int, str]] = []
    outcomes: list[ItemOutcome] = []
    for item in items:
        tasks = matched[item.block_id]
        before = _state(tasks)
        after = before
        if item.block_id in completed:
            date = completed[item.block_id]
            for task in tasks:
                if task.status != OPEN:
                    continue
                edits.append((task.status_offset, 1, TICKED))
                if with_dates and date and not task.has_done_date:
                    edits.append((task.date_offset, 0, f" ✅ {date}"))
            if before == OPEN:
                after = TICKED
        lines = tuple(task.number for task in tasks)
        outcomes.append(ItemOutcome(item, lines, before, after))

    updated = text
    for offset, length, replacement in sorted(set(edits), reverse=True):
        updated = updated[:offset] + replacement + updated[offset + length :]
    return TickResult(text, updated, tuple(outcomes))


def read_note(path: Path) -> tuple[bytes, str]:
    """Read a note's bytes and text.

    Raises:
        UserInputError: if the note is missing, a folder, or not UTF-8.
    """
    if not path.exists():
        raise UserInputError(
            explain(
                f"note {path} does not exist",
                "the path of a Markdown note",
                "--note with the roadmap note in your vault",
            )
        )
    if path.is_dir():
        raise UserInputError(
            explain(
                f"note {path} is a folder",
                "the path of a Markdown note, not its folder",
                f"--note {path / 'Data & ML Pipelines Roadmap.md'}",
            )
        )
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UserInputError(
            explain(
                f"note {path} is not UTF-8 (byte {error.start})",
                "a UTF-8 Markdown note as Obsidian writes it",
                "re-saving the note as UTF-8",
            )
        ) from error
    return data, text


def unified_diff(result: TickResult, name: str) -> str:
    """Render the change as a unified diff of the ticked lines only.

    No context lines are shown, so nothing else of the learner's note is printed;
    line endings are shown as plain newlines.
    """
    before = [line_content(line) + "\n" for line in split_lines(result.original)]
    after = [line_content(line) + "\n" for line in split_lines(result.updated)]
    if before:
        before[0] = before[0].removeprefix(BOM)
    if after:
        after[0] = after[0].removeprefix(BOM)
    return "".join(
        difflib.unified_diff(
            before, after, fromfile=f"a/{name}", tofile=f"b/{name}", n=0
        )
    )


def write_note(path: Path, original: bytes, updated: bytes) -> None:
    """Replace the note's bytes atomically, keeping its permissions.

    Raises:
        UserInputError: if the note changed since it was read; nothing is written.
    """
    target = path.resolve()
    mode = target.stat().st_mode & 0o7777
    with atomic_path(target) as temporary:
        temporary.write_bytes(updated)
        os.chmod(temporary, mode)
        if target.read_bytes() != original:
            raise UserInputError(
                explain(
                    f"note {path} changed while it was being updated",
                    "a note no other program writes at the same moment",
                    "running the command again",
                )
            )
    log.info("ticked items in %s", target)


def describe_state(status: str) -> str:
    """Name a task status: ``open``, ``done``, ``absent`` or ``custom [c]``."""
    if status == OPEN:
        return "open"
    if status in DONE_STATUSES:
        return "done"
    if status == ABSENT:
        return ABSENT
    return f"custom [{status}]"


def outcome_json(outcome: ItemOutcome, available: bool) -> dict[str, Any]:
    """Describe one item's fate as a JSON-ready document."""
    return {
        "section": outcome.item.section,
        "index": outcome.item.index,
        "block_id": outcome.item.block_id,
        "text": outcome.item.text,
        "exercises": list(outcome.item.exercises),
        "available": available,
        "lines": list(outcome.lines),
        "before": describe_state(outcome.before),
        "after": describe_state(outcome.after),
    }
