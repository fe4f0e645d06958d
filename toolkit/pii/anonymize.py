"""Write anonymized copies of tables, JSON, text and notebooks.

For each file under PATH the copy goes to the same relative place under OUT:

1. Tables and JSON are scanned first (the same column verdicts as ``pii scan``).
   A column whose leading entity covers at least half of its sample is treated as
   a PII column: every value in it is replaced whole (blanks and markers such as
   ``N/A`` are kept, so null handling downstream still works). Other flagged
   columns, free text mostly, have only the matched spans replaced.
2. Text files and notebook sources and outputs have their matched spans
   replaced, line by line; a notebook stays valid nbformat, images untouched.
3. Replacement goes through presidio-anonymizer with the chosen operator:
   ``replace`` gives a keyed pseudonym such as ``<EMAIL_ADDRESS_kzqbtmwdrx>``,
   the same for the same value under the same key in every file, so joins still
   work; ``hash`` a keyed HMAC-SHA256; ``mask`` stars of the same length;
   ``redact`` removes the value.

Everything is written into a temporary folder beside OUT and renamed into place
at the end, so OUT is complete or absent. OUT must be new (or an empty folder)
and must not overlap PATH: the input is never written over.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import secrets
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from toolkit.errors import UserInputError, explain
from toolkit.pii import readers
from toolkit.pii.engine import choose_model, engines_for
from toolkit.pii.redact import KEY_VARIABLE, normalised
from toolkit.pii.scanner import (
    Problem,
    ScanOptions,
    TextAnalyzer,
    context_words,
    internal_problem,
    scan_columns,
)

log = logging.getLogger(__name__)

OPERATORS = ("replace", "mask", "hash", "redact")
WHOLE_VALUE_SHARE = 0.5
NULL_MARKERS = {"", "n/a", "na", "null", "none", "nan", "-", "unknown"}
_PSEUDONYM_LETTERS = "bcdfghjklmnpqrstvwxz"


@dataclass
class AnonymizedFile:
    """One copy written: its path under OUT, its kind, values replaced."""

    path: str
    kind: str
    replaced: int


@dataclass
class AnonymizeResult:
    """What ``anonymize`` wrote, skipped and could not read."""

    out: Path
    files: list[AnonymizedFile] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` document."""
        return {
            "out": str(self.out),
            "files": [asdict(item) for item in self.files],
            "skipped": self.skipped,
            "errors": [asdict(problem) for problem in self.problems],
        }


def resolve_key(given: str | None) -> tuple[bytes, bool]:
    """The pseudonym key: ``given``, else ``$TOOLKIT_PII_KEY``, else a random one.

    Returns:
        The key and whether it was generated (pseudonyms then hold for one run).
    """
    chosen = given or os.environ.get(KEY_VARIABLE)
    if chosen:
        return chosen.encode("utf-8"), False
    return secrets.token_bytes(32), True


class Replacer:
    """Turns a value found as an entity into its replacement, via Presidio."""

    def __init__(self, key: bytes, operator: str) -> None:
        """Build presidio-anonymizer once; ``operator`` is one of ``OPERATORS``."""
        from presidio_anonymizer import AnonymizerEngine

        if operator not in OPERATORS:
            raise UserInputError(
                explain(
                    f"operator '{operator}'",
                    f"one of {', '.join(OPERATORS)}",
                    "replace",
                )
            )
        self.key = key
        self.operator = operator
        self.engine = AnonymizerEngine()

    def _digest(self, entity: str, value: str) -> bytes:
        message = f"{entity}\x1f{normalised(entity, value)}".encode()
        return hmac.new(self.key, message, hashlib.sha256).digest()

    def pseudonym(self, entity: str, value: str) -> str:
        """A letters-only token that is the same for the same value and key."""
        letters = "".join(
            _PSEUDONYM_LETTERS[byte % len(_PSEUDONYM_LETTERS)]
            for byte in self._digest(entity, value)[:10]
        )
        return f"<{entity}_{letters}>"

    def _operator_config(self, entity: str) -> Any:
        from presidio_anonymizer.entities import OperatorConfig

        if self.operator == "replace":
            return OperatorConfig(
                "custom", {"lambda": lambda text: self.pseudonym(entity, text)}
            )
        if self.operator == "hash":
            return OperatorConfig(
                "custom", {"lambda": lambda text: self._digest(entity, text).hex()}
            )
        if self.operator == "mask":
            return OperatorConfig(
                "mask", {"masking_char": "*", "chars_to_mask": 10**6, "from_end": False}
            )
        return OperatorConfig("redact")

    def spans(self, text: str, matches: list[Any]) -> str:
        """Replace each matched span of ``text``."""
        from presidio_anonymizer.entities import RecognizerResult

        if not matches:
            return text
        results = [RecognizerResult(m.entity, m.start, m.end, m.score) for m in matches]
        operators = {m.entity: self._operator_config(m.entity) for m in matches}
        return str(self.engine.anonymize(text, results, operators).text)

    def whole(self, entity: str, value: str) -> str:
        """Replace a whole value found as ``entity``."""
        from toolkit.pii.scanner import Match

        return self.spans(value, [Match(entity, 0, len(value), 1.0)])


