"""Every repair, applied to a runnable fixture, then re-verified by running it."""

import shutil
from pathlib import Path

import pytest

from toolkit.analysis.source import load_source
from toolkit.doctor.engine import diagnose
from toolkit.doctor.repair import repair_code, repair_script
from toolkit.errors import UserInputError

FIXTURES = Path(__file__).parent / "fixtures" / "repair"
ROOT = Path(__file__).resolve().parents[2]

CASES = [
    ("nan_comparison.py", "P02", 'df.loc[df["b"].isna(), "b"] = 0.0'),
    ("chained_assignment.py", "P01", 'df.loc[df["b"] < -2, "b"] = -2'),
    ("discarded_result.py", "P03", "df = df.drop_duplicates()"),
    ("seeds_and_hyperparameters.py", "R01", 'df["label"],\n    random_state=42,\n)'),
    (
        "seeds_and_hyperparameters.py",
        "R02",
        "RandomForestClassifier(\n    n_estimators=100,",
    ),
    ("refit_on_test_rows.py", "S01", "X_test_scaled = scaler.transform(X_test)"),
    ("dummies_per_frame.py", "S01", "serve_features.reindex(columns=train_features"),
    ("target_in_features.py", "L02", 'df.drop(columns=["plan", "label"])'),
    (
        "scaler_before_split.py",
        "L01",
        "make_pipeline(\n    StandardScaler(),\n",
    ),
    ("train_score_reported.py", "E01", "accuracy_score(y_test, model.predict(X_test))"),
    ("unseeded_sampling.py", "R01", "df.sample(frac=0.2, random_state=42)"),
]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("fixture", "rule", "expected"), CASES, ids=[f"{c[1]}-{c[0][:-3]}" for c in CASES]
)
def test_when_repaired_then_script_runs_and_rule_is_gone(
    tmp_path, fixture, rule, expected
):
    work = tmp_path / "work"
    work.mkdir()
    script = work / fixture
    shutil.copy(FIXTURES / fixture, script)
    out = tmp_path / "repaired.py"

    result = repair_script(script, out, workdir=work, timeout=60)

    repaired = out.read_text()
    assert expected in repaired
    assert rule in {change.rule for change in result.changes}
    assert result.verified is True
    assert result.after is not None
    assert result.before is not None or "failed" in (result.before_error or "")
    assert rule not in diagnose(out).rules()
    assert script.read_text() == (FIXTURES / fixture).read_text()


def test_when_repairing_then_untouched_lines_keep_their_formatting():
    unit = load_source(FIXTURES / "nan_comparison.py")

    code, changes = repair_code(unit)

    before, after = unit.text.splitlines(), code.splitlines()
    changed = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert len(before) == len(after)
    assert [i + 1 for i in changed] == [change.line for change in changes]


def test_when_kfold_has_no_shuffle_then_repair_adds_no_seed_to_it():
    unit = load_source(FIXTURES / "seeds_and_hyperparameters.py")

    code, _ = repair_code(unit)

    assert "KFold(n_splits=3)" in code


def test_when_out_is_the_script_itself_then_repair_refuses(tmp_path):
    script = tmp_path / "train.py"
    shutil.copy(FIXTURES / "nan_comparison.py", script)

    with pytest.raises(UserInputError, match="is the script itself"):
        repair_script(script, script, verify=False)


@pytest.mark.slow
def test_when_shipped_pipeline_is_repaired_then_it_runs_and_reports_both_metrics(
    tmp_path,
):
    out = tmp_path / "repaired.py"

    result = repair_script(
        ROOT / "legacy_scripts" / "broken_ml_pipeline.py",
        out,
        workdir=ROOT / "legacy_scripts",
        timeout=120,
    )

    repaired_rules = {change.rule for change in result.changes}
    assert {"L01", "P01", "P02", "P03", "R01", "R02", "S01", "E01"} <= repaired_rules
    assert result.verified is True and result.still_reported == []
    assert result.before["side"] == "train" and result.after["side"] == "test"
    assert not (ROOT / "legacy_scripts" / "churn_model.pkl").exists()
