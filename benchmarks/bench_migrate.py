"""Time migrated DAGs against their scripts, and the migrator itself.

Figures (targets in brackets), written to benchmarks/results/migrate.json:

1. A generated ETL of about a million rows, migrated: the DAG's wall time over the
   script's (at most 1.2x), both run as a fresh ``python`` process from the data
   folder, the DAG with one worker.
2. The same DAG run again with every target complete, over the script's wall time
   (at most 0.05x); the time Luigi takes to import is reported beside it.
3. Two independent branches of about the same cost: the DAG with 2 workers over the
   DAG with 1 (below 1 means the branches ran side by side).
4. Planning and rendering a generated 1,000-line script (at most 1 s, median of 5).

Each run starts a fresh process in a fresh copy of the data; figures 1-3 are the
median of --repeat runs (3 by default), interleaved so that load from other work
falls on both sides of a comparison.

    python benchmarks/bench_migrate.py [--rows 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.analysis.source import load_source
from toolkit.io import atomic_write_json
from toolkit.migrate.generator import render
from toolkit.migrate.planner import plan_migration
from toolkit.migrate.service import migrate_script

ROOT = Path(__file__).resolve().parents[1]
RESULT = ROOT / "benchmarks" / "results" / "migrate.json"

ETL_SCRIPT = """\
import pandas as pd

# Load the events
events = pd.read_csv("events.csv", parse_dates=["day"])
events["amount"] = events["amount"].fillna(0.0)
events["segment"] = events["customer"].astype(str).str[-1]
events.sort_values(["customer", "day"], inplace=True)

# Daily revenue
daily = events.groupby("day", as_index=False)["amount"].sum()
daily["rolling"] = daily["amount"].rolling(7, min_periods=1).mean()

# Customer profile
profile = events.groupby("customer").agg(
    orders=("amount", "size"), spent=("amount", "sum"), last_day=("day", "max")
)
profile["rank"] = profile["spent"].rank(ascending=False)
by_segment = events.groupby(["segment", "day"], as_index=False)["amount"].mean()

# Write the reports
daily.to_csv("daily.csv", index=False)
profile.to_parquet("profile.parquet")
by_segment.to_csv("segments.csv", index=False)
"""

BRANCH_SCRIPT = """\
import numpy as np

# Left branch
left = 0.0
for seed in range(12):
    left += float(np.linalg.svd(np.random.default_rng(seed).random((900, 900)))[1][0])

# Right branch
right = 0.0
for seed in range(12, 24):
    right += float(np.linalg.svd(np.random.default_rng(seed).random((900, 900)))[1][0])

# Join
with open("joined.txt", "w") as handle:
    handle.write(f"{left:.6f} {right:.6f}\\n")
