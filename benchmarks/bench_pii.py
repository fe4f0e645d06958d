"""Benchmark ``toolkit pii scan`` against naive per-cell Presidio, and its memory.

Part 1 generates the seeded labelled tables (toolkit.pii.synthetic), then scans
them two ways in one process, both with their models already loaded:

* naive: ``AnalyzerEngine`` with Presidio's predefined recognizers and the spaCy
  model, ``analyze`` on every cell of the first ``--naive-rows`` rows (the full
  tables would take tens of minutes); a column counts an entity when any cell
  scores at least 0.5;
* toolkit: ``scan`` on the full tables (sampling, de-duplication, batching),
  and again on the naive run's rows only, which shows the gain that does not
  come from sampling.

It prints cells per second for each, the ratio, and per-entity column recall,
precision and decoy columns flagged against the labels.

Part 2 writes a CSV of ``--csv-mb`` megabytes (default 1024) under /tmp, scans
it in a child process and reads the child's peak RSS from ``getrusage``. The
file is deleted afterwards.

Usage: .venv/bin/python benchmarks/bench_pii.py [--rows 3000] [--naive-rows 150]
       [--csv-mb 1024] [--skip-memory]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pandas as pd

from toolkit.io import atomic_write_json
from toolkit.pii.engine import REUPLOADED_MODEL, choose_model, quiet_third_party_loggers
from toolkit.pii.scanner import ScanOptions, scan
from toolkit.pii.synthetic import generate

KEY_ENTITIES = (
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "US_SSN",
    "CREDIT_CARD",
    "IBAN_CODE",
    "IP_ADDRESS",
)
TABLES = ("customers.csv", "payments.csv", "events.csv", "inventory.parquet")
RESULTS = Path(__file__).parent / "results" / "pii.json"


def _read(path: Path, rows: int | None) -> pd.DataFrame:
    if path.suffix == ".parquet":
        frame = pd.read_parquet(path).astype("string")
        return frame.head(rows) if rows else frame
    return pd.read_csv(path, dtype=str, keep_default_na=False, nrows=rows)


def naive_engine(model: str):
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    configuration = {
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": "en", "model_name": model}],
    }
    nlp_engine = NlpEngineProvider(nlp_configuration=configuration).create_engine()
    registry = RecognizerRegistry()
    registry.load_predefined_recognizers(nlp_engine=nlp_engine)
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine)


def naive_scan(engine, folder: Path, rows: int) -> tuple[dict, int, float]:
    verdicts: dict[tuple[str, str], set[str]] = {}
    cells = 0
    started = time.perf_counter()
    for name in TABLES:
        frame = _read(folder / name, rows)
        for column in frame.columns:
            found: set[str] = set()
            for value in frame[column].tolist():
                cells += 1
                if value is None or pd.isna(value) or not str(value).strip():
                    continue
                for result in engine.analyze(text=str(value), language="en"):
                    if result.score >= 0.5:
                        found.add(result.entity_type)
            verdicts[(name, str(column))] = found
    return verdicts, cells, time.perf_counter() - started


def truncated_copy(folder: Path, rows: int) -> Path:
    """The same tables cut to their first ``rows`` rows, in a sibling folder."""
    target = folder.with_name(folder.name + f"-first-{rows}")
    target.mkdir()
    for name in TABLES:
        frame = _read(folder / name, rows)
        if name.endswith(".parquet"):
            frame.to_parquet(target / name, index=False)
        else:
            frame.to_csv(target / name, index=False)
    return target


def toolkit_scan(folder: Path) -> tuple[dict, int, float]:
    started = time.perf_counter()
    report = scan([str(folder / name) for name in TABLES], ScanOptions())
    seconds = time.perf_counter() - started
    verdicts = {
        (file.path.rsplit("/", 1)[-1], column.name): set(column.entities)
        for file in report.files
        for column in file.columns or []
    }
    return verdicts, report.cells, seconds


def score(verdicts: dict, labels) -> dict:
    tally = {"tp": Counter(), "fp": Counter(), "fn": Counter()}
    decoys = flagged = 0
    for name in TABLES:
        for column, truth in labels.columns[name].items():
            got = verdicts.get((name, column), set())
            decoys += not truth
            flagged += bool(not truth and got)
            for entity in set(truth) | got:
                key = (
                    "tp"
                    if entity in truth and entity in got
                    else ("fp" if entity in got else "fn")
                )
                tally[key][entity] += 1
    per_entity = {}
    for entity in KEY_ENTITIES + ("PERSON", "LOCATION"):
        tp, fp, fn = (tally[k][entity] for k in ("tp", "fp", "fn"))
        per_entity[entity] = {
            "recall": round(tp / (tp + fn), 3) if tp + fn else None,
            "precision": round(tp / (tp + fp), 3) if tp + fp else None,
        }
    return {
        "per_entity": per_entity,
        "decoy_columns": decoys,
        "decoy_columns_flagged": flagged,
    }


def write_big_csv(path: Path, megabytes: int, seed: int = 0) -> int:
    """Repeat a block of generated rows (ids changing) until the file is large."""
    block_folder = Path(tempfile.mkdtemp(prefix="pii-bench-block-"))
    generate(block_folder, seed=seed, rows=2000)
    block = pd.read_csv(
        block_folder / "customers.csv", dtype=str, keep_default_na=False
    )
    shutil.rmtree(block_folder)
    block_text = block.to_csv(index=False, header=False)
    header = ",".join(["row", *block.columns]) + "\n"
    lines = block_text.splitlines(keepends=True)

    target = megabytes * 1024 * 1024
    rows = 0
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(header)
        written = len(header)
        while written < target:
            chunk = "".join(f"{rows + i}," + line for i, line in enumerate(lines))
            handle.write(chunk)
            written += len(chunk)
            rows += len(lines)
    return rows


CHILD = """
import json, resource, sys, time
from toolkit.pii.scanner import ScanOptions, scan
started = time.perf_counter()
report = scan([sys.argv[1]], ScanOptions())
print(json.dumps({
    "seconds": round(time.perf_counter() - started, 1),
    "cells": report.cells,
    "findings": len(report.findings),
    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
}))
"""


def memory_run(megabytes: int) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="pii-bench-"))
    path = folder / "big.csv"
    try:
        started = time.perf_counter()
        rows = write_big_csv(path, megabytes)
        written = time.perf_counter() - started
        size_mb = round(path.stat().st_size / 1024 / 1024, 1)
        print(f"wrote {size_mb} MB ({rows} rows) in {written:.0f} s; scanning...")
        completed = subprocess.run(
            [sys.executable, "-c", CHILD, str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
        measured = json.loads(completed.stdout.strip().splitlines()[-1])
        measured.update(file_mb=size_mb, rows=rows)
        measured["cells_per_second"] = round(measured["cells"] / measured["seconds"])
        return measured
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=3000, help="rows per table")
    parser.add_argument("--naive-rows", type=int, default=150)
    parser.add_argument("--csv-mb", type=int, default=1024)
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    quiet_third_party_loggers()

    model = choose_model(None).name or REUPLOADED_MODEL
    folder = Path(tempfile.mkdtemp(prefix="pii-bench-tables-"))
    try:
        labels = generate(folder, seed=args.seed, rows=args.rows)

        engine = naive_engine(model)
        engine.analyze(text="warm up John Smith", language="en")
        scan([str(folder / "customers.csv")], ScanOptions(sample=10))  # warm up

        naive_verdicts, naive_cells, naive_seconds = naive_scan(
            engine, folder, args.naive_rows
        )
        ours_verdicts, ours_cells, ours_seconds = toolkit_scan(folder)
        same_rows = truncated_copy(folder, args.naive_rows)
        same_verdicts, same_cells, same_seconds = toolkit_scan(same_rows)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(folder.with_name(folder.name + f"-first-{args.naive_rows}"), True)

    naive_rate = naive_cells / naive_seconds
    ours_rate = ours_cells / ours_seconds
    results = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_average_1m": round(os.getloadavg()[0], 2),
        },
        "model": model,
        "throughput": {
            "rows_per_table": args.rows,
            "naive": {
                "rows_per_table": args.naive_rows,
                "cells": naive_cells,
                "seconds": round(naive_seconds, 1),
                "cells_per_second": round(naive_rate, 1),
                "quality": score(naive_verdicts, labels),
            },
            "toolkit": {
                "rows_per_table": args.rows,
                "cells": ours_cells,
                "seconds": round(ours_seconds, 1),
                "cells_per_second": round(ours_rate, 1),
                "quality": score(ours_verdicts, labels),
            },
            "speedup": round(ours_rate / naive_rate, 1),
            "toolkit_on_naive_rows": {
                "rows_per_table": args.naive_rows,
                "cells": same_cells,
                "seconds": round(same_seconds, 2),
                "cells_per_second": round(same_cells / same_seconds, 1),
                "speedup": round(same_cells / same_seconds / naive_rate, 1),
                "quality": score(same_verdicts, labels),
            },
        },
    }
    print(json.dumps(results["throughput"], indent=2))

    if not args.skip_memory:
        results["memory"] = memory_run(args.csv_mb)
        print(json.dumps(results["memory"], indent=2))

    atomic_write_json(RESULTS, results)
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
