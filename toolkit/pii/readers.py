"""Readers per file kind: tables and JSON become column samples, the rest text.

* CSV/TSV and Parquet are streamed in chunks. Each column keeps a *bottom-k*
  sample of its distinct values: every value is hashed, and the ``k`` values with
  the smallest hashes are kept. That is a uniform sample of the distinct values,
  de-duplicated by construction, the same on every run, and bounded in memory
  however large the file.
* JSON and JSONL are flattened to leaf paths (``customer.emails[]``); each path is
  a column, the row is the index of the record it came from.
* Notebooks give one text segment per cell source and per output (``text/plain``,
  ``text/html``, streams and error messages); images are skipped.
* Anything else is read as UTF-8 text, line by line.

Every failure becomes a :class:`~toolkit.errors.UserInputError` that names the
file and a position, never the content.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from toolkit.errors import UserInputError, explain

TABLE_SUFFIXES = {".csv": ",", ".tsv": "\t", ".tab": "\t"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
JSON_SUFFIXES = {".json", ".geojson"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
NOTEBOOK_SUFFIXES = {".ipynb"}
SKIPPED_SUFFIXES = {
    ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".ico", ".svg", ".webp", ".pdf",
    ".zip", ".gz", ".bz2", ".xz", ".tar", ".7z", ".whl", ".pyc", ".so", ".dll",
    ".db", ".sqlite", ".duckdb", ".pkl", ".pickle", ".joblib", ".npy", ".npz",
    ".feather", ".arrow", ".h5", ".onnx", ".pt", ".bin", ".woff", ".woff2", ".ttf",
}  # fmt: skip
CODE_SUFFIXES = {
    ".py", ".sql", ".sh", ".js", ".ts", ".r", ".scala", ".java", ".go", ".rs",
    ".yaml", ".yml", ".toml", ".cfg", ".ini",
}  # fmt: skip
SKIPPED_FOLDERS = {".git", ".venv", "venv", "__pycache__", "node_modules", "mlruns"}
CHUNK_ROWS = 50_000
_SNIFF_BYTES = 8192


@dataclass
class ColumnSample:
    """A bounded, de-duplicated sample of one column's non-empty values.

    Attributes:
        name: The column name, or the leaf path for JSON.
        cells: How many cells were read, empty ones included.
        values: The sampled distinct values.
        rows: For each sampled value, a row (0-based) it occurs in.
    """

    name: str
    cells: int = 0
    values: list[str] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)


@dataclass
class TextSegment:
    """Text to scan line by line, where it sits, and whether it is prose or code."""

    text: str
    location: dict[str, int] = field(default_factory=dict)
    prose: bool = True


def kind_of(path: Path) -> str:
    """The report kind for ``path``: ``table``, ``json``, ``notebook`` or ``text``."""
    suffix = path.suffix.lower()
    if suffix in TABLE_SUFFIXES or suffix in PARQUET_SUFFIXES:
        return "table"
    if suffix in JSON_SUFFIXES or suffix in JSONL_SUFFIXES:
        return "json"
    if suffix in NOTEBOOK_SUFFIXES:
        return "notebook"
    return "text"


def iter_files(root: Path) -> Iterator[Path]:
    """Every file under ``root`` in a stable order, hidden and tool folders skipped."""
    if root.is_file():
        yield root
        return
    for child in sorted(root.iterdir()):
        if child.is_dir():
            if child.name in SKIPPED_FOLDERS or child.name.startswith("."):
                continue
            yield from iter_files(child)
        elif child.is_file() and not child.name.startswith("."):
            yield child


def is_skipped_binary(path: Path) -> bool:
    """Whether a folder walk passes over ``path`` as a known binary format."""
    return path.suffix.lower() in SKIPPED_SUFFIXES


def _bad_file(path: Path, found: str, expected: str, try_: str) -> UserInputError:
    return UserInputError(explain(f"{path}: {found}", expected, try_))


def _check_readable_text(path: Path) -> None:
    try:
        with open(path, "rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except OSError as error:
        raise _bad_file(
            path,
            f"cannot be read ({type(error).__name__})",
            "a readable file",
            "checking its permissions",
        ) from None
    if b"\x00" in head:
        raise _bad_file(
            path,
            "looks binary (it holds NUL bytes)",
            "a text, CSV, Parquet, JSON or notebook file",
            "leaving it out of the paths to scan",
        )


class _BottomK:
    """The ``k`` distinct values with the smallest 64-bit hashes seen so far."""

    def __init__(self, k: int) -> None:
        self.k = k
        self.hashes = np.empty(0, dtype=np.uint64)
        self.values: list[str] = []
        self.rows: list[int] = []

    def offer(self, hashes: np.ndarray, values: list[str], rows: list[int]) -> None:
        if self.k > 0 and len(self.hashes) >= self.k:
            keep = hashes < self.hashes.max()
            hashes = hashes[keep]
            values = [value for value, kept in zip(values, keep, strict=True) if kept]
            rows = [row for row, kept in zip(rows, keep, strict=True) if kept]
        if not len(hashes):
            return

        merged_hashes = np.concatenate([self.hashes, hashes])
        merged_values = self.values + values
        merged_rows = self.rows + rows
        unique_hashes, first = np.unique(merged_hashes, return_index=True)
        if self.k > 0:
            first = first[: self.k]
            unique_hashes = unique_hashes[: self.k]
        self.hashes = unique_hashes
        self.values = [merged_values[index] for index in first]
        self.rows = [merged_rows[index] for index in first]


def _offer_series(sampler: _BottomK, series: Any, first_row: int) -> int:
    """Offer a pandas Series of strings; return how many cells it had."""
    import pandas as pd

    cells = len(series)
    present = series.dropna()
    present = present[present.str.strip().str.len() > 0]
    if present.empty:
        return cells
    hashes = pd.util.hash_pandas_object(present, index=False).to_numpy()
    unique_hashes, first = np.unique(hashes, return_index=True)
    values = present.iloc[first].tolist()
    rows = (present.index.to_numpy()[first] + first_row).tolist()
    sampler.offer(unique_hashes, values, rows)
    return cells


def _finish(samplers: dict[str, _BottomK], cells: dict[str, int]) -> list[ColumnSample]:
    return [
        ColumnSample(name, cells[name], sampler.values, sampler.rows)
        for name, sampler in samplers.items()
    ]


def _csv_error(path: Path, error: Exception) -> UserInputError:
    where = re.search(r"(line|row) (\d+)", str(error))
    position = f" near {where.group(1)} {where.group(2)}" if where else ""
    return _bad_file(
        path,
        f"is not valid CSV{position} ({type(error).__name__})",
        "delimited rows with balanced quotes and the same number of fields",
        "fixing the quoting, or scanning it as text by renaming it .txt",
    )


def read_csv_columns(path: Path, sample: int) -> list[ColumnSample]:
    """Stream a CSV or TSV file and sample each column.

    Raises:
        UserInputError: for binary content, broken quoting or ragged rows.
    """
    import pandas as pd

    _check_readable_text(path)
    separator = TABLE_SUFFIXES.get(path.suffix.lower(), ",")
    samplers: dict[str, _BottomK] = {}
    cells: dict[str, int] = {}
    first_row = 0
    try:
        chunks = pd.read_csv(
            path,
            sep=separator,
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            chunksize=CHUNK_ROWS,
            encoding="utf-8",
        )
        for chunk in chunks:
            chunk = chunk.reset_index(drop=True)
            for name in chunk.columns:
                key = str(name)
                sampler = samplers.setdefault(key, _BottomK(sample))
                cells[key] = cells.get(key, 0) + _offer_series(
                    sampler, chunk[name], first_row
                )
            first_row += len(chunk)
    except pd.errors.EmptyDataError:
        return []
    except (pd.errors.ParserError, csv_error_types()) as error:
        raise _csv_error(path, error) from None
    except UnicodeDecodeError:
        raise _bad_file(
            path, "is not UTF-8 text", "a UTF-8 encoded file", "re-encoding it"
        ) from None
    return _finish(samplers, cells)


def csv_error_types() -> type[Exception]:
    """The csv module's error type (raised by pandas' Python engine)."""
    import csv

    return csv.Error


def read_parquet_columns(path: Path, sample: int) -> list[ColumnSample]:
    """Stream a Parquet file in record batches and sample each column.

    Raises:
        UserInputError: if the file is not Parquet.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    samplers: dict[str, _BottomK] = {}
    cells: dict[str, int] = {}
    first_row = 0
    try:
        parquet = pq.ParquetFile(path)
        for batch in parquet.iter_batches(batch_size=CHUNK_ROWS):
            frame = batch.to_pandas()
            for name in frame.columns:
                key = str(name)
                sampler = samplers.setdefault(key, _BottomK(sample))
                cells[key] = cells.get(key, 0) + _offer_series(
                    sampler, frame[name].astype("string"), first_row
                )
            first_row += len(frame)
    except (OSError, pa.ArrowException) as error:
        raise _bad_file(
            path,
            f"is not a readable Parquet file ({type(error).__name__})",
            "a Parquet file",
            "checking that it was written completely",
        ) from None
    return _finish(samplers, cells)