"""


def write_events(folder: Path, rows: int) -> None:
    rng = np.random.default_rng(7)
    amount = rng.gamma(2.0, 30.0, rows)
    amount[rng.random(rows) < 0.01] = np.nan
    frame = pd.DataFrame(
        {
            "customer": rng.integers(0, 50_000, rows),
            "day": pd.Timestamp("2024-01-01")
            + pd.to_timedelta(rng.integers(0, 365, rows), unit="D"),
            "amount": amount,
        }
    )
    frame.to_csv(folder / "events.csv", index=False)


def run_seconds(
    command: list[str], cwd: Path, environment: dict[str, str] | None = None
) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=environment, check=True, capture_output=True)
    return time.perf_counter() - started


def fresh_copy(source: Path, target: Path) -> Path:
    target.mkdir(parents=True)
    for path in source.iterdir():
        (target / path.name).write_bytes(path.read_bytes())
    return target


def thousand_line_script(folder: Path) -> Path:
    sections = ["import pandas as pd", "", "frame = pd.read_csv('input.csv')", ""]
    index = 0
    while sum(section.count("\n") + 1 for section in sections) < 1000:
        sections += [
            f"# Step {index}",
            f"part_{index} = frame[frame['value'] > {index}].copy()",
            f"part_{index}['scaled'] = part_{index}['value'] * {index + 1}",
            f"part_{index}.dropna(inplace=True)",
            f"total_{index} = float(part_{index}['scaled'].sum())",
            f"part_{index}.to_csv('out_{index}.csv', index=False)",
            "",
        ]
        index += 1
    path = folder / "long_script.py"
    path.write_text("\n".join(sections) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    python = sys.executable
    load_before = os.getloadavg()[0]

    with tempfile.TemporaryDirectory(prefix="bench-migrate-") as scratch:
        base = Path(scratch)

        # 1-2. The million-row ETL: script, DAG, DAG again with everything done.
        inputs = base / "inputs"
        inputs.mkdir()
        write_events(inputs, args.rows)
        script = base / "events_etl.py"
        script.write_text(ETL_SCRIPT)
        package = base / "events_etl"
        migrate_script(script, package)
        dag_command = [python, str(package / "pipeline.py"), "--workers", "1"]
        script_runs, dag_runs, rerun_runs, import_runs = [], [], [], []
        for run in range(args.repeat):
            script_runs.append(
                run_seconds(
                    [python, str(script)], fresh_copy(inputs, base / f"script-{run}")
                )
            )
            dag_folder = fresh_copy(inputs, base / f"dag-{run}")
            dag_runs.append(run_seconds(dag_command, dag_folder))
            rerun_runs.append(run_seconds(dag_command, dag_folder))
            import_runs.append(
                run_seconds([python, "-c", "import luigi.interface"], base)
            )
        script_seconds = statistics.median(script_runs)
        dag_seconds = statistics.median(dag_runs)
        rerun_seconds = statistics.median(rerun_runs)
        luigi_import_seconds = statistics.median(import_runs)

        # 3. Two branches: 1 worker against 2, one BLAS thread per process so
        # that the comparison measures Luigi's workers, not BLAS threads.
        single_thread = dict(
            os.environ,
            OMP_NUM_THREADS="1",
            OPENBLAS_NUM_THREADS="1",
            MKL_NUM_THREADS="1",
        )
        branches = base / "branches.py"
        branches.write_text(BRANCH_SCRIPT)
        branch_package = base / "branches"
        migrate_script(branches, branch_package)
        branch_runs: dict[int, list[float]] = {1: [], 2: []}
        for run in range(args.repeat):
            for workers in (1, 2):
                folder = base / f"branches-{workers}-{run}"
                folder.mkdir()
                branch_runs[workers].append(
                    run_seconds(
                        [
                            python,
                            str(branch_package / "pipeline.py"),
                            "--workers",
                            str(workers),
                        ],
                        folder,
                        single_thread,
                    )
                )
        one_worker = statistics.median(branch_runs[1])
        two_workers = statistics.median(branch_runs[2])

        # 4. Planning and rendering a 1,000-line script.
        long_script = thousand_line_script(base)
        timings = []
        for _ in range(5):
            started = time.perf_counter()
            render(plan_migration(load_source(long_script)))
            timings.append(time.perf_counter() - started)
        lines = len(long_script.read_text().splitlines())

    result = {
        "machine": {"python": platform.python_version(), "cpus": _cpus()},
        "etl_rows": args.rows,
        "repeat": args.repeat,
        "etl_script_seconds": round(script_seconds, 3),
        "etl_dag_seconds": round(dag_seconds, 3),
        "etl_dag_over_script": round(dag_seconds / script_seconds, 3),
        "etl_dag_over_script_target": 1.2,
        "etl_dag_without_luigi_import_over_script": round(
            max(dag_seconds - luigi_import_seconds, 0.0) / script_seconds, 3
        ),
        "rerun_seconds": round(rerun_seconds, 3),
        "rerun_over_script": round(rerun_seconds / script_seconds, 3),
        "rerun_over_script_target": 0.05,
        "luigi_import_seconds": round(luigi_import_seconds, 3),
        "rerun_without_luigi_import_seconds": round(
            max(rerun_seconds - luigi_import_seconds, 0.0), 3
        ),
        "load_average_before": round(load_before, 2),
        "branches_one_worker_seconds": round(one_worker, 3),
        "branches_two_workers_seconds": round(two_workers, 3),
        "branches_two_over_one": round(two_workers / one_worker, 3),
        "migrate_script_lines": lines,
        "migrate_seconds_median": round(statistics.median(timings), 3),
        "migrate_seconds_target": 1.0,
    }
    atomic_write_json(RESULT, result)
    for key, value in result.items():
        print(f"{key:32} {value}")


def _cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 0


if __name__ == "__main__":
    main()
