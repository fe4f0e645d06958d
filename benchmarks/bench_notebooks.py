"""Time every notebook in the ci profile, and the whole workbook.

Runs ``toolkit notebooks run --profile ci`` once per notebook (a fresh kernel each,
as a learner's run would), then prints a table and writes
``benchmarks/results/notebooks.json``. Targets: each notebook at most 40 s, the
whole workbook at most 5 minutes on 2 cores.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOOLKIT = [sys.executable, "-m", "toolkit"]
NOTEBOOK_TARGET_SECONDS = 40
WORKBOOK_TARGET_SECONDS = 300


def main() -> int:
    notebooks = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    out = Path(tempfile.mkdtemp(prefix="bench-notebooks-"))
    environment = dict(os.environ, PIPELINE_WORKBOOK_PROGRESS=str(out / "p.json"))

    started = time.perf_counter()
    completed = subprocess.run(
        [*TOOLKIT, "notebooks", "run", "--profile", "ci", "--json", "--out", str(out)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    total = time.perf_counter() - started
    summary = json.loads(completed.stdout)

    rows = [
        {
            "notebook": entry["notebook"],
            "status": entry["status"],
            "seconds": entry["seconds"],
            "within_target": entry["seconds"] <= NOTEBOOK_TARGET_SECONDS,
        }
        for entry in summary["notebooks"]
    ]
    result = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "profile": "ci",
        "notebooks": rows,
        "workbook_seconds": round(total, 1),
        "workbook_target_seconds": WORKBOOK_TARGET_SECONDS,
        "notebook_target_seconds": NOTEBOOK_TARGET_SECONDS,
        "all_within_target": all(r["within_target"] for r in rows)
        and total <= WORKBOOK_TARGET_SECONDS,
    }

    print(f"{'notebook':40} {'status':8} {'seconds':>8}")
    for row in rows:
        print(f"{row['notebook']:40} {row['status']:8} {row['seconds']:8.1f}")
    print(
        f"{'whole workbook':40} {'':8} {total:8.1f}  (target {WORKBOOK_TARGET_SECONDS})"
    )
    print(f"notebooks found: {len(notebooks)}")

    (ROOT / "benchmarks" / "results").mkdir(exist_ok=True)
    (ROOT / "benchmarks" / "results" / "notebooks.json").write_text(
        json.dumps(result, indent=2) + "\n"
    )
    return 0 if completed.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