@dataclass
class _ColumnPlan:
    whole_entity: str | None
    spans: bool


def _plan_columns(
    shown: str,
    columns: list[readers.ColumnSample],
    analyzer: TextAnalyzer,
    options: ScanOptions,
) -> dict[str, _ColumnPlan]:
    verdicts, _ = scan_columns(shown, columns, analyzer, options)
    plans = {}
    for verdict in verdicts:
        if not verdict.entities:
            continue
        entity, share = max(verdict.entities.items(), key=lambda item: item[1])
        whole = entity if share >= WHOLE_VALUE_SHARE else None
        plans[verdict.name] = _ColumnPlan(whole, spans=whole is None)
    return plans


class _ValueRewriter:
    """Rewrites the values of one column according to its plan, with a cache."""

    def __init__(
        self, plan: _ColumnPlan, name: str, analyzer: TextAnalyzer, replacer: Replacer
    ) -> None:
        self.plan = plan
        self.context = context_words(name)
        self.analyzer = analyzer
        self.replacer = replacer
        self.cache: dict[str, str] = {}
        self.replaced = 0

    def rewrite(self, values: list[str]) -> list[str]:
        """Rewritten ``values``; empty ones and markers like ``N/A`` stay."""
        fresh = [
            value
            for value in dict.fromkeys(values)
            if value.strip().lower() not in NULL_MARKERS and value not in self.cache
        ]
        if self.plan.whole_entity:
            for value in fresh:
                self.cache[value] = self.replacer.whole(self.plan.whole_entity, value)
        elif fresh:
            for value, matches in zip(
                fresh, self.analyzer.analyze(fresh, self.context), strict=True
            ):
                self.cache[value] = self.replacer.spans(value, matches)
        if len(self.cache) > 100_000:
            self.cache.clear()
            return self.rewrite(values)

        rewritten = [self.cache.get(value, value) for value in values]
        self.replaced += sum(
            1 for old, new in zip(values, rewritten, strict=True) if old != new
        )
        return rewritten


def _rewrite_csv(
    source: Path,
    target: Path,
    plans: dict[str, _ColumnPlan],
    analyzer: TextAnalyzer,
    replacer: Replacer,
) -> int:
    import pandas as pd

    separator = readers.TABLE_SUFFIXES.get(source.suffix.lower(), ",")
    rewriters = {
        name: _ValueRewriter(plan, name, analyzer, replacer)
        for name, plan in plans.items()
    }
    header = True
    chunks = pd.read_csv(
        source,
        sep=separator,
        dtype=str,
        keep_default_na=False,
        na_filter=False,
        chunksize=readers.CHUNK_ROWS,
        encoding="utf-8",
    )
    with open(target, "w", encoding="utf-8", newline="") as handle:
        for chunk in chunks:
            for name, rewriter in rewriters.items():
                column = next(c for c in chunk.columns if str(c) == name)
                chunk[column] = rewriter.rewrite(chunk[column].tolist())
            chunk.to_csv(handle, sep=separator, index=False, header=header)
            header = False
    return sum(rewriter.replaced for rewriter in rewriters.values())