def _leaves(node: Any, path: str, row: int | None) -> Iterator[tuple[str, str, int]]:
    if isinstance(node, dict):
        for key, child in node.items():
            child_path = f"{path}.{key}" if path else str(key)
            yield from _leaves(child, child_path, row)
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _leaves(child, f"{path}[]", index if row is None else row)
    elif isinstance(node, str):
        yield path or "$", node, row or 0
    elif isinstance(node, int | float) and not isinstance(node, bool):
        yield path or "$", str(node), row or 0


def _json_error(path: Path, error: json.JSONDecodeError, line: int) -> UserInputError:
    return _bad_file(
        path,
        f"is not valid JSON at line {line or error.lineno} column {error.colno}",
        "a JSON document (or one JSON value per line for .jsonl)",
        "validating it with 'python -m json.tool'",
    )


def _iter_json_records(path: Path) -> Iterator[tuple[Any, int | None]]:
    try:
        if path.suffix.lower() in JSONL_SUFFIXES:
            with open(path, encoding="utf-8") as handle:
                for number, line in enumerate(handle):
                    if not line.strip():
                        continue
                    try:
                        yield json.loads(line), number
                    except json.JSONDecodeError as error:
                        raise _json_error(path, error, number + 1) from None
        else:
            with open(path, encoding="utf-8") as handle:
                try:
                    document = json.load(handle)
                except json.JSONDecodeError as error:
                    raise _json_error(path, error, 0) from None
            yield document, None
    except UnicodeDecodeError:
        raise _bad_file(
            path, "is not UTF-8 text", "UTF-8 encoded JSON", "re-encoding it"
        ) from None


