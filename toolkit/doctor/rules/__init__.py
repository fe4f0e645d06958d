"""The rule families. Each module registers its checks with :func:`rule`.

A check takes the script's :class:`~toolkit.doctor.flow.Facts` and yields
:class:`~toolkit.doctor.findings.Finding` objects; it never re-parses the script.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable

from toolkit.doctor.findings import Finding
from toolkit.doctor.flow import Facts

Check = Callable[[Facts], Iterable[Finding]]
FAMILIES = (
    "leakage",
    "evaluation",
    "reproducibility",
    "pandas",
    "data",
    "robustness",
)
CHECKS: dict[str, Check] = {}


def rule(rule_id: str) -> Callable[[Check], Check]:
    """Register ``check`` as the implementation of ``rule_id``."""

    def register(check: Check) -> Check:
        CHECKS[rule_id] = check
        return check

    return register


def all_checks() -> dict[str, Check]:
    """Import every family module once and return the registered checks."""
    for family in FAMILIES:
        importlib.import_module(f"{__name__}.{family}")
    return dict(CHECKS)
