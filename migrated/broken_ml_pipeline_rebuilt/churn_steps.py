"""The steps of the rebuilt churn pipeline, as plain functions the Luigi tasks call.

Each function takes data and returns data; none reads or writes files, so each can be
tested alone and the doctor can read them (``toolkit doctor churn_steps.py``).

What changed from legacy_scripts/broken_ml_pipeline.py, step by step:

* load: columns and dtypes pinned, the schema validated with pandera;
* clean: duplicates really dropped, blanks and sign typos repaired, every change
  counted in the validation report (nothing dropped silently);
* split: by time (train on January-April, test on May-June), the way the model is
  used: scoring next month from the past; no row is on both sides;
* features: the target and ``refund_amount`` (paid only after a customer leaves) are
  not features; the month-on-month change of support calls uses past rows only;
* model: preprocessing inside a Pipeline fitted on the training rows, hyperparameters
  chosen by cross-validation grouped by customer on the training rows, explicit
  hyperparameters and seeds, classes weighted instead of copied;
* evaluation: accuracy next to the majority baseline, balanced accuracy and ROC AUC,
  on test rows the model never saw.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pandera.pandas as pa
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score, balanced_accuracy_score, roc_auc_score
from sklearn.model_selection import GridSearchCV, GroupKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

log = logging.getLogger(__name__)

TARGET = "churned"
TIME_COLUMN = "snapshot_month"
ENTITY = "customer_id"
POST_OUTCOME = ["refund_amount"]
CATEGORICAL = ["contract", "payment_method", "region"]
NUMERIC = [
    "tenure_months",
    "monthly_charges",
    "total_charges",
    "support_calls",
    "calls_change",
]
DTYPES = {
    "customer_id": "string",
    "snapshot_month": "string",
    "region": "string",
    "contract": "string",
    "payment_method": "string",
    "tenure_months": "int64",
    "monthly_charges": "float64",
    "total_charges": "string",
    "support_calls": "int64",
    "refund_amount": "float64",
    "churned": "int64",
}
TEST_MONTHS = 2
GRID = {"model__max_depth": [4, 8], "model__min_samples_leaf": [5, 20]}

CLEAN_SCHEMA = pa.DataFrameSchema(
    {
        "customer_id": pa.Column("string", pa.Check.str_matches(r"^C\d{5}$")),
        "snapshot_month": pa.Column("datetime64[ns]"),
        "region": pa.Column("string"),
        "contract": pa.Column(
            "string", pa.Check.isin(["month-to-month", "one_year", "two_year"])
        ),
        "payment_method": pa.Column("string"),
        "tenure_months": pa.Column("int64", pa.Check.ge(0)),
        "monthly_charges": pa.Column("float64", pa.Check.gt(0)),
        "total_charges": pa.Column("float64", pa.Check.ge(0)),
        "support_calls": pa.Column("int64", pa.Check.ge(0)),
        "refund_amount": pa.Column("float64", pa.Check.ge(0)),
        "churned": pa.Column("int64", pa.Check.isin([0, 1])),
    },
    unique=["customer_id", "snapshot_month"],
    strict=True,
)


@dataclass(frozen=True)
class Split:
    """Train and test rows, split by time."""

    train: pd.DataFrame
    test: pd.DataFrame
    cutoff: str


def clean(raw: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, int]]:
    """Repair the export's known faults, count each, and validate the result."""
    counts = {"rows_in": len(raw)}
    frame = raw.drop_duplicates()
    counts["duplicates_dropped"] = len(raw) - len(frame)

    total = pd.to_numeric(frame["total_charges"].str.strip(), errors="coerce")
    counts["blank_total_charges_set_to_0"] = int(total.isna().sum())
    frame = frame.assign(total_charges=total.fillna(0.0))

    counts["missing_region_set_to_unknown"] = int(frame["region"].isna().sum())
    frame = frame.assign(region=frame["region"].fillna("unknown"))

    negative = frame["monthly_charges"] < 0
    counts["negative_charges_sign_fixed"] = int(negative.sum())
    frame.loc[negative, "monthly_charges"] = -frame.loc[negative, "monthly_charges"]

    frame = frame.assign(snapshot_month=pd.to_datetime(frame["snapshot_month"]))
    counts["rows_out"] = len(frame)
    return CLEAN_SCHEMA.validate(frame), counts