def read_json_columns(path: Path, sample: int) -> list[ColumnSample]:
    """Flatten JSON or JSONL leaves into one sampled column per leaf path.

    Raises:
        UserInputError: for binary content or invalid JSON.
    """
    import pandas as pd

    _check_readable_text(path)
    samplers: dict[str, _BottomK] = {}
    cells: dict[str, int] = {}
    buffered: dict[str, tuple[list[str], list[int]]] = {}

    def flush() -> None:
        for name, (values, rows) in buffered.items():
            series = pd.Series(values, index=rows, dtype=object)
            sampler = samplers.setdefault(name, _BottomK(sample))
            cells[name] = cells.get(name, 0) + _offer_series(sampler, series, 0)
        buffered.clear()

    pending = 0
    for record, row in _iter_json_records(path):
        for leaf_path, value, leaf_row in _leaves(record, "", row):
            values, rows = buffered.setdefault(leaf_path, ([], []))
            values.append(value)
            rows.append(leaf_row)
            pending += 1
        if pending >= CHUNK_ROWS:
            flush()
            pending = 0
    flush()
    return _finish(samplers, cells)


def read_text_lines(path: Path) -> Iterator[str]:
    """Yield the lines of a UTF-8 text file without their line endings.

    Raises:
        UserInputError: for binary or non-UTF-8 content.
    """
    _check_readable_text(path)
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            for line in handle:
                yield line.rstrip("\r\n")
    except UnicodeDecodeError:
        raise _bad_file(
            path,
            "is not UTF-8 text",
            "a UTF-8 text file",
            "re-encoding it, or leaving it out of the paths to scan",
        ) from None


def _joined(source: Any) -> str:
    return "".join(source) if isinstance(source, list) else str(source or "")


def read_notebook_segments(path: Path) -> list[TextSegment]:
    """One segment per cell source and per text output of a Jupyter notebook.

    Raises:
        UserInputError: if the file is not a JSON notebook.
    """
    _check_readable_text(path)
    try:
        with open(path, encoding="utf-8") as handle:
            notebook = json.load(handle)
    except json.JSONDecodeError as error:
        raise _json_error(path, error, 0) from None
    except UnicodeDecodeError:
        raise _bad_file(
            path, "is not UTF-8 text", "a UTF-8 notebook", "re-encoding it"
        ) from None
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        raise _bad_file(
            path,
            "has no 'cells' list",
            "a Jupyter notebook (nbformat 4)",
            "opening and saving it in Jupyter",
        )

    segments: list[TextSegment] = []
    for cell_index, cell in enumerate(cells):
        if not isinstance(cell, dict):
            continue
        source = _joined(cell.get("source"))
        is_code = cell.get("cell_type") == "code"
        segments.append(TextSegment(source, {"cell": cell_index}, prose=not is_code))
        for output_index, output in enumerate(cell.get("outputs") or []):
            where = {"cell": cell_index, "output": output_index}
            for text in _output_texts(output):
                segments.append(TextSegment(text, where))
    return segments


def _output_texts(output: Any) -> Iterator[str]:
    if not isinstance(output, dict):
        return
    if output.get("output_type") == "stream":
        yield _joined(output.get("text"))
    if output.get("output_type") == "error":
        yield str(output.get("evalue", ""))
    data = output.get("data") or {}
    for mime in ("text/plain", "text/html", "text/markdown", "application/json"):
        if mime in data:
            value = data[mime]
            yield value if isinstance(value, str) else _joined(value)
