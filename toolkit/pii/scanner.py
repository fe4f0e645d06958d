"""Scan files for PII: a verdict per column for tables, findings per line for text.

How a table column is judged, e.g. a CSV column ``contact``::

    contact
    (555) 201-7788 x12      sample: the reader keeps up to --sample distinct
    ORD-2024-000123         values (a bottom-k hash sample, so duplicates and
    (555) 201-7788 x12      row order do not matter)
    ...

1. The sampled values that could hold a pattern entity (a digit, ``@``, ``:``)
   are joined into a few large texts and handed to Presidio's pattern analyzer in
   one call each, with the column name's parts as context words.
2. Every match is mapped back to its value and checked by
   :func:`toolkit.pii.validators.validate` (Luhn, IBAN check digits, SSN rules, IP
   parsing, phone shape, not glued to an id like ``ORD-2024-000123``).
3. If PERSON or LOCATION are wanted and the column holds capitalised words, its
   values go to the spaCy NER model the same way, as one comma-separated list
   per batch; the model loads on first need only.
4. The share of sampled values with a validated match, per entity, is the
   column's verdict; an entity counts when its share reaches ``min_share``
   (``ner_min_share`` for PERSON and LOCATION, which are noisier).

Text files, notebook cells and outputs are scanned in batches of lines through
the same two analyzers and validators; each match is a finding with its line and
offsets. Code (``.py`` and similar files, notebook code cells) gets the pattern
analyzer only: names and places are not looked for in code. No raw value leaves
this module: findings carry a shape-only preview.
"""

from __future__ import annotations

import logging
import re
import time
import traceback
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from toolkit.errors import UserInputError, explain
from toolkit.pii import readers
from toolkit.pii.engine import (
    NER_ENTITIES,
    PATTERN_ENTITIES,
    SUPPORTED_ENTITIES,
    Engines,
    choose_model,
    engines_for,
)
from toolkit.pii.redact import fingerprint, normalised, preview
from toolkit.pii.validators import is_title_word, validate

log = logging.getLogger(__name__)

# Presidio's context enhancer walks every token of a text once per match, so its
# cost grows with batch size squared; a few thousand characters keeps it linear.
BATCH_CHARACTERS = 4_000
_PATTERN_HINT = re.compile(r"@|\d(?:\D*\d){3}")
# A whole value of one of these shapes cannot hold a pattern entity.
_DECOY_VALUE = re.compile(
    r"""
    [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}   # UUID
    | (?=[0-9a-f]*[a-f])[0-9a-f]{16,}                              # hex digest
    | \d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?    # ISO date-time
    | [-+$€£]?\d{1,3}(?:,\d{3})*(?:\.\d+)? | [-+$€£]?\d*\.\d{1,2}    # amount
    | v?\d{1,4}\.\d{1,3}\.\d{1,3}(?:[-+][\w.]+)?                   # version
    """,
    re.VERBOSE,
)
# Tokens blanked out (same length, so offsets hold) before analysis: timestamps,
# UUIDs and digests cannot be PII, and Presidio's phone matcher spends most of
# its time trying to read them as numbers.
_DECOY_TOKEN = re.compile(
    r"""
    \d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?
    | \d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2}(?:\s[+-]\d{4})?
    | [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}
    | (?<![\w@.-])(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{16,}(?![\w@-])
    """,
    re.VERBOSE,
)
# A word standing alone, letters of any script (\w minus digits and underscore);
# a capitalised one is what spaCy's English NER keys names on.
_WORD = re.compile(r"(?<![\w@.-])(?=[^\W\d_])\w(?:[^\W\d_]|['’-])+(?![\w@-])")
_CONTEXT_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")
_NAME_PART = re.compile(r"[A-Za-z]+|\d+")