def add_features(frame: pd.DataFrame) -> pd.DataFrame:
    """Add the change in support calls since the customer's previous month."""
    ordered = frame.sort_values([ENTITY, TIME_COLUMN])
    change = ordered.groupby(ENTITY)["support_calls"].diff().fillna(0.0)
    return ordered.assign(calls_change=change)


def split_by_time(frame: pd.DataFrame, test_months: int = TEST_MONTHS) -> Split:
    """Train on every month before the last ``test_months``, test on those."""
    months = sorted(frame[TIME_COLUMN].unique())
    cutoff = months[-test_months]
    train = frame[frame[TIME_COLUMN] < cutoff]
    test = frame[frame[TIME_COLUMN] >= cutoff]
    return Split(train=train, test=test, cutoff=str(pd.Timestamp(cutoff).date()))


def row_overlap(split: Split) -> int:
    """How many test rows also appear, feature for feature, among the train rows."""
    columns = CATEGORICAL + NUMERIC
    train_hashes = set(pd.util.hash_pandas_object(split.train[columns], index=False))
    test_hashes = pd.util.hash_pandas_object(split.test[columns], index=False)
    return int(test_hashes.isin(train_hashes).sum())


def build_model(seed: int) -> Pipeline:
    """Preprocessing and forest in one pipeline, every hyperparameter written down."""
    preprocess = ColumnTransformer(
        [
            ("categories", OneHotEncoder(handle_unknown="ignore"), CATEGORICAL),
            ("numbers", StandardScaler(), NUMERIC),
        ]
    )
    forest = RandomForestClassifier(
        n_estimators=150,
        max_depth=8,
        min_samples_leaf=5,
        class_weight="balanced",
        n_jobs=1,
        random_state=seed,
    )
    return Pipeline([("preprocess", preprocess), ("model", forest)])


def train(split: Split, seed: int) -> tuple[Pipeline, dict[str, object]]:
    """Choose depth and leaf size by grouped cross-validation on the training rows."""
    features = split.train[CATEGORICAL + NUMERIC]
    search = GridSearchCV(
        build_model(seed),
        GRID,
        scoring="roc_auc",
        cv=GroupKFold(n_splits=4),
        n_jobs=1,
    )
    search.fit(features, split.train[TARGET], groups=split.train[ENTITY])
    chosen = {
        key.removeprefix("model__"): value for key, value in search.best_params_.items()
    }
    return search.best_estimator_, {
        "chosen": chosen,
        "cv_roc_auc": round(float(search.best_score_), 4),
    }


def evaluate(model: Pipeline, split: Split) -> dict[str, float]:
    """Honest metrics on the test months, beside the always-stays baseline."""
    features = split.test[CATEGORICAL + NUMERIC]
    truth = split.test[TARGET]
    predicted = model.predict(features)
    probability = model.predict_proba(features)[:, 1]
    majority = np.full(len(truth), truth.mode().iloc[0])
    return {
        "test_rows": len(truth),
        "churn_rate": round(float(truth.mean()), 4),
        "accuracy": round(float(accuracy_score(truth, predicted)), 4),
        "majority_baseline_accuracy": round(float(accuracy_score(truth, majority)), 4),
        "balanced_accuracy": round(float(balanced_accuracy_score(truth, predicted)), 4),
        "roc_auc": round(float(roc_auc_score(truth, probability)), 4),
    }


def content_hash(data: bytes) -> str:
    """The first 12 hex digits of the SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()[:12]


def frame_hash(frame: pd.DataFrame) -> str:
    """A stable hash of a frame's values and column names."""
    values = pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes()
    return content_hash(values + ",".join(frame.columns).encode())
