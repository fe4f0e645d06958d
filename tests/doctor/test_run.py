"""``doctor --run`` on the shipped broken pipeline: measurements confirm the defects."""

from pathlib import Path

import pytest

from toolkit.doctor.engine import diagnose
from toolkit.doctor.findings import CONFIRMED

ROOT = Path(__file__).resolve().parents[2]
LEGACY = ROOT / "legacy_scripts"


@pytest.fixture(scope="module")
def report():
    return diagnose(LEGACY / "broken_ml_pipeline.py", run=True, workdir=LEGACY)


def _confirmed(report, rule):
    return [f for f in report.findings if f.rule == rule and f.status == CONFIRMED]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("L01", "test rows"),
        ("L02", "refund_amount"),
        ("L03", "test rows also appear in train"),
        ("L04", "candidates scored on the test set"),
        ("L05", "older than the newest training row"),
        ("L06", "customer_id values in test also appear in train"),
        ("E01", "on the test rows it was"),
        ("E02", "rarest class"),
        ("D01", "rows lost here"),
        ("S01", "refitted on"),
    ],
)
def test_when_run_then_evidence_confirms_the_planted_defect(report, rule, words):
    confirmed = _confirmed(report, rule)

    assert confirmed, f"{rule} not confirmed"
    assert any(words in (f.evidence or "") for f in confirmed)


@pytest.mark.slow
def test_when_run_then_the_reported_score_is_the_flattering_training_one(report):
    metric = report.run["last_metric"]

    assert metric["side"] == "train" and metric["value"] > 0.99


@pytest.mark.slow
def test_when_run_finds_no_rows_lost_then_the_drop_finding_is_dismissed(report):
    dismissed = [(f.rule, f.line) for f in report.dismissed]

    assert ("D01", 84) in dismissed
