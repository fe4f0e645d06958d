"""Time every exercise check, as a learner meets it: target under 2 s each.

For each exercise, in one process, the reference answer and every plausible wrong
answer are checked; the first check pays for the libraries the exercise imports, so
both the first and the slowest later check are reported. Writes
``benchmarks/results/exercise_checks.json``.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 2.0


def main() -> int:
    scratch = Path(tempfile.mkdtemp(prefix="bench-checks-"))
    os.environ["PIPELINE_WORKBOOK_PROGRESS"] = str(scratch / "progress.json")
    from toolkit.exercises import all_exercises, evaluate

    rows = []
    for exercise in all_exercises().values():
        answers = [exercise.reference, *exercise.wrong_answers]
        seconds = []
        for make_answer in answers:
            answer = make_answer()
            started = time.perf_counter()
            evaluate(exercise, answer)
            seconds.append(time.perf_counter() - started)
        rows.append(
            {
                "exercise": exercise.id,
                "checks": len(seconds),
                "first_seconds": round(seconds[0], 3),
                "slowest_seconds": round(max(seconds), 3),
                "within_target": max(seconds) <= TARGET_SECONDS,
            }
        )

    print(f"{'exercise':10} {'checks':>6} {'first s':>8} {'slowest s':>10}")
    for row in rows:
        print(
            f"{row['exercise']:10} {row['checks']:6d} {row['first_seconds']:8.3f} "
            f"{row['slowest_seconds']:10.3f}"
        )
    result = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "target_seconds": TARGET_SECONDS,
        "exercises": rows,
        "all_within_target": all(row["within_target"] for row in rows),
    }
    print(f"all within {TARGET_SECONDS} s: {result['all_within_target']}")
    (ROOT / "benchmarks" / "results").mkdir(exist_ok=True)
    (ROOT / "benchmarks" / "results" / "exercise_checks.json").write_text(
        json.dumps(result, indent=2) + "\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