@dataclass(frozen=True)
class ScanOptions:
    """What to look for and how hard.

    Attributes:
        threshold: Minimum score for a match to count (after validation).
        entities: Entity types to look for.
        sample: Distinct values sampled per column (0 keeps them all).
        min_share: Share of sampled values a pattern entity needs in a column.
        ner_min_share: The same for PERSON and LOCATION.
        model: A spaCy model name, ``blank``, or ``None`` for the default order.
        fingerprint_key: When set, each finding carries a keyed fingerprint of its
            value, so the same value can be recognised across files and runs.
    """

    threshold: float = 0.5
    entities: tuple[str, ...] = SUPPORTED_ENTITIES
    sample: int = 500
    min_share: float = 0.0
    ner_min_share: float = 0.3
    model: str | None = None
    fingerprint_key: bytes | None = None


@dataclass
class Finding:
    """One finding: a column verdict or a match in a line. Never the raw value."""

    path: str
    entity: str
    score: float
    location: dict[str, Any]
    preview: str
    share: float | None = None
    fingerprint: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The finding as it appears in ``--json`` output."""
        document = asdict(self)
        for optional in ("share", "fingerprint"):
            if document[optional] is None:
                del document[optional]
        return document


@dataclass
class ColumnVerdict:
    """The entities found in one column, as shares of the sampled values."""

    name: str
    entities: dict[str, float]
    sampled: int
    cells: int


@dataclass
class FileReport:
    """What one file was read as and, for tables and JSON, its column verdicts."""

    path: str
    kind: str
    columns: list[ColumnVerdict] | None = None
    cells: int = 0
    lines: int = 0


@dataclass
class Problem:
    """A path that could not be scanned, with a one-line reason."""

    path: str
    message: str


@dataclass
class ScanReport:
    """Everything one scan found, safe to print."""

    files: list[FileReport] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    not_covered: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    model: str | None = None
    seconds: float = 0.0

    @property
    def cells(self) -> int:
        """Table and JSON cells read, across all files."""
        return sum(file.cells for file in self.files)

    def to_json(self) -> dict[str, Any]:
        """The stable ``--json`` document (``columns`` is empty for text files)."""
        files = []
        for file in self.files:
            columns = [
                {
                    "name": column.name,
                    "entities": column.entities,
                    "sampled": column.sampled,
                }
                for column in file.columns or []
            ]
            files.append({"path": file.path, "kind": file.kind, "columns": columns})
        return {
            "files": files,
            "findings": [finding.to_json() for finding in self.findings],
            "not_covered": self.not_covered,
            "errors": [asdict(problem) for problem in self.problems],
            "skipped": self.skipped,
            "model": self.model,
        }


@dataclass
class Match:
    """A validated match inside one text: entity, offsets and score."""

    entity: str
    start: int
    end: int
    score: float


def check_entities(names: Iterable[str]) -> tuple[str, ...]:
    """Upper-case and check entity names.

    Raises:
        UserInputError: naming the first unknown entity.
    """
    chosen = []
    for name in names:
        for part in name.split(","):
            entity = part.strip().upper()
            if not entity:
                continue
            if entity not in SUPPORTED_ENTITIES:
                raise UserInputError(
                    explain(
                        f"unknown entity '{part.strip()}'",
                        f"one of {', '.join(SUPPORTED_ENTITIES)}",
                        "--entities EMAIL_ADDRESS,PHONE_NUMBER after the paths",
                    )
                )
            chosen.append(entity)
    return tuple(dict.fromkeys(chosen)) or SUPPORTED_ENTITIES


def context_words(name: str) -> list[str]:
    """Lowercase words of a column name: ``customerPhone_2`` gives customer, phone."""
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", name)
    return [part.lower() for part in _NAME_PART.findall(spaced) if not part.isdigit()]


def _nearby_words(text: str, start: int) -> list[str]:
    before = text[max(0, start - 40) : start]
    return [word.lower() for word in _CONTEXT_WORD.findall(before)]


def _resolve_overlaps(matches: list[Match]) -> list[Match]:
    ordered = sorted(matches, key=lambda m: (-m.score, m.start - m.end, m.start))
    kept: list[Match] = []
    for match in ordered:
        if all(match.end <= other.start or match.start >= other.end for other in kept):
            kept.append(match)
    return sorted(kept, key=lambda m: m.start)


class TextAnalyzer:
    """Runs the analyzers over many short texts in a few large Presidio calls."""

    def __init__(self, engines: Engines, options: ScanOptions) -> None:
        self.engines = engines
        self.options = options
        self.pattern_entities = [e for e in options.entities if e in PATTERN_ENTITIES]
        self.ner_entities = [
            e for e in options.entities if e in NER_ENTITIES and engines.covers_ner
        ]

    def analyze(
        self,
        texts: Sequence[str],
        context: Sequence[str] = (),
        free_text: bool = False,
        ner: bool = True,
    ) -> list[list[Match]]:
        """Validated matches for each text, overlaps resolved.

        Args:
            texts: Table values or lines.
            context: Context words shared by all texts (a column name's parts).
            free_text: Whether the texts are lines of prose (stricter NER rules).
            ner: Whether to run the NER model at all (not on code).
        """
        raw: list[list[Match]] = [[] for _ in texts]
        if self.pattern_entities:
            wanted = [
                i
                for i, text in enumerate(texts)
                if _PATTERN_HINT.search(text)
                and not _DECOY_VALUE.fullmatch(text.strip())
            ]
            self._run(
                self.engines.pattern_analyzer(),
                texts,
                wanted,
                self.pattern_entities,
                "\n",
                context,
                raw,
                free_text,
            )
        if self.ner_entities and ner:
            wanted = [i for i, text in enumerate(texts) if _has_capitalised_word(text)]
            if wanted:
                self._run(
                    self.engines.ner_analyzer(),
                    texts,
                    wanted,
                    self.ner_entities,
                    # spaCy's small model reads a comma-separated list of table
                    # values far better than one value per line (three to six
                    # times the names and places found); prose keeps its lines.
                    "\n\n" if free_text else ", ",
                    context,
                    raw,
                    free_text,
                )
        return [_resolve_overlaps(matches) for matches in raw]

    def _run(
        self,
        analyzer: Any,
        texts: Sequence[str],
        wanted: list[int],
        entities: list[str],
        separator: str,
        context: Sequence[str],
        raw: list[list[Match]],
        free_text: bool,
    ) -> None:
        for batch in _batches(texts, wanted, len(separator)):
            joined = separator.join(_blank_decoys(texts[i]) for i in batch)
            offsets = []
            position = 0
            for index in batch:
                offsets.append(position)
                position += len(texts[index]) + len(separator)
            with warnings.catch_warnings():
                # spaCy and Presidio warnings may quote the analysed text.
                warnings.simplefilter("ignore")
                results = analyzer.analyze(
                    text=joined,
                    language="en",
                    entities=entities,
                    context=list(context) or None,
                )
            for result in results:
                self._place(result, batch, offsets, texts, context, raw, free_text)

    def _place(
        self,
        result: Any,
        batch: list[int],
        offsets: list[int],
        texts: Sequence[str],
        context: Sequence[str],
        raw: list[list[Match]],
        free_text: bool,
    ) -> None:
        slot = _slot_of(offsets, result.start)
        index = batch[slot]
        text = texts[index]
        start = result.start - offsets[slot]
        end = result.end - offsets[slot]
        end = min(end, len(text))  # a match never spans two values or lines
        words = [*context, *_nearby_words(text, start)]
        score = validate(
            result.entity_type, text, start, end, result.score, words, free_text
        )
        if score is None or score < self.options.threshold:
            return
        raw[index].append(Match(result.entity_type, start, end, score))


def _has_capitalised_word(text: str) -> bool:
    return any(is_title_word(word) for word in _WORD.findall(text))


def _blank_decoys(text: str) -> str:
    return _DECOY_TOKEN.sub(lambda match: " " * len(match.group()), text)


def _slot_of(offsets: list[int], position: int) -> int:
    low, high = 0, len(offsets) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if offsets[middle] <= position:
            low = middle
        else:
            high = middle - 1
    return low


def _batches(texts: Sequence[str], wanted: list[int], gap: int) -> Iterable[list[int]]:
    batch: list[int] = []
    size = 0
    for index in wanted:
        length = len(texts[index]) + gap
        if batch and size + length > BATCH_CHARACTERS:
            yield batch
            batch, size = [], 0
        batch.append(index)
        size += length
    if batch:
        yield batch


def scan_columns(
    path: str,
    columns: list[readers.ColumnSample],
    analyzer: TextAnalyzer,
    options: ScanOptions,
) -> tuple[list[ColumnVerdict], list[Finding]]:
    """Judge sampled columns: a verdict per column, a finding per entity found.

    Args:
        path: The file's shown path, for the findings.
        columns: The column samples from a reader.
        analyzer: The shared text analyzer.
        options: Thresholds and shares.
    """
    verdicts: list[ColumnVerdict] = []
    findings: list[Finding] = []
    for column in columns:
        matches = analyzer.analyze(column.values, context_words(column.name))
        counts: dict[str, int] = {}
        best: dict[str, tuple[float, int, Match]] = {}
        for index, value_matches in enumerate(matches):
            for entity in {match.entity for match in value_matches}:
                counts[entity] = counts.get(entity, 0) + 1
            for match in value_matches:
                if match.entity not in best or match.score > best[match.entity][0]:
                    best[match.entity] = (match.score, index, match)

        sampled = len(column.values)
        entities: dict[str, float] = {}
        for entity, count in sorted(counts.items()):
            share = count / sampled
            needed = (
                options.ner_min_share if entity in NER_ENTITIES else options.min_share
            )
            if share >= needed:
                entities[entity] = round(share, 3)
        verdicts.append(ColumnVerdict(column.name, entities, sampled, column.cells))

        for entity, share in entities.items():
            score, index, match = best[entity]
            value = column.values[index][match.start : match.end]
            findings.append(
                Finding(
                    path=path,
                    entity=entity,
                    score=round(score, 3),
                    location={"column": column.name, "row": column.rows[index]},
                    preview=preview(entity, value),
                    share=share,
                    fingerprint=_fingerprint(entity, value, options),
                )
            )
    return verdicts, findings


def _fingerprint(entity: str, value: str, options: ScanOptions) -> str | None:
    if options.fingerprint_key is None:
        return None
    return fingerprint(normalised(entity, value), options.fingerprint_key)


def _scan_lines(
    path: str,
    lines: Iterable[str],
    analyzer: TextAnalyzer,
    where: dict[str, int] | None = None,
    prose: bool = True,
) -> tuple[int, list[Finding]]:
    findings: list[Finding] = []
    count = 0
    pending: list[str] = []
    first_line = 1

    def flush() -> None:
        found = analyzer.analyze(pending, free_text=True, ner=prose)
        for offset, matches in enumerate(found):
            line = pending[offset]
            for match in matches:
                value = line[match.start : match.end]
                location: dict[str, Any] = dict(where or {})
                location.update(
                    line=first_line + offset, start=match.start, end=match.end
                )
                findings.append(
                    Finding(
                        path=path,
                        entity=match.entity,
                        score=round(match.score, 3),
                        location=location,
                        preview=preview(match.entity, value),
                        fingerprint=_fingerprint(match.entity, value, analyzer.options),
                    )
                )

    size = 0
    for line in lines:
        count += 1
        pending.append(line)
        size += len(line) + 1
        if size >= BATCH_CHARACTERS * 4:
            flush()
            first_line += len(pending)
            pending, size = [], 0
    if pending:
        flush()
    return count, findings


def _scan_file(
    file: Path, shown: str, analyzer: TextAnalyzer, options: ScanOptions
) -> tuple[FileReport, list[Finding]]:
    kind = readers.kind_of(file)
    suffix = file.suffix.lower()
    if kind == "table" or kind == "json":
        if suffix in readers.PARQUET_SUFFIXES:
            columns = readers.read_parquet_columns(file, options.sample)
        elif kind == "json":
            columns = readers.read_json_columns(file, options.sample)
        else:
            columns = readers.read_csv_columns(file, options.sample)
        verdicts, findings = scan_columns(shown, columns, analyzer, options)
        cells = sum(column.cells for column in columns)
        return FileReport(shown, kind, verdicts, cells=cells), findings

    if kind == "notebook":
        findings = []
        lines = 0
        for segment in readers.read_notebook_segments(file):
            counted, found = _scan_lines(
                shown,
                segment.text.splitlines(),
                analyzer,
                segment.location,
                segment.prose,
            )
            lines += counted
            findings.extend(found)
        return FileReport(shown, kind, lines=lines), findings

    prose = suffix not in readers.CODE_SUFFIXES
    lines, findings = _scan_lines(
        shown, readers.read_text_lines(file), analyzer, prose=prose
    )
    return FileReport(shown, kind, lines=lines), findings


def internal_problem(shown: str, error: Exception, verb: str) -> Problem:
    """Report a bug hit on one file by its type only: its message may hold a value.

    Under ``--verbose`` the frames (code lines, no values) are logged.
    """
    name = type(error).__name__
    frames = "".join(traceback.format_tb(error.__traceback__))
    log.info("internal error on %s: %s\n%s", shown, name, frames)
    return Problem(
        shown,
        explain(
            f"{shown}: could not be {verb} ({name})",
            "a file the toolkit can read",
            "--verbose for where it failed, and report it",
        ),
    )


def _shown_path(argument: str, root: Path, file: Path) -> str:
    if root.is_file():
        return argument
    return file.relative_to(root).as_posix()


def scan(
    paths: Sequence[str],
    options: ScanOptions | None = None,
    on_file: Callable[[str], None] | None = None,
) -> ScanReport:
    """Scan files and folders (recursively) and return what was found.

    Files that cannot be read are reported in ``problems`` and the scan goes on.

    Args:
        paths: Files or folders, as the user typed them; findings are reported
            relative to the folder given (or as the file was given).
        options: What to look for; defaults to every entity.
        on_file: Called with each file's shown path before it is scanned.
    """
    options = options or ScanOptions()
    started = time.perf_counter()
    model = choose_model(options.model)
    engines = engines_for(model)
    analyzer = TextAnalyzer(engines, options)
    report = ScanReport(
        not_covered=[e for e in model.not_covered if e in options.entities],
        model=model.name,
    )

    for argument in paths:
        root = Path(argument)
        if not root.exists():
            report.problems.append(
                Problem(
                    argument,
                    explain(
                        f"{argument}: no such file or folder",
                        "an existing path",
                        "checking the spelling",
                    ),
                )
            )
            continue
        for file in readers.iter_files(root):
            shown = _shown_path(argument, root, file)
            if root.is_dir() and readers.is_skipped_binary(file):
                report.skipped.append(shown)
                continue
            if on_file:
                on_file(shown)
            log.info("scanning %s as %s", shown, readers.kind_of(file))
            try:
                file_report, findings = _scan_file(file, shown, analyzer, options)
            except UserInputError as error:
                report.problems.append(Problem(shown, str(error)))
                continue
            except Exception as error:  # noqa: BLE001 - reported without its message
                report.problems.append(internal_problem(shown, error, "scanned"))
                continue
            report.files.append(file_report)
            report.findings.extend(findings)

    report.seconds = round(time.perf_counter() - started, 3)
    return report
