"""Calls the repairs change are laid out to fit 88 columns; other lines keep theirs."""

import ast
from pathlib import Path

from toolkit.analysis.source import load_source
from toolkit.doctor.repair import fit_changed_calls, repair_code

ROOT = Path(__file__).resolve().parents[2]

TRAINING = """\
import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

rng = np.random.default_rng(3)
{frame}
df["label"] = (df["a"] > 0).astype(int)
{split}
for depth in [2, 3]:
    model = RandomForestClassifier(max_depth=depth)
    model.fit(features_train, labels_train)
    score = accuracy_score(labels_test, model.predict(features_test))
"""
WIDE_FRAME = (
    'df = pd.DataFrame({"a": rng.normal(size=120), "b": rng.normal(size=120), '
    '"c": rng.normal(size=120)})'
)
LONG_SPLIT = (
    "features_train, features_test, labels_train, labels_test = "
    'train_test_split(df[["a", "b"]], df["label"])'
)
SHORT_SPLIT = (
    'X_tr, X_te, y_tr, y_te = train_test_split(df[["a", "b"]], df["label"])\n'
    "features_train, features_test = X_tr, X_te\n"
    "labels_train, labels_test = y_tr, y_te"
)


def training(split: str) -> str:
    return TRAINING.replace("{frame}", WIDE_FRAME).replace("{split}", split)


def repaired(tmp_path: Path, source: str) -> str:
    script = tmp_path / "train.py"
    script.write_text(source)
    code, _ = repair_code(load_source(script))
    return code


def test_when_changed_call_runs_past_88_columns_then_its_arguments_go_one_a_line(
    tmp_path,
):
    code = repaired(tmp_path, training(LONG_SPLIT))

    assert (
        "features_train, features_test, labels_train, labels_test = train_test_split(\n"
        '    df[["a", "b"]],\n'
        '    df["label"],\n'
        "    random_state=42,\n"
        ")\n"
    ) in code
    assert (
        "    model = RandomForestClassifier(\n"
        "        max_depth=depth,\n"
        "        n_estimators=100,\n"
        "        min_samples_leaf=1,\n"
        "        random_state=42,\n"
        "    )\n"
    ) in code
    namespace: dict[str, object] = {}
    exec(compile(code, "repaired.py", "exec"), namespace)
    assert 0.0 <= float(namespace["score"]) <= 1.0  # type: ignore[arg-type]


def test_when_changed_call_fits_then_it_stays_on_one_line(tmp_path):
    code = repaired(tmp_path, training(SHORT_SPLIT))

    line = (
        'X_tr, X_te, y_tr, y_te = train_test_split(df[["a", "b"]], df["label"], '
        "random_state=42)\n"
    )
    assert len(line) - 1 <= 88
    assert line in code


def test_when_calls_are_wrapped_then_every_other_line_is_byte_identical(tmp_path):
    source = training(LONG_SPLIT)
    original_lines = source.splitlines(keepends=True)
    changed = {
        LONG_SPLIT + "\n",
        "    model = RandomForestClassifier(max_depth=depth)\n",
    }

    code = repaired(tmp_path, source)

    kept = [line for line in code.splitlines(keepends=True) if line in original_lines]
    assert kept == [line for line in original_lines if line not in changed]
    long_untouched = next(line for line in original_lines if len(line) > 89)
    assert long_untouched in code


def test_when_call_already_spans_lines_then_new_arguments_follow_its_layout(
    tmp_path,
):
    source = training(LONG_SPLIT).replace(
        "RandomForestClassifier(max_depth=depth)",
        "RandomForestClassifier(\n        max_depth=depth,  # tuned by hand\n    )",
    )

    code = repaired(tmp_path, source)

    assert (
        "    model = RandomForestClassifier(\n"
        "        max_depth=depth,  # tuned by hand\n"
        "        n_estimators=100,\n"
        "        min_samples_leaf=1,\n"
        "        random_state=42,\n"
        "    )\n"
    ) in code


def test_when_long_line_holds_only_unchanged_calls_then_layout_leaves_it_alone():
    long_call = "print(" + ", ".join(f"value_{i}" for i in range(12)) + ")"
    original = f"total = sum(values)\n{long_call}\n"
    changed = f"total = sum(values, 0)\n{long_call}  # {'x' * 10}\n"

    assert fit_changed_calls(original, changed) == changed


def test_when_generator_is_the_only_argument_then_layout_keeps_the_call_whole():
    original = "total = sum(x for x in values)\n"
    changed = (
        "total_weight_of_the_basket = "
        "sum(item_weight * item_count for item_weight, item_count in basket_items)\n"
    )

    assert len(changed) > 89
    assert fit_changed_calls(original, changed) == changed


def test_when_shipped_pipeline_is_repaired_then_no_line_runs_past_88_columns():
    unit = load_source(ROOT / "legacy_scripts" / "broken_ml_pipeline.py")

    code, changes = repair_code(unit)

    assert changes
    ast.parse(code)
    too_long = [
        (number, len(line))
        for number, line in enumerate(code.splitlines(), start=1)
        if len(line) > 88
    ]
    assert too_long == []
