r"""Find the task lines of an Obsidian note, with every byte accounted for.

How a note is read:

1. The bytes are decoded as strict UTF-8. A byte-order mark stays in the text as
   U+FEFF, so encoding the text again gives back exactly the same bytes.
2. The text is split after every ``\n``; each line keeps its own ending (``\n``,
   ``\r\n`` or nothing on a last line without one). Offsets below are offsets into
   the whole text, so an edit never needs the lines to be joined back.
3. Lines that Obsidian does not render as tasks are skipped: the YAML frontmatter
   (a first line ``---`` up to the next ``---`` or ``...``), fenced code blocks
   (```` ``` ```` or ``~~~``, also inside callouts and list items), ``%%`` comments
   and HTML comments. A line that opens or closes a comment is skipped too.
4. Any other line that is a list item followed by one status character in brackets
   is a task: ``- [ ] text``, ``1. [/] text``, ``> - [x] text`` in a callout,
   indented under another item. The status character is kept as written.
5. The task's text is split into its description, the Obsidian Tasks plugin's fields
   (priority, dates, recurrence, ...), and a trailing block id ``^wb-03-04``. A done
   date belongs after the other fields and before the block id, which is where the
   Tasks plugin reads it.

Known limits: an indented code block (four spaces outside a list) is not told apart
from a nested list, so a task-like line in one counts as a task; a file that ends its
lines with a lone ``\r`` (classic Mac OS) reads as a single line.

Example: in ``- [ ] Ingest raw data ⏫ 📅 2025-05-01 ^wb-03-01`` the description is
``Ingest raw data``, the status is a space, the block id is ``wb-03-01`` and a done
date goes right after ``2025-05-01``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BOM = "\ufeff"

TASK_PATTERN = re.compile(
    r"(?P<prefix>(?:[ \t]*>)*[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+\[)"
    r"(?P<status>[^\]\r\n])\]"
    r"(?P<rest>(?:[ \t].*)?)\Z",
    re.DOTALL,
)
BLOCK_ID_PATTERN = re.compile(r"(?:^|[ \t])\^(?P<id>[A-Za-z0-9-]+)\Z")
FENCE_PATTERN = re.compile(r"(?:[ \t]*>)*[ \t]*(?P<fence>`{3,}|~{3,})(?P<info>.*)\Z")

# Emoji that start a field of the Obsidian Tasks plugin; the description ends before
# the first of them (priorities, recurrence, start, scheduled, due, created, done,
# cancelled, id, depends on, on completion).
TASKS_FIELD_MARKERS = "🔺⏫🔼🔽⏬🔁🛫⏳⌛📅📆🗓➕✅❌🆔⛔🏁"
DONE_DATE_PATTERN = re.compile(r"✅\ufe0f?[ \t]*\d{4}-\d{2}-\d{2}")
DATAVIEW_FIELD_PATTERN = re.compile(r"[\[(][A-Za-z][\w -]*::")
TRAILING_TAGS_PATTERN = re.compile(r"(?:[ \t]+#[^\s#]+)+\Z")
INLINE_COMMENT_PATTERN = re.compile(r"%%.*?%%|<!--.*?-->")


@dataclass(frozen=True)
class TaskLine:
    """One task of a note and where its parts sit in the note's text.

    Attributes:
        number: Line number, from 1.
        status: The character between the brackets (a space for an open task).
        status_offset: Offset of that character in the note's text.
        description: The task's words, without fields, block id or trailing tags.
        block_id: The trailing ``^id`` without its caret, if the line has one.
        date_offset: Where a done date is inserted (after the fields, before the
            block id and any trailing spaces).
        has_done_date: Whether the line already carries a ``✅ YYYY-MM-DD``.
    """

    number: int
    status: str
    status_offset: int
    description: str
    block_id: str | None
    date_offset: int
    has_done_date: bool


def split_lines(text: str) -> list[str]:
    r"""Split ``text`` after every ``\n``, each line keeping its ending.

    ``"".join(split_lines(text)) == text`` always holds.
    """
    lines: list[str] = []
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        if end == -1:
            lines.append(text[start:])
            break
        lines.append(text[start : end + 1])
        start = end + 1
    return lines


def line_content(line: str) -> str:
    r"""Return ``line`` without its ``\n`` or ``\r\n`` ending."""
    if line.endswith("\r\n"):
        return line[:-2]
    if line.endswith("\n"):
        return line[:-1]
    return line


def describe(text: str) -> str:
    """Return the description of a task's text: the words a reader matches on.

    Drops inline comments (``%% … %%``, ``<!-- … -->``), cuts the text before the
    first Tasks plugin field or Dataview inline field, drops trailing tags, and
    collapses runs of whitespace to one space.
    """
    text = INLINE_COMMENT_PATTERN.sub("", text)
    cut = len(text)
    for marker in TASKS_FIELD_MARKERS:
        position = text.find(marker)
        if position != -1:
            cut = min(cut, position)
    dataview = DATAVIEW_FIELD_PATTERN.search(text)
    if dataview:
        cut = min(cut, dataview.start())
    description = text[:cut].rstrip()
    description = TRAILING_TAGS_PATTERN.sub("", description)
    return " ".join(description.split())


def _frontmatter_end(lines: list[str]) -> int:
    """Return how many leading lines are frontmatter (0 when there is none)."""
    if not lines or line_content(lines[0]).removeprefix(BOM).rstrip() != "---":
        return 0
    for index in range(1, len(lines)):
        if line_content(lines[index]).rstrip() in ("---", "..."):
            return index + 1
    return 0


def _parse_task(content: str, number: int, line_offset: int) -> TaskLine | None:
    match = TASK_PATTERN.match(content)
    if not match:
        return None

    rest = match.group("rest")
    rest_offset = line_offset + match.start("rest")
    body = rest.rstrip()
    block_match = BLOCK_ID_PATTERN.search(body)
    if block_match:
        before_block = body[: block_match.start()].rstrip()
        block_id: str | None = block_match.group("id")
    else:
        before_block = body
        block_id = None

    return TaskLine(
        number=number,
        status=match.group("status"),
        status_offset=line_offset + match.start("status"),
        description=describe(before_block),
        block_id=block_id,
        date_offset=rest_offset + len(before_block),
        has_done_date=bool(DONE_DATE_PATTERN.search(before_block)),
    )


def parse_tasks(text: str) -> list[TaskLine]:
    """Return every task Obsidian would render in ``text``, in order."""
    lines = split_lines(text)
    skip_until = _frontmatter_end(lines)
    tasks: list[TaskLine] = []
    open_fence: str | None = None
    in_comment = False
    in_html_comment = False
    offset = 0

    for index, line in enumerate(lines):
        line_offset = offset
        offset += len(line)
        if index < skip_until:
            continue
        content = line_content(line)
        if index == 0 and content.startswith(BOM):
            content = content[1:]
            line_offset += 1

        in_any_comment = in_comment or in_html_comment
        fence = FENCE_PATTERN.match(content) if not in_any_comment else None
        if open_fence is not None:
            if fence and _closes(open_fence, fence):
                open_fence = None
            continue
        if fence:
            open_fence = fence.group("fence")
            continue

        if in_html_comment:
            in_html_comment = "-->" not in content
            continue
        if content.count("%%") % 2 == 1:
            in_comment = not in_comment
            continue
        if in_comment:
            continue
        if "<!--" in content and "-->" not in content.split("<!--")[-1]:
            in_html_comment = True
            continue

        task = _parse_task(content, index + 1, line_offset)
        if task is not None:
            tasks.append(task)
    return tasks


def _closes(opening: str, fence: re.Match[str]) -> bool:
    closing = fence.group("fence")
    return (
        closing[0] == opening[0]
        and len(closing) >= len(opening)
        and not fence.group("info").strip()
    )
