"""Generate the churn data behind broken_ml_pipeline.py (seeded, a few hundred KB).

Writes two files into legacy_scripts/data/:

* churn_snapshots.csv: one row per customer per month, January to June 2024, with
  the label ``churned`` (the customer left within the following month). Churners are
  rare (about one row in eight), each customer keeps a stable hidden propensity, the
  churn rate rises after a price change in April, ``refund_amount`` is paid out when
  a customer leaves (so it is known only after the outcome), about 4% of rows were
  exported twice, a few ``region`` values are missing, ``total_charges`` is blank for
  new customers and a handful of ``monthly_charges`` were keyed in as negative.
* churn_current_month.csv: July 2024 for the customers still active, without the
  label: the rows the model is meant to score.

Run: python legacy_scripts/make_broken_ml_data.py [--seed 11] [--customers 450]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
MONTHS = pd.period_range("2024-01", "2024-07", freq="M")
CONTRACTS = ["month-to-month", "one_year", "two_year"]
PAYMENTS = ["card", "bank_transfer", "electronic_check", "mailed_check"]
REGIONS = ["north", "south", "east", "west"]


def make_customers(rng: np.random.Generator, count: int) -> pd.DataFrame:
    """Draw the stable traits of each customer."""
    return pd.DataFrame(
        {
            "customer_id": [f"C{number:05d}" for number in range(1, count + 1)],
            "contract": rng.choice(CONTRACTS, size=count, p=[0.5, 0.3, 0.2]),
            "payment_method": rng.choice(PAYMENTS, size=count),
            "region": rng.choice(REGIONS, size=count),
            "start_tenure": rng.integers(0, 60, size=count),
            "base_charges": rng.normal(65, 20, size=count).clip(18, 120).round(2),
            "propensity": rng.normal(0, 1.3, size=count),
            "support_rate": rng.gamma(1.5, 0.8, size=count),
        }
    )


def churn_probability(frame: pd.DataFrame, month_index: int) -> np.ndarray:
    """The true churn probability of each row: contract, calls, price, tenure."""
    logit = (
        -3.1
        + 1.1 * (frame["contract"] == "month-to-month")
        - 0.8 * (frame["contract"] == "two_year")
        + 0.35 * frame["support_calls"]
        + 0.012 * (frame["monthly_charges"] - 65)
        - 0.02 * frame["tenure_months"]
        + 0.4 * (frame["payment_method"] == "electronic_check")
        + frame["propensity"]
        + (0.6 if month_index >= 3 else 0.0)  # the April price change
    )
    return 1.0 / (1.0 + np.exp(-logit.to_numpy(dtype=float)))


def make_snapshots(rng: np.random.Generator, customers: pd.DataFrame) -> pd.DataFrame:
    """Walk the customers through the months; churners leave after their row."""
    active = customers.copy()
    rows = []
    for month_index, month in enumerate(MONTHS):
        frame = active.copy()
        frame["snapshot_month"] = month.start_time.strftime("%Y-%m-%d")
        frame["tenure_months"] = frame["start_tenure"] + month_index
        frame["monthly_charges"] = (
            frame["base_charges"] * (1.08 if month_index >= 3 else 1.0)
        ).round(2)
        frame["support_calls"] = rng.poisson(frame["support_rate"])
        if month == MONTHS[-1]:
            frame["churned"] = -1  # not known yet
        else:
            probability = churn_probability(frame, month_index)
            frame["churned"] = (rng.random(len(frame)) < probability).astype(int)
        rows.append(frame)
        active = active[~active["customer_id"].isin(
            frame.loc[frame["churned"] == 1, "customer_id"]
        )]
    return pd.concat(rows, ignore_index=True)


def add_defects(rng: np.random.Generator, frame: pd.DataFrame) -> pd.DataFrame:
    """Add what real exports carry: refunds, blanks, typos and double exports."""
    frame = frame.copy()
    leavers = frame["churned"] == 1
    refund = rng.uniform(5, 60, size=len(frame)).round(2)
    paid = np.where(leavers, rng.random(len(frame)) < 0.9, rng.random(len(frame)) < 0.01)
    frame["refund_amount"] = np.where(paid, refund, 0.0)

    total = (frame["monthly_charges"] * frame["tenure_months"]).round(2)
    frame["total_charges"] = total.astype(str)
    frame.loc[frame["tenure_months"] == 0, "total_charges"] = " "

    missing_region = rng.random(len(frame)) < 0.03
    frame["region"] = frame["region"].where(~missing_region, None)
    typo = rng.random(len(frame)) < 0.01
    frame.loc[typo, "monthly_charges"] = -frame.loc[typo, "monthly_charges"]
    return frame


def main() -> None:
    """Write the two CSV files."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--customers", type=int, default=450)
    parser.add_argument("--out", type=Path, default=HERE / "data")
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    snapshots = add_defects(rng, make_snapshots(rng, make_customers(rng, args.customers)))
    columns = [
        "customer_id", "snapshot_month", "region", "contract", "payment_method",
        "tenure_months", "monthly_charges", "total_charges", "support_calls",
        "refund_amount", "churned",
    ]
    history = snapshots[snapshots["churned"] >= 0][columns]
    doubled = history.sample(frac=0.04, random_state=args.seed)
    history = pd.concat([history, doubled]).sort_values(["snapshot_month", "customer_id"])
    current = snapshots[snapshots["churned"] < 0][columns[:-1]]
    current = current.assign(refund_amount=0.0)

    args.out.mkdir(parents=True, exist_ok=True)
    history.to_csv(args.out / "churn_snapshots.csv", index=False)
    current.to_csv(args.out / "churn_current_month.csv", index=False)
    print(f"{len(history)} history rows, {len(current)} current rows in {args.out}")


if __name__ == "__main__":
    main()
