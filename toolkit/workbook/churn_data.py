"""Seeded synthetic customer-churn data, messy the way a real export is.

A subscription business exports one row per customer each month: who they are, what
they pay, how they use the service, and (a month later) whether they churned. The
generator builds such an export in four steps:

1. Draw each customer's attributes (age, tenure, contract, internet service, payment
   method, region, usage) from fixed distributions, shifted by ``drift``.
2. Compute a churn probability from a logistic model of those attributes and draw
   the label. ``drift`` also changes that model (customers in the south and on DSL
   start leaving for a competitor), so a model trained on an early batch decays on
   later ones: covariate drift and concept drift under one knob.
3. Format the columns as the source system would: money as text with blanks for
   brand-new customers, timestamps as ISO strings in a CSV.
4. Spoil a fraction of rows (``messy_fraction``): inconsistent spelling of the
   contract, missing payment methods, exact duplicate rows, and a few values no
   validation should let through (negative charges, the age sentinel 999, an
   unknown contract code).

Example::

    train = generate_customers(5_000, seed=7)
    later = generate_batches(4, 2_000, seed=7)  # drift grows batch by batch

Everything is seeded: the same arguments always give the same frame.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from toolkit.errors import explain

log = logging.getLogger(__name__)

TARGET = "churned"
ID_COLUMN = "customer_id"
TIME_COLUMN = "observed_at"
CONTRACTS = ("month-to-month", "one-year", "two-year")
INTERNET_SERVICES = ("fiber", "dsl", "none")
PAYMENT_METHODS = ("electronic_check", "credit_card", "bank_transfer", "mailed_check")
REGIONS = ("north", "south", "east", "west")
NEWSLETTER = ("yes", "no")
NUMERIC_COLUMNS = (
    "age",
    "tenure_months",
    "monthly_charges",
    "total_charges",
    "support_calls",
    "logins_30d",
    "satisfaction",
)
CATEGORICAL_COLUMNS = ("contract", "internet_service", "payment_method", "region")
NOISE_COLUMNS = ("newsletter",)
AGE_SENTINEL = 999
UNKNOWN_CONTRACT = "??"

_CONTRACT_SPELLINGS = ("Month-to-month", " month-to-month", "MONTH-TO-MONTH")
_BASE_MONTHLY_CHARGE = {"fiber": 85.0, "dsl": 55.0, "none": 25.0}


def generate_customers(
    n_customers: int,
    seed: int = 0,
    drift: float = 0.0,
    start: str = "2025-01-01",
    period_days: int = 30,
    messy_fraction: float = 0.03,
    id_offset: int = 0,
) -> pd.DataFrame:
    """Return one monthly export of customers, with their churn label.

    Args:
        n_customers: Customers in the export (before duplicate rows are added).
        seed: Seed of the random generator; same seed, same frame.
        drift: 0 for the training period; larger values shift the features
            (higher prices, younger and newer customers, more support calls) and
            the churn behaviour itself. 1 is a strong, realistic shift.
        start: First day of the export's period (ISO date).
        period_days: Length of the period the ``observed_at`` timestamps cover.
        messy_fraction: Share of rows spoiled by each kind of mess; 0 gives a
            clean export.
        id_offset: First customer number, so batches can use disjoint ids.

    Returns:
        A frame with ``customer_id``, ``observed_at`` (ISO text), the numeric and
        categorical columns, ``newsletter`` (unrelated to churn) and ``churned``
        (0 or 1). ``total_charges`` is text, blank for brand-new customers.

    Raises:
        ValueError: if a size, fraction or date is out of range.
    """
    _check_arguments(n_customers, drift, period_days, messy_fraction)
    rng = np.random.default_rng(seed)
    customers = _draw_attributes(rng, n_customers, drift)

    customers[TARGET] = _draw_churn(rng, customers, drift)

    frame = _format_export(rng, customers, start, period_days, id_offset)
    if messy_fraction > 0:
        frame = _spoil(rng, frame, messy_fraction)
    log.debug(
        "generated %d rows (drift=%.2f, churn rate %.3f)",
        len(frame),
        drift,
        frame[TARGET].mean(),
    )
    return frame


def generate_batches(
    n_batches: int,
    n_customers: int,
    seed: int = 0,
    start: str = "2025-02-01",
    max_drift: float = 1.0,
    messy_fraction: float = 0.03,
) -> list[pd.DataFrame]:
    """Return successive monthly exports whose drift grows from batch to batch.

    Batch ``i`` (counting from 0) starts ``30 * i`` days after ``start`` and has
    drift ``max_drift * (i + 1) / n_batches``, so the last batch has ``max_drift``.
    Customer ids never overlap with each other or with a training export made by
    :func:`generate_customers` with the default ``id_offset``.

    Args:
        n_batches: How many monthly exports.
        n_customers: Customers per export.
        seed: Seed; each batch draws from its own stream derived from it.
        start: First day of the first batch (ISO date).
        max_drift: Drift of the last batch.
        messy_fraction: As in :func:`generate_customers`.

    Returns:
        The exports, oldest first.
    """
    if n_batches < 1:
        raise ValueError(explain(f"n_batches={n_batches}", "at least 1", "n_batches=4"))
    first_day = _parse_date(start)
    batches = []
    for index in range(n_batches):
        batch_start = first_day + timedelta(days=30 * index)
        batches.append(
            generate_customers(
                n_customers,
                seed=int(
                    np.random.SeedSequence([seed, index + 1]).generate_state(1)[0]
                ),
                drift=max_drift * (index + 1) / n_batches,
                start=batch_start.date().isoformat(),
                messy_fraction=messy_fraction,
                id_offset=10_000_000 * (index + 1),
            )
        )
    return batches


def _check_arguments(
    n_customers: int, drift: float, period_days: int, messy_fraction: float
) -> None:
    if n_customers < 1:
        raise ValueError(
            explain(f"n_customers={n_customers}", "at least 1", "n_customers=2000")
        )
    if not 0 <= messy_fraction <= 0.2:
        raise ValueError(
            explain(
                f"messy_fraction={messy_fraction}",
                "a share between 0 and 0.2",
                "messy_fraction=0.03",
            )
        )
    if drift < 0:
        raise ValueError(explain(f"drift={drift}", "0 or more", "drift=0.5"))
    if period_days < 1:
        raise ValueError(
            explain(f"period_days={period_days}", "at least 1", "period_days=30")
        )


def _parse_date(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError as error:
        raise ValueError(
            explain(f"start={text!r}", "an ISO date", "start='2025-01-01'")
        ) from error


def _draw_attributes(
    rng: np.random.Generator, n_customers: int, drift: float
) -> pd.DataFrame:
    """Draw true (clean) attributes; ``drift`` shifts their distributions."""
    contract_weights = np.array([0.5 + 0.2 * drift, 0.3, 0.2])
    contract = rng.choice(
        CONTRACTS, n_customers, p=contract_weights / contract_weights.sum()
    )
    internet = rng.choice(INTERNET_SERVICES, n_customers, p=[0.45, 0.4, 0.15])
    payment = rng.choice(PAYMENT_METHODS, n_customers, p=[0.35, 0.25, 0.25, 0.15])
    region = rng.choice(REGIONS, n_customers)

    age = np.clip(rng.normal(46 - 8 * drift, 14, n_customers), 18, 90).round()
    mean_tenure = 26 * (1 - 0.35 * min(drift, 2.0) / 2)
    tenure = np.clip(rng.exponential(mean_tenure, n_customers), 0, 72).astype(int)
    base_charge = np.vectorize(_BASE_MONTHLY_CHARGE.get)(internet)
    monthly = np.clip(
        base_charge + 12 * drift + rng.normal(0, 10, n_customers), 15, 160
    ).round(2)

    engagement = rng.gamma(4.0, 0.25, n_customers)  # mean 1, hidden from the data
    logins = rng.poisson(12 * engagement * (1 - 0.2 * min(drift, 2.0) / 2))
    support_calls = rng.poisson(1.1 + 0.8 * drift, n_customers)
    happiness = rng.normal(0, 1, n_customers) - 0.3 * (support_calls - 1)
    satisfaction = np.clip(np.round(3 + happiness), 1, 5)

    return pd.DataFrame(
        {
            "age": age.astype(int),
            "tenure_months": tenure,
            "contract": contract,
            "internet_service": internet,
            "payment_method": payment,
            "region": region,
            "monthly_charges": monthly,
            "support_calls": support_calls,
            "logins_30d": logins,
            "satisfaction": satisfaction,
            "happiness": happiness,
            "newsletter": rng.choice(NEWSLETTER, n_customers),
        }
    )


def _draw_churn(
    rng: np.random.Generator, customers: pd.DataFrame, drift: float
) -> np.ndarray:
    """Draw the label from a logistic model that itself changes with ``drift``."""
    contract = customers["contract"]
    logit = (
        -1.7
        - 0.9 * drift
        + (1.2 - 0.5 * drift) * (contract == "month-to-month")
        - 0.9 * (contract == "two-year")
        - 0.04 * customers["tenure_months"]
        + 0.02 * (customers["monthly_charges"] - 60)
        + 0.35 * (1 - 0.5 * min(drift, 1.5)) * customers["support_calls"]
        - 0.05 * (customers["logins_30d"] - 12)
        + 0.5 * (customers["payment_method"] == "electronic_check")
        + 0.3 * (customers["internet_service"] == "fiber")
        - 0.45 * customers["happiness"]
        + drift * 2.4 * (customers["region"] == "south")
        + drift * 1.2 * (customers["internet_service"] == "dsl")
    )
    probability = 1 / (1 + np.exp(-logit.to_numpy(dtype=float)))
    return (rng.random(len(customers)) < probability).astype(int)


def _format_export(
    rng: np.random.Generator,
    customers: pd.DataFrame,
    start: str,
    period_days: int,
    id_offset: int,
) -> pd.DataFrame:
    """Lay the attributes out as the source system exports them."""
    n_customers = len(customers)
    first_moment = _parse_date(start)
    seconds = np.sort(rng.integers(0, period_days * 86_400, n_customers))
    observed = [
        (first_moment + timedelta(seconds=int(offset))).isoformat()
        for offset in seconds
    ]
    charges = customers["monthly_charges"] * customers["tenure_months"]
    charges = charges * rng.uniform(0.92, 1.04, n_customers)
    total_text = np.where(
        customers["tenure_months"] == 0, " ", charges.map(lambda value: f"{value:.2f}")
    )
    satisfaction = customers["satisfaction"].where(rng.random(n_customers) > 0.35)

    return pd.DataFrame(
        {
            ID_COLUMN: [f"C{id_offset + index:08d}" for index in range(n_customers)],
            TIME_COLUMN: observed,
            "age": customers["age"],
            "tenure_months": customers["tenure_months"],
            "contract": customers["contract"],
            "internet_service": customers["internet_service"],
            "payment_method": customers["payment_method"],
            "region": customers["region"],
            "monthly_charges": customers["monthly_charges"],
            "total_charges": total_text,
            "support_calls": customers["support_calls"],
            "logins_30d": customers["logins_30d"],
            "satisfaction": satisfaction,
            "newsletter": customers["newsletter"],
            TARGET: customers[TARGET],
        }
    )


def _spoil(
    rng: np.random.Generator, frame: pd.DataFrame, messy_fraction: float
) -> pd.DataFrame:
    """Add the mess real exports carry; the rare invalid values stay rare."""
    frame = frame.copy()
    n_rows = len(frame)

    def pick(share: float) -> np.ndarray:
        return rng.random(n_rows) < share

    # Fixable: spelling of a category, a missing value.
    respelled = pick(3 * messy_fraction) & (frame["contract"] == "month-to-month")
    frame.loc[respelled, "contract"] = rng.choice(
        _CONTRACT_SPELLINGS, int(respelled.sum())
    )
    frame["payment_method"] = frame["payment_method"].where(~pick(messy_fraction))

    # Invalid: values a validation step must reject.
    frame["monthly_charges"] = frame["monthly_charges"].where(
        ~pick(messy_fraction / 4), -frame["monthly_charges"]
    )
    frame["age"] = frame["age"].where(~pick(messy_fraction / 4), AGE_SENTINEL)
    frame["contract"] = frame["contract"].where(
        ~pick(messy_fraction / 4), UNKNOWN_CONTRACT
    )

    # Fixable: rows exported twice.
    duplicated = frame[pick(messy_fraction / 2)]
    frame = pd.concat([frame, duplicated]).sort_values(TIME_COLUMN, kind="stable")
    return frame.reset_index(drop=True)


ENGINEERED_COLUMNS = (
    "avg_charge_gap",
    "calls_per_year",
    "is_new",
    "logins_per_charge",
)


def add_features(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of a cleaned customer table with the engineered columns added.

    * ``avg_charge_gap``: this month's price minus the average monthly price paid so
      far; positive after a price rise.
    * ``calls_per_year``: support calls per year of tenure (tenure floored at 1).
    * ``is_new``: 1.0 under three months of tenure, else 0.0.
    * ``logins_per_charge``: logins in the last 30 days per unit of monthly price.

    It lives in a module, not in a notebook, so that a pickled model pipeline that
    calls it can be loaded by any process that imports this package.
    """
    enriched = frame.copy()
    tenure = enriched["tenure_months"].clip(lower=1)
    average_paid = enriched["total_charges"] / tenure
    enriched["avg_charge_gap"] = enriched["monthly_charges"] - average_paid
    enriched["calls_per_year"] = enriched["support_calls"] / (tenure / 12)
    enriched["is_new"] = (enriched["tenure_months"] < 3).astype(float)
    enriched["logins_per_charge"] = enriched["logins_30d"] / enriched["monthly_charges"]
    return enriched


def feature_names_after_add_features(
    transformer: object, input_features: Sequence[str]
) -> list[str]:
    """Name the columns :func:`add_features` returns (for ``FunctionTransformer``)."""
    return [*input_features, *ENGINEERED_COLUMNS]
