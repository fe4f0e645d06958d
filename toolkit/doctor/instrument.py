"""``doctor --run``: execute the script in a copy of its folder and weigh the findings.

1. Copy ``--workdir`` into a temporary folder (the user's files are never touched;
   ``.git``, virtual environments and caches are left out). A notebook's code cells
   become one script there.
2. Start ``runtime/shim.py`` in a subprocess with the same interpreter, in its own
   process group, with ``HOME`` pointed inside the copy; the shim patches pandas and
   scikit-learn and writes what it saw as JSON. The time and entity columns the
   static rules suspect are passed in the environment.
3. Over the time limit the whole process group is killed and the run is reported as
   bad input (exit 2); a script that fails is reported the same way, with the last
   line of its error.
4. :func:`weigh` attaches the measurements to the static findings: a finding with
   evidence for it is *confirmed* (and may become an error), one the run disproves is
   *dismissed*, and a column that alone predicts the target adds an L02 finding.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from toolkit.analysis.source import NOTEBOOK, SourceUnit
from toolkit.doctor.catalog import ERROR, WARNING
from toolkit.doctor.findings import CONFIRMED, DISMISSED, Finding
from toolkit.doctor.flow import ENTITY_COLUMN, Facts
from toolkit.errors import UserInputError, explain

log = logging.getLogger(__name__)

SHIM = Path(__file__).parent / "runtime" / "shim.py"
IGNORED = shutil.ignore_patterns(
    ".git", ".venv", "venv", "__pycache__", ".ipynb_checkpoints", "node_modules", "runs"
)
PROXY_POWER = 0.9  # ROC AUC of one column alone that marks it as a proxy
MINORITY_SHARE = 0.35  # a majority baseline above 65% flatters accuracy


@dataclass
class RunOutcome:
    """What one instrumented execution measured."""

    seconds: float
    evidence: dict[str, Any]
    stdout: str

    def last_metric(self) -> dict[str, Any] | None:
        """The last metric the script computed outside the library."""
        metrics = [
            m for m in self.evidence.get("metrics", []) if m.get("value") is not None
        ]
        return metrics[-1] if metrics else None


def watched_columns(facts: Facts) -> tuple[list[str], list[str]]:
    """The time and entity columns worth measuring across the split."""
    time_columns = [
        column for _, column in facts.time_ordering if not column.startswith(".")
    ]
    entities = [column for _, column in facts.entity_uses]
    for columns in facts.columns_in_data.values():
        entities += [column for column in columns if ENTITY_COLUMN.match(column)]
    return list(dict.fromkeys(time_columns)), list(dict.fromkeys(entities))


@contextmanager
def working_copy(unit: SourceUnit, workdir: Path) -> Iterator[tuple[Path, Path]]:
    """Yield (copy of workdir, script inside it); remove the copy afterwards."""
    if not workdir.is_dir():
        raise UserInputError(
            explain(
                f"--workdir {workdir} is not a folder",
                "the folder the script runs from",
                "--workdir with the folder holding its data",
            )
        )
    scratch = Path(tempfile.mkdtemp(prefix="doctor-run-"))
    try:
        copy = scratch / "work"
        shutil.copytree(workdir, copy, ignore=IGNORED, symlinks=True)
        source = unit.path.resolve()
        try:
            relative = source.relative_to(workdir.resolve())
            script = copy / relative
        except ValueError:
            script = copy / source.name
        if unit.kind == NOTEBOOK:
            script = script.with_suffix(".doctor.py")
            script.write_text(unit.text, encoding="utf-8")
        elif not script.exists():
            shutil.copy2(source, script)
        (scratch / "home").mkdir()
        yield copy, script
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def execute(
    unit: SourceUnit,
    workdir: Path,
    timeout: float,
    facts: Facts | None = None,
    script_override: str | None = None,
) -> RunOutcome:
    """Run ``unit`` under the shim in a copy of ``workdir``.

    Args:
        unit: The parsed script or notebook.
        workdir: The folder it runs from (copied, never modified).
        timeout: Seconds before the run is stopped.
        facts: Static facts, to choose which columns to measure.
        script_override: Source text to run instead of the file's own (for repair).

    Raises:
        UserInputError: when the script fails or runs over ``timeout``.
    """
    time_columns, entities = watched_columns(facts) if facts else ([], [])
    with working_copy(unit, workdir) as (copy, script):
        if script_override is not None:
            script.write_text(script_override, encoding="utf-8")
        evidence_path = copy.parent / "evidence.json"
        environment = {
            **os.environ,
            "HOME": str(copy.parent / "home"),
            "MPLBACKEND": "Agg",
            "PYTHONDONTWRITEBYTECODE": "1",
            "DOCTOR_TIME_COLUMNS": ",".join(time_columns),
            "DOCTOR_ENTITY_COLUMNS": ",".join(entities),
        }
        command = [sys.executable, str(SHIM), str(script), str(evidence_path)]
        log.info("running %s in %s (limit %.0f s)", unit.path, copy, timeout)
        started = time.perf_counter()
        process = subprocess.Popen(
            command,
            cwd=script.parent if unit.kind == NOTEBOOK else copy,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as error:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise UserInputError(
                explain(
                    f"{unit.path}: still running after {timeout:g} s",
                    "a script that finishes within the time limit",
                    "--timeout with more seconds, or a smaller data sample",
                )
            ) from error
        seconds = time.perf_counter() - started

        if process.returncode != 0:
            last = (stderr.strip().splitlines() or ["no error output"])[-1]
            raise UserInputError(
                explain(
                    f"{unit.path}: the script failed with exit code "
                    f"{process.returncode} ({last[:200]})",
                    "a script that runs to the end from --workdir",
                    "running it by hand from that folder, or --workdir pointing "
                    "at its data",
                )
            )
        if not evidence_path.exists():
            log.warning("%s exited without leaving evidence (os._exit?)", unit.path)
        evidence = (
            json.loads(evidence_path.read_text(encoding="utf-8"))
            if evidence_path.exists()
            else {}
        )
    return RunOutcome(seconds=round(seconds, 2), evidence=evidence, stdout=stdout)


def _share(part: int, whole: int | None) -> str:
    if not whole:
        return f"{part}"
    return f"{part} of {whole} ({100 * part / whole:.0f}%)"


def weigh(
    findings: list[Finding], outcome: RunOutcome, facts: Facts
) -> tuple[list[Finding], list[Finding]]:
    """Confirm or dismiss each finding with the run's evidence.

    Returns:
        The findings to report and the findings the run dismissed.
    """
    evidence = outcome.evidence
    splits = [split for split in evidence.get("splits", []) if "error" not in split]
    split = splits[0] if splits else None
    fits = evidence.get("fits", [])
    metrics = [m for m in evidence.get("metrics", []) if m.get("value") is not None]
    kept: list[Finding] = []
    dismissed: list[Finding] = []

    def keep(finding: Finding, text: str, severity: str | None = None) -> None:
        kept.append(finding.with_evidence(text, CONFIRMED, severity))

    def drop(finding: Finding, text: str) -> None:
        dismissed.append(finding.with_evidence(text, DISMISSED))

    for finding in findings:
        rule, line = finding.rule, finding.line
        at_line = [fit for fit in fits if fit["line"] == line]
        if rule == "L01" and at_line and split:
            fit = at_line[0]
            seen = fit.get("test_rows_seen")
            text = (
                f"{fit['estimator']}.{fit['method']} saw {fit['rows']} rows; the "
                f"train split has {split['train_rows']}"
            )
            if seen:
                share = _share(seen, fit.get("test_labels"))
                keep(finding, f"{text}; it saw {share} of the test rows")
            elif fit["rows"] and fit["rows"] > split["train_rows"]:
                keep(finding, text)
            else:
                drop(finding, text)
        elif rule == "L02" and finding.severity != ERROR:
            column = finding.message.split("'")[1]
            power: dict[str, float] = next(
                (fit["power"] for fit in fits if fit.get("power")), {}
            )
            if column in power:
                text = (
                    f"'{column}' alone separates the classes with ROC AUC "
                    f"{power[column]:.2f}"
                )
                if power[column] >= PROXY_POWER:
                    keep(finding, text, ERROR)
                else:
                    drop(finding, text)
            else:
                kept.append(finding)
        elif rule == "L03" and split and split.get("test_rows_in_train") is not None:
            shared = split["test_rows_in_train"]
            text = (
                f"{_share(shared, split['test_rows'])} test rows also appear in train"
            )
            if shared:
                keep(finding, text, ERROR)
            else:
                drop(finding, text)
        elif rule == "L05" and split and split.get("time"):
            column, order = next(iter(split["time"].items()))
            earlier = order["test_rows_before_latest_train"]
            text = (
                f"{_share(earlier, split['test_rows'])} test rows are older than the "
                f"newest training row ({column} up to {order['latest_train'][:10]})"
            )
            if earlier:
                keep(finding, text)
            else:
                drop(finding, text)
        elif rule == "L06" and split and split.get("entity"):
            column, overlap = next(iter(split["entity"].items()))
            text = (
                f"{_share(overlap['also_in_train'], overlap['test_values'])} "
                f"{column} values in test also appear in train"
            )
            if overlap["also_in_train"]:
                keep(finding, text, ERROR)
            else:
                drop(finding, text)
        elif rule == "L04":
            scores = [m["value"] for m in metrics if m["line"] == line]
            if scores:
                keep(
                    finding,
                    f"{len(scores)} candidates scored on the test set, from "
                    f"{min(scores):.3f} to {max(scores):.3f}",
                )
            else:
                kept.append(finding)
        elif rule == "E01":
            reported = [m for m in metrics if m["line"] == line]
            held_out = [m for m in metrics if m.get("side") == "test"]
            if reported:
                text = f"reported {reported[-1]['metric']} {reported[-1]['value']:.3f}"
                if held_out:
                    text += f"; on the test rows it was {held_out[-1]['value']:.3f}"
                keep(finding, text)
            else:
                kept.append(finding)
        elif rule == "E02" and split and split.get("train_classes"):
            minority = min(split["train_classes"].values())
            text = f"the rarest class is {100 * minority:.0f}% of the training rows"
            if minority < MINORITY_SHARE:
                keep(finding, text)
            else:
                drop(finding, text)
        elif rule == "D01":
            drops = [d for d in evidence.get("drops", []) if d["line"] == line]
            if drops:
                lost = sum(d["lost"] for d in drops)
                text = f"{_share(lost, drops[0]['rows_before'])} rows lost here"
                if drops[0]["step"] == "to_numeric":
                    text = f"{lost} values became missing here"
                if lost:
                    keep(finding, text)
                else:
                    drop(finding, text)
            else:
                kept.append(finding)
        elif rule == "S01" and at_line:
            keep(
                finding,
                f"refitted on {at_line[0]['rows']} rows that are not the training rows",
            )
        else:
            kept.append(finding)

    flagged = {
        f.message.split("'")[1] for f in kept if f.rule == "L02" and "'" in f.message
    }
    for fit in fits:
        for column, strength in (fit.get("power") or {}).items():
            if strength >= 0.97 and column not in flagged:
                kept.append(
                    Finding(
                        "L02",
                        fit["line"],
                        f"'{column}' alone predicts the target almost perfectly: "
                        "check that its value is known before the outcome",
                        severity=WARNING,
                        evidence=f"ROC AUC of '{column}' alone: {strength:.2f}",
                        status=CONFIRMED,
                        location=facts.unit.location(fit["line"]),
                    )
                )
    kept.sort(key=lambda f: (f.line, f.rule))
    return kept, [replace(f) for f in dismissed]


def summary(outcome: RunOutcome) -> dict[str, Any]:
    """The run section of the JSON report."""
    evidence = outcome.evidence
    return {
        "seconds": outcome.seconds,
        "splits": evidence.get("splits", []),
        "fits": [
            {k: v for k, v in fit.items() if k not in {"object"}}
            for fit in evidence.get("fits", [])
        ],
        "metrics": evidence.get("metrics", []),
        "row_drops": [d for d in evidence.get("drops", []) if d["lost"]],
        "last_metric": outcome.last_metric(),
    }
