"""What the doctor reports: findings, each tied to a rule and a line."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from toolkit.doctor.catalog import ERROR, RULES

STATIC = "static"
CONFIRMED = "confirmed"
DISMISSED = "dismissed"


@dataclass(frozen=True)
class Finding:
    """One defect: which rule, where, why, and what to do about it."""

    rule: str
    line: int
    message: str
    severity: str = ""
    evidence: str | None = None
    fix: str = ""
    location: str = ""
    status: str = STATIC
    repairable: bool = False

    def __post_init__(self) -> None:
        """Fill severity and fix from the catalog when a rule leaves them out."""
        rule = RULES[self.rule]
        if not self.severity:
            object.__setattr__(self, "severity", rule.severity)
        if not self.fix:
            object.__setattr__(self, "fix", rule.fix)

    @property
    def doc(self) -> str:
        """The rule's explanation page."""
        return RULES[self.rule].doc

    def with_evidence(
        self, evidence: str, status: str, severity: str | None = None
    ) -> Finding:
        """Return a copy carrying run-time evidence."""
        return replace(
            self, evidence=evidence, status=status, severity=severity or self.severity
        )

    def to_json(self) -> dict[str, Any]:
        """The stable JSON shape of one finding."""
        return {
            "rule": self.rule,
            "line": self.line,
            "location": self.location,
            "severity": self.severity,
            "title": RULES[self.rule].title,
            "message": self.message,
            "evidence": self.evidence,
            "fix": self.fix,
            "status": self.status,
            "repairable": self.repairable,
            "doc": self.doc,
        }


@dataclass
class Report:
    """Everything one doctor run found about one script or notebook."""

    path: str
    kind: str
    findings: list[Finding] = field(default_factory=list)
    dismissed: list[Finding] = field(default_factory=list)
    run: dict[str, Any] | None = None

    @property
    def has_errors(self) -> bool:
        """True when any finding has error severity."""
        return any(finding.severity == ERROR for finding in self.findings)

    def rules(self) -> set[str]:
        """The ids of every rule with a finding."""
        return {finding.rule for finding in self.findings}

    def to_json(self) -> dict[str, Any]:
        """The stable JSON document ``toolkit doctor --json`` prints."""
        return {
            "path": self.path,
            "kind": self.kind,
            "findings": [finding.to_json() for finding in self.findings],
            "dismissed": [finding.to_json() for finding in self.dismissed],
            "run": self.run,
        }
