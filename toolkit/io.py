"""File helpers every command shares: atomic writes and JSON documents.

An atomic write goes to a temporary file in the destination's folder, is flushed and
synced, then renamed over the destination, so a reader sees the old file or the new
one and never half of either. The temporary name keeps the destination's full suffix
(``data.csv.gz`` is written as ``.data.tmp-k3j9.csv.gz``) so that libraries choosing a
format by suffix still do the right thing.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def full_suffix(path: Path) -> str:
    """Return every suffix of ``path``: ``.csv.gz`` for ``data.csv.gz``."""
    return "".join(path.suffixes)


@contextlib.contextmanager
def atomic_path(destination: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``destination``; rename it there on success.

    The temporary file is removed if the block raises, so nothing is half-written.

    Args:
        destination: The file to create or replace.

    Yields:
        A path in the same folder with the same full suffix as ``destination``.
    """
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    suffix = full_suffix(destination)
    stem = destination.name[: len(destination.name) - len(suffix)] or "file"
    handle, temporary = tempfile.mkstemp(
        prefix=f".{stem}.tmp-", suffix=suffix, dir=destination.parent
    )
    os.close(handle)
    temporary_path = Path(temporary)
    try:
        yield temporary_path
        _fsync_file(temporary_path)
        os.replace(temporary_path, destination)
    except BaseException:
        temporary_path.unlink(missing_ok=True)
        raise


def _fsync_file(path: Path) -> None:
    """Flush ``path`` to disk if it exists."""
    if not path.exists():
        return
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def atomic_write_bytes(destination: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``destination`` atomically."""
    with atomic_path(destination) as temporary:
        temporary.write_bytes(data)


def atomic_write_text(
    destination: str | os.PathLike[str], text: str, encoding: str = "utf-8"
) -> None:
    """Write ``text`` to ``destination`` atomically, with no newline translation."""
    atomic_write_bytes(destination, text.encode(encoding))


def dumps_json(document: Any) -> str:
    """Serialise a report the same way everywhere: sorted keys, two-space indent."""
    return json.dumps(
        document, indent=2, sort_keys=True, ensure_ascii=False, default=str
    )


def atomic_write_json(destination: str | os.PathLike[str], document: Any) -> None:
    """Write a JSON document atomically, ending with a newline."""
    atomic_write_text(destination, dumps_json(document) + "\n")
