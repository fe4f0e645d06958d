import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

from toolkit.workbook.churn_data import (
    AGE_SENTINEL,
    CATEGORICAL_COLUMNS,
    CONTRACTS,
    ENGINEERED_COLUMNS,
    ID_COLUMN,
    NUMERIC_COLUMNS,
    TARGET,
    TIME_COLUMN,
    UNKNOWN_CONTRACT,
    add_features,
    feature_names_after_add_features,
    generate_batches,
    generate_customers,
)


def _cleaned(frame: pd.DataFrame) -> pd.DataFrame:
    cleaned = frame.drop_duplicates().copy()
    cleaned["contract"] = cleaned["contract"].str.strip().str.lower()
    cleaned["total_charges"] = pd.to_numeric(cleaned["total_charges"], errors="coerce")
    valid = (
        (cleaned["monthly_charges"] > 0)
        & (cleaned["age"] < AGE_SENTINEL)
        & cleaned["contract"].isin(CONTRACTS)
    )
    return cleaned[valid]


def test_when_seed_is_the_same_then_frames_are_identical():
    first = generate_customers(500, seed=3)
    second = generate_customers(500, seed=3)

    pd.testing.assert_frame_equal(first, second)


def test_when_seed_differs_then_frames_differ():
    first = generate_customers(500, seed=3)
    second = generate_customers(500, seed=4)

    assert not first["monthly_charges"].equals(second["monthly_charges"])


def test_when_generated_then_export_has_every_column_in_source_order():
    frame = generate_customers(200, seed=1)

    expected = [
        ID_COLUMN,
        TIME_COLUMN,
        "age",
        "tenure_months",
        *CATEGORICAL_COLUMNS,
        "monthly_charges",
        "total_charges",
        "support_calls",
        "logins_30d",
        "satisfaction",
        "newsletter",
        TARGET,
    ]
    assert list(frame.columns) == expected
    assert set(NUMERIC_COLUMNS) <= set(frame.columns)


def test_when_generated_then_timestamps_are_iso_and_inside_the_period():
    frame = generate_customers(300, seed=1, start="2025-03-01", period_days=10)

    moments = pd.to_datetime(frame[TIME_COLUMN], format="ISO8601")
    assert moments.min() >= pd.Timestamp("2025-03-01")
    assert moments.max() < pd.Timestamp("2025-03-11")
    assert moments.is_monotonic_increasing


def test_when_customer_is_brand_new_then_total_charges_is_blank_text():
    frame = generate_customers(2_000, seed=2, messy_fraction=0)

    new_customers = frame[frame["tenure_months"] == 0]
    assert len(new_customers) > 0
    assert (new_customers["total_charges"] == " ").all()
    older = frame[frame["tenure_months"] > 0]["total_charges"]
    assert pd.to_numeric(older).gt(0).all()


def test_when_messy_fraction_is_zero_then_every_value_is_valid():
    frame = generate_customers(3_000, seed=5, messy_fraction=0)

    assert not frame.duplicated().any()
    assert frame["contract"].isin(CONTRACTS).all()
    assert frame["monthly_charges"].gt(0).all()
    assert frame["age"].between(18, 90).all()
    assert frame["payment_method"].notna().all()


def test_when_messy_then_fixable_and_invalid_rows_both_appear():
    frame = generate_customers(5_000, seed=5, messy_fraction=0.04)

    assert frame.duplicated().sum() > 0
    assert frame["payment_method"].isna().sum() > 0
    respelled = ~frame["contract"].isin([*CONTRACTS, UNKNOWN_CONTRACT])
    assert (
        frame.loc[respelled, "contract"]
        .str.strip()
        .str.lower()
        .eq("month-to-month")
        .all()
    )
    assert respelled.sum() > 0
    assert (frame["contract"] == UNKNOWN_CONTRACT).sum() > 0
    assert (frame["monthly_charges"] < 0).sum() > 0
    assert (frame["age"] == AGE_SENTINEL).sum() > 0


def test_when_messy_then_invalid_rows_stay_a_small_minority():
    frame = generate_customers(5_000, seed=5, messy_fraction=0.03)

    invalid = (
        (frame["monthly_charges"] < 0)
        | (frame["age"] == AGE_SENTINEL)
        | (frame["contract"] == UNKNOWN_CONTRACT)
    )
    assert 0 < invalid.mean() < 0.05


def test_when_generated_then_churn_rate_is_plausible():
    frame = generate_customers(5_000, seed=8)

    assert set(frame[TARGET].unique()) == {0, 1}
    assert 0.15 < frame[TARGET].mean() < 0.4


def test_when_drift_grows_then_prices_and_month_to_month_share_grow():
    calm = _cleaned(generate_customers(4_000, seed=9, drift=0.0))
    drifted = _cleaned(generate_customers(4_000, seed=9, drift=1.0))

    assert drifted["monthly_charges"].mean() > calm["monthly_charges"].mean() + 8
    share = lambda frame: (frame["contract"] == "month-to-month").mean()  # noqa: E731
    assert share(drifted) > share(calm) + 0.05
    assert drifted["age"].mean() < calm["age"].mean() - 4


