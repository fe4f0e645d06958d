"""Time the doctor's static analysis on a 300-line script (target: under 1 s).

The script is the shipped broken pipeline repeated (renamed per copy) until it has at
least 300 lines, so every rule has work to do. Prints the figures and writes
benchmarks/results/doctor.json.
"""

import platform
import statistics
import tempfile
import time
from pathlib import Path

from toolkit.analysis.source import load_source
from toolkit.doctor.engine import check_unit
from toolkit.io import atomic_write_json

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "legacy_scripts" / "broken_ml_pipeline.py"
RESULT = ROOT / "benchmarks" / "results" / "doctor.json"
TARGET_LINES = 300
REPEATS = 20
BUDGET_SECONDS = 1.0


def build_script(folder: Path) -> Path:
    text = SOURCE.read_text()
    chunks = []
    copy = 0
    while sum(chunk.count("\n") for chunk in chunks) < TARGET_LINES:
        chunks.append(text.replace("df", f"df{copy}").replace("X_", f"X{copy}_"))
        copy += 1
    script = folder / "long_pipeline.py"
    script.write_text("\n".join(chunks))
    return script


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        script = build_script(Path(scratch))
        lines = script.read_text().count("\n")
        timings = []
        findings = 0
        for _ in range(REPEATS):
            started = time.perf_counter()
            unit = load_source(script)
            _, found = check_unit(unit)
            timings.append(time.perf_counter() - started)
            findings = len(found)

    figures = {
        "benchmark": "doctor static analysis",
        "script_lines": lines,
        "findings": findings,
        "repeats": REPEATS,
        "median_seconds": round(statistics.median(timings), 4),
        "max_seconds": round(max(timings), 4),
        "budget_seconds": BUDGET_SECONDS,
        "within_budget": max(timings) < BUDGET_SECONDS,
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    for key, value in figures.items():
        print(f"{key:>16}: {value}")
    atomic_write_json(RESULT, figures)


if __name__ == "__main__":
    main()
