"""Prove a migrated DAG computes what its script computes.

1. Copy the input folder into two fresh temporary folders and fingerprint every
   file in each (SHA-256).
2. Run the script (``python SCRIPT``) in one folder and the DAG
   (``python DIR/pipeline.py``) in the other, each with that folder as its working
   directory; the DAG keeps its intermediate state in a third folder, so only the
   files the script itself writes can differ.
3. Collect every file created, changed or deleted by each run, and compare the two
   sets: a file only the script touched is ``missing``, one only the DAG touched is
   ``extra``. Files both touched are compared as data when they are tables (CSV,
   TSV, Parquet, SQLite: every table, its schema and rows, with a relative
   tolerance of 1e-9 on floats) and byte for byte otherwise.
4. Name the first task, in script order, that writes a file that differs.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.analysis.source import load_source
from toolkit.errors import UserInputError, explain
from toolkit.migrate.generator import MANIFEST

log = logging.getLogger(__name__)

EQUAL = "equal"
DIFFERENT = "different"
MISSING = "missing"
EXTRA = "extra"
RELATIVE_TOLERANCE = 1e-9
ABSOLUTE_TOLERANCE = 1e-12
SQLITE_MAGIC = b"SQLite format 3\x00"
TABLE_SUFFIXES = {".csv", ".tsv", ".parquet"}
DEFAULT_TIMEOUT = 1800.0


@dataclass(frozen=True)
class FileComparison:
    """How one file compares between the script's run and the DAG's."""

    path: str
    status: str
    detail: str = ""

    def to_json(self) -> dict[str, str]:
        """Describe the comparison as the ``--json`` document does."""
        document = {"path": self.path, "status": self.status}
        if self.detail:
            document["detail"] = self.detail
        return document


@dataclass(frozen=True)
class Verification:
    """The outcome of ``toolkit verify``."""

    equivalent: bool
    files: tuple[FileComparison, ...]
    legacy_seconds: float
    dag_seconds: float
    dag_exit_code: int
    first_divergent_task: str | None = None
    dag_error: str = ""

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` document."""
        return {
            "equivalent": self.equivalent,
            "files": [comparison.to_json() for comparison in self.files],
            "legacy_seconds": round(self.legacy_seconds, 3),
            "dag_seconds": round(self.dag_seconds, 3),
            "dag_exit_code": self.dag_exit_code,
            "first_divergent_task": self.first_divergent_task,
            "dag_error": self.dag_error,
        }


def _fingerprints(folder: Path) -> dict[str, str]:
    prints: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            prints[path.relative_to(folder).as_posix()] = digest
    return prints


def _touched(before: dict[str, str], after: dict[str, str]) -> set[str]:
    changed = {path for path, digest in after.items() if before.get(path) != digest}
    deleted = set(before) - set(after)
    return changed | deleted