def test_when_model_trained_without_drift_then_it_decays_on_drifted_data():
    numeric, categorical = list(NUMERIC_COLUMNS), list(CATEGORICAL_COLUMNS)
    model = make_pipeline(
        make_column_transformer(
            (
                make_pipeline(SimpleImputer(strategy="median"), StandardScaler()),
                numeric,
            ),
            (OneHotEncoder(handle_unknown="ignore"), categorical),
        ),
        LogisticRegression(max_iter=500),
    )
    train = _cleaned(generate_customers(4_000, seed=11))
    model.fit(train, train[TARGET])

    def auc(frame: pd.DataFrame) -> float:
        return roc_auc_score(frame[TARGET], model.predict_proba(frame)[:, 1])

    fresh = _cleaned(generate_customers(4_000, seed=12, drift=0.0))
    late = _cleaned(generate_customers(4_000, seed=12, drift=1.0))
    assert auc(fresh) > 0.75
    assert auc(late) < auc(fresh) - 0.05


def test_when_batches_generated_then_drift_dates_and_ids_advance():
    batches = generate_batches(3, 400, seed=2, start="2025-02-01", max_drift=1.0)

    starts = [pd.Timestamp(batch[TIME_COLUMN].iloc[0]).normalize() for batch in batches]
    assert starts == [
        pd.Timestamp("2025-02-01"),
        pd.Timestamp("2025-03-03"),
        pd.Timestamp("2025-04-02"),
    ]
    ids = [set(batch[ID_COLUMN]) for batch in batches]
    training_ids = set(generate_customers(400, seed=2)[ID_COLUMN])
    assert not (ids[0] & ids[1]) and not (ids[1] & ids[2])
    assert not (ids[0] & training_ids)
    means = [_cleaned(batch)["monthly_charges"].mean() for batch in batches]
    assert means == sorted(means)


def test_when_batches_generated_twice_then_they_are_identical():
    first = generate_batches(2, 300, seed=4)
    second = generate_batches(2, 300, seed=4)

    for left, right in zip(first, second, strict=True):
        pd.testing.assert_frame_equal(left, right)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"n_customers": 0}, "n_customers=0"),
        ({"n_customers": 10, "messy_fraction": 0.5}, "messy_fraction=0.5"),
        ({"n_customers": 10, "drift": -1.0}, "drift=-1.0"),
        ({"n_customers": 10, "start": "yesterday"}, "start='yesterday'"),
    ],
)
def test_when_argument_is_out_of_range_then_error_names_it(arguments, message):
    with pytest.raises(ValueError, match=message):
        generate_customers(**arguments)


def test_when_no_batches_requested_then_error_names_the_argument():
    with pytest.raises(ValueError, match="n_batches=0"):
        generate_batches(0, 100)


def test_when_generated_then_numeric_columns_have_numeric_dtypes():
    frame = generate_customers(300, seed=6)

    for column in ["age", "tenure_months", "support_calls", "logins_30d"]:
        assert np.issubdtype(frame[column].dtype, np.integer), column
    assert np.issubdtype(frame["monthly_charges"].dtype, np.floating)
    assert frame["satisfaction"].isna().mean() > 0.2


def test_when_features_added_then_engineered_columns_follow_their_definitions():
    frame = pd.DataFrame(
        {
            "tenure_months": [0, 12, 24],
            "monthly_charges": [50.0, 60.0, 80.0],
            "total_charges": [np.nan, 600.0, 1920.0],
            "support_calls": [2, 3, 0],
            "logins_30d": [10, 30, 0],
        }
    )

    enriched = add_features(frame)

    assert list(enriched.columns) == [*frame.columns, *ENGINEERED_COLUMNS]
    assert enriched["avg_charge_gap"].iloc[1:].tolist() == [10.0, 0.0]
    assert np.isnan(enriched["avg_charge_gap"].iloc[0])
    assert enriched["calls_per_year"].tolist() == [24.0, 3.0, 0.0]
    assert enriched["is_new"].tolist() == [1.0, 0.0, 0.0]
    assert enriched["logins_per_charge"].tolist() == [0.2, 0.5, 0.0]
    assert "avg_charge_gap" not in frame


def test_when_pipeline_uses_add_features_then_it_pickles_and_names_its_outputs():
    transformer = FunctionTransformer(
        add_features, feature_names_out=feature_names_after_add_features
    )
    frame = _cleaned(generate_customers(50, seed=1))[list(NUMERIC_COLUMNS)]

    restored = pickle.loads(pickle.dumps(transformer.fit(frame)))

    names = restored.get_feature_names_out(list(frame.columns))
    assert list(names) == [*NUMERIC_COLUMNS, *ENGINEERED_COLUMNS]
