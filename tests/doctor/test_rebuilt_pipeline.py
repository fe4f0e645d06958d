"""The rebuilt churn pipeline: its steps alone, then the whole DAG under Luigi."""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
REBUILT = ROOT / "migrated" / "broken_ml_pipeline_rebuilt"
DATA = ROOT / "legacy_scripts" / "data" / "churn_snapshots.csv"
sys.path.insert(0, str(REBUILT))
import churn_steps as steps  # noqa: E402


@pytest.fixture(scope="module")
def prepared():
    raw = pd.read_csv(DATA, dtype=steps.DTYPES)
    clean, counts = steps.clean(raw)
    return raw, steps.add_features(clean), counts


def test_when_cleaning_then_every_repair_is_counted_and_rows_add_up(prepared):
    raw, frame, counts = prepared

    assert counts["rows_in"] == len(raw)
    assert counts["rows_out"] == len(frame) == len(raw) - counts["duplicates_dropped"]
    assert counts["duplicates_dropped"] > 0
    assert counts["missing_region_set_to_unknown"] > 0
    assert (frame["monthly_charges"] > 0).all()


def test_when_split_by_time_then_test_is_later_and_shares_no_rows(prepared):
    _, frame, _ = prepared

    split = steps.split_by_time(frame)

    assert split.train[steps.TIME_COLUMN].max() < split.test[steps.TIME_COLUMN].min()
    assert steps.row_overlap(split) == 0


def test_features_leave_out_the_target_the_proxy_and_the_ids():
    features = set(steps.CATEGORICAL + steps.NUMERIC)

    assert not features & {steps.TARGET, steps.ENTITY, steps.TIME_COLUMN}
    assert not features & set(steps.POST_OUTCOME)


def test_when_schema_is_broken_then_validation_fails(prepared):
    raw, _, _ = prepared
    bad = raw.copy()
    bad.loc[bad.index[0], "contract"] = "lifetime"

    with pytest.raises(Exception, match="isin"):
        steps.clean(bad)


def test_doctor_finds_no_error_in_the_rebuilt_steps():
    from toolkit.doctor.engine import diagnose

    report = diagnose(REBUILT / "churn_steps.py")

    assert not report.has_errors


@pytest.mark.slow
def test_when_pipeline_runs_twice_then_honest_and_broken_metrics_and_one_model(
    tmp_path,
):
    command = [
        sys.executable,
        str(REBUILT / "pipeline.py"),
        "--state-root",
        str(tmp_path),
    ]

    first = subprocess.run(command, capture_output=True, text=True, timeout=600)
    models = sorted((tmp_path / "models").glob("churn-*.joblib"))
    stamp = models[0].stat().st_mtime_ns
    second = subprocess.run(command, capture_output=True, text=True, timeout=600)

    assert first.returncode == 0, first.stderr[-2000:]
    assert second.returncode == 0
    assert sorted((tmp_path / "models").glob("churn-*.joblib")) == models
    assert models[0].stat().st_mtime_ns == stamp
    report = json.loads(
        (tmp_path / "evaluation-split2-seed7" / "evaluation.json").read_text()
    )
    assert report["broken"]["accuracy"] > 0.99
    assert report["honest"]["roc_auc"] < report["broken"]["accuracy"]
    assert 0.5 < report["honest"]["roc_auc"] < 0.9
    assert (tmp_path / "mlflow.db").is_file()
    card = json.loads(next((tmp_path / "models").glob("churn-*.json")).read_text())
    assert card["artifact"] == models[0].name
    assert "refund_amount" in card["excluded"]