def _run(command: list[str], cwd: Path, timeout: float) -> tuple[int, float, str]:
    environment = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    started = time.perf_counter()
    try:
        completed = subprocess.run(
            command,
            cwd=cwd,
            env=environment,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return -1, time.perf_counter() - started, f"timed out after {timeout:.0f} s"
    seconds = time.perf_counter() - started
    tail = "\n".join(completed.stderr.strip().splitlines()[-20:])
    return completed.returncode, seconds, tail


def _floats_close(left: Any, right: Any) -> bool:
    if isinstance(left, float) and isinstance(right, float):
        if math.isnan(left) and math.isnan(right):
            return True
        return math.isclose(
            left, right, rel_tol=RELATIVE_TOLERANCE, abs_tol=ABSOLUTE_TOLERANCE
        )
    return bool(left == right)


def _compare_frames(left: Any, right: Any) -> str:
    """Return "" when two DataFrames hold the same data, else what differs."""
    import pandas as pd

    if list(left.columns) != list(right.columns):
        return "columns differ"
    if left.shape != right.shape:
        return f"shape {left.shape} vs {right.shape}"
    try:
        pd.testing.assert_frame_equal(
            left,
            right,
            check_exact=False,
            rtol=RELATIVE_TOLERANCE,
            atol=ABSOLUTE_TOLERANCE,
        )
    except AssertionError as error:
        return str(error).splitlines()[0][:200]
    return ""


def _compare_sqlite(left: Path, right: Path) -> str:
    import pandas as pd

    with (
        sqlite3.connect(f"file:{left}?mode=ro", uri=True) as a,
        sqlite3.connect(f"file:{right}?mode=ro", uri=True) as b,
    ):
        query = "SELECT name, sql FROM sqlite_master WHERE type='table' ORDER BY name"
        schema_a = a.execute(query).fetchall()
        schema_b = b.execute(query).fetchall()
        if schema_a != schema_b:
            return "tables or schemas differ"
        for name, _ in schema_a:
            quoted = '"' + name.replace('"', '""') + '"'
            frame_a = pd.read_sql_query(f"SELECT * FROM {quoted}", a)
            frame_b = pd.read_sql_query(f"SELECT * FROM {quoted}", b)
            difference = _compare_frames(frame_a, frame_b)
            if difference:
                return f"table {name}: {difference}"
    return ""


def compare_files(left: Path, right: Path) -> str:
    """Return "" when two files hold the same content, else what differs.

    Tables compare as data (float tolerance 1e-9); anything else byte for byte.
    """
    left_bytes = left.read_bytes()
    right_bytes = right.read_bytes()
    if left_bytes == right_bytes:
        return ""
    if left_bytes.startswith(SQLITE_MAGIC) and right_bytes.startswith(SQLITE_MAGIC):
        return _compare_sqlite(left, right)
    suffix = left.suffix.lower()
    if suffix in TABLE_SUFFIXES:
        import pandas as pd

        try:
            if suffix == ".parquet":
                frames = pd.read_parquet(left), pd.read_parquet(right)
            else:
                separator = "\t" if suffix == ".tsv" else ","
                frames = (
                    pd.read_csv(left, sep=separator),
                    pd.read_csv(right, sep=separator),
                )
        except (ValueError, OSError) as error:
            return f"unreadable as a table ({type(error).__name__})"
        return _compare_frames(*frames)
    return "bytes differ"


def _first_task_writing(package: Path, paths: list[str]) -> str | None:
    manifest = package / MANIFEST
    try:
        tasks = json.loads(manifest.read_text(encoding="utf-8"))["tasks"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    for task in tasks:
        if any(path in task.get("files", []) for path in paths):
            return str(task["name"])
    return None


def _check_inputs(script: Path, package: Path, workdir: Path) -> None:
    load_source(script)
    if script.suffix == ".ipynb":
        raise UserInputError(
            explain(
                f"{script}: is a notebook",
                "a .py script to run with python",
                "'jupyter nbconvert --to script' and verify the exported script",
            )
        )
    if not (package / "pipeline.py").is_file():
        raise UserInputError(
            explain(
                f"{package}: no pipeline.py",
                "a folder written by 'toolkit migrate'",
                f"'toolkit migrate {script} --out {package}' first",
            )
        )
    if not workdir.is_dir():
        raise UserInputError(
            explain(
                f"{workdir}: not a folder",
                "the folder that holds the script's inputs",
                "--workdir with the folder you run the script from",
            )
        )


def verify(
    script: str | Path,
    package: str | Path,
    workdir: str | Path,
    timeout: float = DEFAULT_TIMEOUT,
) -> Verification:
    """Run the script and its DAG on copies of ``workdir`` and compare their files.

    Raises:
        UserInputError: for a bad script, package or folder, or when the script
            itself fails on the inputs (nothing to compare against).
    """
    script = Path(script).resolve()
    package = Path(package).resolve()
    workdir = Path(workdir).resolve()
    _check_inputs(script, package, workdir)

    with tempfile.TemporaryDirectory(prefix="toolkit-verify-") as scratch:
        legacy_dir = Path(scratch) / "legacy"
        dag_dir = Path(scratch) / "dag"
        state_dir = Path(scratch) / "state"
        shutil.copytree(workdir, legacy_dir)
        shutil.copytree(workdir, dag_dir)
        before = _fingerprints(legacy_dir)

        # Run the script, then the DAG, each in its own copy.
        code, legacy_seconds, error = _run(
            [sys.executable, str(script)], legacy_dir, timeout
        )
        if code != 0:
            raise UserInputError(
                explain(
                    f"{script.name}: exited {code} on the inputs in {workdir} "
                    f"({error.splitlines()[-1] if error else 'no message'})",
                    "a script that runs cleanly on its inputs",
                    "running it yourself from that folder first",
                )
            )
        dag_code, dag_seconds, dag_error = _run(
            [
                sys.executable,
                str(package / "pipeline.py"),
                "--state-root",
                str(state_dir),
            ],
            dag_dir,
            timeout,
        )
        log.info("script %.2f s, DAG %.2f s", legacy_seconds, dag_seconds)

        # Compare every file either run touched.
        legacy_after = _fingerprints(legacy_dir)
        dag_after = _fingerprints(dag_dir)
        legacy_touched = _touched(before, legacy_after)
        dag_touched = _touched(before, dag_after)
        comparisons: list[FileComparison] = []
        for path in sorted(legacy_touched | dag_touched):
            if path not in dag_touched:
                comparisons.append(FileComparison(path, MISSING))
                continue
            if path not in legacy_touched:
                comparisons.append(FileComparison(path, EXTRA))
                continue
            in_legacy = path in legacy_after
            in_dag = path in dag_after
            if in_legacy != in_dag:
                detail = "deleted by one run only"
                comparisons.append(FileComparison(path, DIFFERENT, detail))
                continue
            if not in_legacy:
                comparisons.append(FileComparison(path, EQUAL, "deleted by both"))
                continue
            difference = compare_files(legacy_dir / path, dag_dir / path)
            status = DIFFERENT if difference else EQUAL
            comparisons.append(FileComparison(path, status, difference))

    unequal = [c.path for c in comparisons if c.status != EQUAL]
    equivalent = dag_code == 0 and not unequal
    return Verification(
        equivalent=equivalent,
        files=tuple(comparisons),
        legacy_seconds=legacy_seconds,
        dag_seconds=dag_seconds,
        dag_exit_code=dag_code,
        first_divergent_task=_first_task_writing(package, unequal) if unequal else None,
        dag_error="" if dag_code == 0 else dag_error,
    )