def _rewrite_parquet(
    source: Path,
    target: Path,
    plans: dict[str, _ColumnPlan],
    analyzer: TextAnalyzer,
    replacer: Replacer,
) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(source)
    frame = table.to_pandas()
    replaced = 0
    for name, plan in plans.items():
        column = next(c for c in frame.columns if str(c) == name)
        if not pa.types.is_string(table.schema.field(str(column)).type) and not (
            pa.types.is_large_string(table.schema.field(str(column)).type)
        ):
            replaced += int(frame[column].notna().sum())
            frame[column] = None
            log.warning(
                "%s: column %s is not text; its values were set to null",
                source.name,
                name,
            )
            continue
        rewriter = _ValueRewriter(plan, name, analyzer, replacer)
        present = frame[column].notna()
        values = frame.loc[present, column].astype(str).tolist()
        frame.loc[present, column] = rewriter.rewrite(values)
        replaced += rewriter.replaced
    rewritten = pa.Table.from_pandas(frame, schema=table.schema, preserve_index=False)
    pq.write_table(rewritten, target)
    return replaced


def _rewrite_json(
    source: Path,
    target: Path,
    plans: dict[str, _ColumnPlan],
    analyzer: TextAnalyzer,
    replacer: Replacer,
) -> int:
    rewriters = {
        name: _ValueRewriter(plan, name, analyzer, replacer)
        for name, plan in plans.items()
    }

    def walk(node: Any, path: str) -> Any:
        if isinstance(node, dict):
            return {
                key: walk(child, f"{path}.{key}" if path else str(key))
                for key, child in node.items()
            }
        if isinstance(node, list):
            return [walk(child, f"{path}[]") for child in node]
        rewriter = rewriters.get(path or "$")
        if rewriter is None or isinstance(node, bool) or node is None:
            return node
        if isinstance(node, int | float | str):
            return rewriter.rewrite([str(node)])[0] if str(node) else node
        return node

    records = readers._iter_json_records(source)
    if source.suffix.lower() in readers.JSONL_SUFFIXES:
        with open(target, "w", encoding="utf-8") as handle:
            for record, _ in records:
                handle.write(json.dumps(walk(record, ""), ensure_ascii=False) + "\n")
    else:
        document = next(iter(records))[0]
        target.write_text(
            json.dumps(walk(document, ""), indent=2, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
    return sum(rewriter.replaced for rewriter in rewriters.values())


def _rewrite_text_block(
    text: str, analyzer: TextAnalyzer, replacer: Replacer
) -> tuple[str, int]:
    lines = text.split("\n")
    replaced = 0
    for index, matches in enumerate(analyzer.analyze(lines)):
        if matches:
            lines[index] = replacer.spans(lines[index], matches)
            replaced += len(matches)
    return "\n".join(lines), replaced


def _line_ending(source: Path) -> tuple[str, bool]:
    r"""The file's line ending (``\r\n`` or ``\n``) and whether it ends with one."""
    with open(source, "rb") as handle:
        head = handle.read(65536)
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        handle.seek(max(0, size - 1))
        last = handle.read(1)
    return ("\r\n" if b"\r\n" in head else "\n"), last == b"\n"


def _rewrite_text(
    source: Path, target: Path, analyzer: TextAnalyzer, replacer: Replacer
) -> int:
    newline, ends_with_newline = _line_ending(source)
    replaced = 0
    written = False
    with open(target, "w", encoding="utf-8", newline="") as handle:
        batch: list[str] = []

        def flush() -> None:
            nonlocal replaced, written
            text, count = _rewrite_text_block("\n".join(batch), analyzer, replacer)
            handle.write((newline if written else "") + text.replace("\n", newline))
            replaced += count
            written = True
            batch.clear()

        for line in readers.read_text_lines(source):
            batch.append(line)
            if len(batch) >= 2000:
                flush()
        if batch:
            flush()
        if written and ends_with_newline:
            handle.write(newline)
    return replaced


def _rewrite_notebook(
    source: Path, target: Path, analyzer: TextAnalyzer, replacer: Replacer
) -> int:
    readers.read_notebook_segments(source)  # validates, names the file on failure
    notebook = json.loads(source.read_text(encoding="utf-8"))
    replaced = 0

    def rewrite(value: Any) -> Any:
        nonlocal replaced
        as_list = isinstance(value, list)
        text = "".join(value) if as_list else str(value)
        new_text, count = _rewrite_text_block(text, analyzer, replacer)
        replaced += count
        if not count:
            return value
        return new_text.splitlines(keepends=True) if as_list else new_text

    for cell in notebook["cells"]:
        if not isinstance(cell, dict):
            continue
        if "source" in cell:
            cell["source"] = rewrite(cell["source"])
        for output in cell.get("outputs") or []:
            if "text" in output:
                output["text"] = rewrite(output["text"])
            if output.get("output_type") == "error" and "evalue" in output:
                output["evalue"] = rewrite(output["evalue"])
                output["traceback"] = [rewrite(line) for line in output["traceback"]]
            data = output.get("data") or {}
            for mime in ("text/plain", "text/html", "text/markdown"):
                if mime in data:
                    data[mime] = rewrite(data[mime])
    target.write_text(
        json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return replaced


def _check_paths(source: Path, out: Path) -> None:
    if not source.exists():
        raise UserInputError(
            explain(f"{source}: no such file or folder", "an existing path", None)
        )
    resolved_source, resolved_out = source.resolve(), out.resolve()
    if (
        resolved_out == resolved_source
        or resolved_source in resolved_out.parents
        or resolved_out in resolved_source.parents
    ):
        raise UserInputError(
            explain(
                f"--out {out} overlaps the input {source}",
                "an output folder outside the input",
                f"--out {source.name}_anonymized beside it",
            )
        )
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UserInputError(
            explain(
                f"--out {out} already exists and is not an empty folder",
                "a new folder, so nothing of yours is overwritten",
                "another --out, or remove the old copy first",
            )
        )


def anonymize(
    path: str,
    out: str | os.PathLike[str],
    key: bytes,
    operator: str = "replace",
    options: ScanOptions | None = None,
    on_file: Callable[[str], None] | None = None,
) -> AnonymizeResult:
    """Write anonymized copies of ``path`` (a file or folder) into the folder ``out``.

    Raises:
        UserInputError: if ``path`` is missing, ``out`` exists with content, or
            the two overlap.
    """
    options = options or ScanOptions()
    source, out = Path(path), Path(out)
    _check_paths(source, out)
    replacer = Replacer(key, operator)
    analyzer = TextAnalyzer(engines_for(choose_model(options.model)), options)
    result = AnonymizeResult(out)

    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        for file in readers.iter_files(source):
            shown = (
                file.name if source.is_file() else file.relative_to(source).as_posix()
            )
            if readers.is_skipped_binary(file):
                result.skipped.append(shown)
                continue
            if on_file:
                on_file(shown)
            target = staging / shown
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                replaced = _rewrite_file(
                    file, shown, target, analyzer, replacer, options
                )
            except UserInputError as error:
                target.unlink(missing_ok=True)
                result.problems.append(Problem(shown, str(error)))
                continue
            except Exception as error:  # noqa: BLE001 - reported without its message
                target.unlink(missing_ok=True)
                result.problems.append(internal_problem(shown, error, "anonymized"))
                continue
            result.files.append(AnonymizedFile(shown, readers.kind_of(file), replaced))
        if out.exists():
            out.rmdir()
        os.replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return result


def _rewrite_file(
    file: Path,
    shown: str,
    target: Path,
    analyzer: TextAnalyzer,
    replacer: Replacer,
    options: ScanOptions,
) -> int:
    kind = readers.kind_of(file)
    suffix = file.suffix.lower()
    if kind == "notebook":
        return _rewrite_notebook(file, target, analyzer, replacer)
    if kind == "text":
        return _rewrite_text(file, target, analyzer, replacer)

    if suffix in readers.PARQUET_SUFFIXES:
        columns = readers.read_parquet_columns(file, options.sample)
        plans = _plan_columns(shown, columns, analyzer, options)
        return _rewrite_parquet(file, target, plans, analyzer, replacer)
    if kind == "json":
        columns = readers.read_json_columns(file, options.sample)
        plans = _plan_columns(shown, columns, analyzer, options)
        return _rewrite_json(file, target, plans, analyzer, replacer)
    columns = readers.read_csv_columns(file, options.sample)
    plans = _plan_columns(shown, columns, analyzer, options)
    return _rewrite_csv(file, target, plans, analyzer, replacer)
