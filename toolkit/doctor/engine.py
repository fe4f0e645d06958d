"""Run every rule over one script and put the findings in order."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from toolkit.analysis.source import SourceUnit, load_source
from toolkit.doctor.findings import Finding, Report
from toolkit.doctor.flow import Facts, analyse
from toolkit.doctor.instrument import execute, summary, weigh
from toolkit.doctor.rules import all_checks

log = logging.getLogger(__name__)


def check_unit(unit: SourceUnit) -> tuple[Facts, list[Finding]]:
    """Analyse ``unit`` statically and return its facts and sorted findings."""
    facts = analyse(unit)
    findings: dict[tuple[str, int, str], Finding] = {}
    for rule_id, check in all_checks().items():
        for finding in check(facts):
            located = replace(finding, location=unit.location(finding.line))
            findings.setdefault((rule_id, finding.line, finding.message), located)
    ordered = sorted(findings.values(), key=lambda f: (f.line, f.rule))
    log.info("%s: %d findings", unit.path, len(ordered))
    return facts, ordered


def diagnose(
    path: str | Path,
    run: bool = False,
    workdir: str | Path | None = None,
    timeout: float = 120.0,
) -> Report:
    """Read ``path`` (a script or notebook) and report what is wrong with it.

    Args:
        path: The script or notebook.
        run: Execute it (in a copy of ``workdir``) to confirm or dismiss findings.
        workdir: The folder it runs from; its own folder when not given.
        timeout: Seconds the run may take.

    Raises:
        UserInputError: when the file cannot be read or parsed, or with ``run``
            when the script fails or runs over ``timeout``.
    """
    unit = load_source(path)
    facts, findings = check_unit(unit)
    report = Report(path=str(path), kind=unit.kind, findings=findings)
    if not run:
        return report

    folder = Path(workdir) if workdir is not None else unit.path.resolve().parent
    outcome = execute(unit, folder, timeout, facts)
    report.findings, report.dismissed = weigh(findings, outcome, facts)
    report.run = summary(outcome)
    return report
