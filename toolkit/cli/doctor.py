"""``toolkit doctor`` and ``toolkit repair``: diagnose and fix ML training scripts."""

from __future__ import annotations

import argparse
import textwrap
from pathlib import Path
from typing import Any

from toolkit.cli.common import EXIT_FINDINGS, EXIT_OK, common_options
from toolkit.cli.output import print_json, render_table

DOCTOR_EXAMPLE = (
    "Examples:\n"
    "  toolkit doctor legacy_scripts/broken_ml_pipeline.py\n"
    "  toolkit doctor train.ipynb --json\n"
    "  toolkit doctor legacy_scripts/broken_ml_pipeline.py --run "
    "--workdir legacy_scripts"
)
REPAIR_EXAMPLE = (
    "Example: toolkit repair legacy_scripts/broken_ml_pipeline.py "
    "--out runs/repaired.py --workdir legacy_scripts"
)


def register(subparsers: Any) -> None:
    """Add ``doctor`` and ``repair``."""
    doctor = subparsers.add_parser(
        "doctor",
        parents=[common_options()],
        help="find leakage, evaluation and pandas defects in a training script",
        description=textwrap.fill(
            "Analyse a pandas + scikit-learn script or notebook without running it "
            "and report each defect with its rule, line, severity and fix (pages in "
            "docs/rules/). With --run, execute it in a copy of --workdir under "
            "instrumentation to confirm or dismiss findings with measurements. "
            "Exits 1 when any error-severity finding remains, 0 when none, 2 on "
            "bad input, a failed run or a run over --timeout."
        ),
        epilog=DOCTOR_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    doctor.add_argument("script", type=Path, metavar="SCRIPT", help=".py or .ipynb")
    doctor.add_argument(
        "--run",
        action="store_true",
        help="execute the script (in a copy of --workdir) to gather evidence",
    )
    doctor.add_argument(
        "--workdir",
        type=Path,
        help="folder the script runs from (default: the script's folder)",
    )
    doctor.add_argument(
        "--timeout", type=float, default=120.0, help="seconds --run may take"
    )
    doctor.set_defaults(handler=doctor_command)

    repair = subparsers.add_parser(
        "repair",
        parents=[common_options()],
        help="apply the safe fixes the doctor knows, into a new file",
        description=textwrap.fill(
            "Rewrite SCRIPT into --out with format-preserving codemods for the "
            "repairable findings (NaN comparisons, chained assignment, seeds, "
            "explicit hyperparameters, encoder refits, dummies alignment, the "
            "target among the features, discarded results, preprocessing moved "
            "into a Pipeline after the split). Then run the original and the "
            "repaired script in copies of --workdir, print the metric before and "
            "after, and check the doctor no longer reports the repaired rules. "
            "Other findings are listed as suggestions. Exits 1 when the repaired "
            "script still fails verification, 2 on bad input."
        ),
        epilog=REPAIR_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    repair.add_argument("script", type=Path, metavar="SCRIPT", help=".py file")
    repair.add_argument(
        "--out", type=Path, required=True, help="where to write the repaired script"
    )
    repair.add_argument(
        "--workdir",
        type=Path,
        help="folder the scripts run from (default: the script's folder)",
    )
    repair.add_argument(
        "--timeout", type=float, default=120.0, help="seconds each run may take"
    )
    repair.add_argument(
        "--no-verify",
        action="store_true",
        help="only write the repaired script; do not run either script",
    )
    repair.set_defaults(handler=repair_command)


def doctor_command(args: argparse.Namespace) -> int:
    """Diagnose one script and print its findings."""
    from toolkit.doctor.engine import diagnose

    report = diagnose(
        args.script, run=args.run, workdir=args.workdir, timeout=args.timeout
    )
    if args.json:
        print_json(report.to_json())
        return EXIT_FINDINGS if report.has_errors else EXIT_OK

    if not report.findings:
        print(f"{report.path}: no findings")
    else:
        rows = [
            [f.location, f.rule, f.severity, f.status, f.message]
            for f in report.findings
        ]
        print(render_table(["where", "rule", "severity", "status", "message"], rows))
        print()
        for finding in report.findings:
            if finding.evidence:
                print(f"{finding.location} {finding.rule} evidence: {finding.evidence}")
        for finding in report.dismissed:
            print(
                f"{finding.location} {finding.rule} dismissed by the run: "
                f"{finding.evidence}"
            )
        rules = sorted(report.rules())
        print("explained in: " + ", ".join(f"docs/rules/{rule}.md" for rule in rules))
    if report.run:
        for line in _run_lines(report.run):
            print(line)
    if report.run and report.run.get("last_metric"):
        metric = report.run["last_metric"]
        print(
            f"the script's last metric: {metric['metric']} {metric['value']:.3f} "
            f"({metric.get('side') or 'unknown'} rows) in {report.run['seconds']} s"
        )
    return EXIT_FINDINGS if report.has_errors else EXIT_OK


def _run_lines(run: dict[str, Any]) -> list[str]:
    """A few human lines about what the instrumented run measured."""
    lines = []
    for split in run.get("splits", []):
        if "error" in split:
            continue
        lines.append(
            f"run: split at line {split['line']}: {split['train_rows']} train rows, "
            f"{split['test_rows']} test rows"
        )
    fits: dict[tuple[Any, ...], int] = {}
    for fit in run.get("fits", []):
        key = (
            fit["estimator"],
            fit["method"],
            fit["line"],
            fit["rows"],
            fit.get("side"),
        )
        fits[key] = fits.get(key, 0) + 1
    for (estimator, method, line, rows, side), times in fits.items():
        repeat = f" ({times} times)" if times > 1 else ""
        lines.append(
            f"run: {estimator}.{method} at line {line} saw {rows} rows, "
            f"{side or 'not the train split'}{repeat}"
        )
    for drop in run.get("row_drops", []):
        before = drop["rows_before"]
        if drop["step"] == "filter":
            change = f"kept {before - drop['lost']} of {before} rows"
        elif drop["step"] == "to_numeric":
            change = f"turned {drop['lost']} values into missing ones"
        else:
            change = f"lost {drop['lost']} of {before} rows"
        lines.append(f"run: line {drop['line']} {drop['step']} {change}")
    return lines


def repair_command(args: argparse.Namespace) -> int:
    """Repair one script into ``--out`` and verify the result."""
    from toolkit.doctor.repair import repair_script

    result = repair_script(
        args.script,
        args.out,
        workdir=args.workdir,
        timeout=args.timeout,
        verify=not args.no_verify,
    )
    if args.json:
        print_json(result.to_json())
        return EXIT_OK if result.verified is not False else EXIT_FINDINGS

    rows = [[c.rule, c.line, c.description] for c in result.changes]
    print(render_table(["rule", "line", "repair"], rows) if rows else "no safe repairs")
    for suggestion in result.suggestions:
        print(f"suggestion {suggestion.location} {suggestion.rule}: {suggestion.fix}")
    for line in result.metric_lines():
        print(line)
    if result.still_reported:
        print("still reported after repair: " + ", ".join(result.still_reported))
    print(f"repaired script written to {result.out}")
    return EXIT_OK if result.verified is not False else EXIT_FINDINGS
