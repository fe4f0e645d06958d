"""Exercises of notebook 03, ML pipeline architecture.

Each check runs the learner's answer on small hand-made inputs, including the edge
cases that real pipelines meet (a failed run, a NaN metric, a batch entirely outside
the training range). Heavy libraries are imported inside the functions, so listing
the workbook's exercises stays fast.
"""

from __future__ import annotations

import math
from typing import Any

from toolkit.exercises.core import Exercise, Mismatch

# --- 03.1 · Validate raw data with a schema ------------------------------------------

_CONTRACTS = ["month-to-month", "one-year", "two-year"]
_PAYMENT_METHODS = ["electronic_check", "credit_card", "bank_transfer", "mailed_check"]


def _clean_customers_sample() -> Any:
    """Four customers that satisfy every rule of the clean-table contract."""
    import pandas as pd

    return pd.DataFrame(
        {
            "customer_id": ["C001", "C002", "C003", "C004"],
            "observed_at": pd.to_datetime(
                ["2025-01-02", "2025-01-05", "2025-01-09", "2025-01-20"]
            ),
            "age": [18, 35, 62, 100],
            "tenure_months": [0, 12, 40, 7],
            "contract": ["month-to-month", "one-year", "two-year", "month-to-month"],
            "payment_method": ["credit_card", None, "mailed_check", "bank_transfer"],
            "monthly_charges": [19.5, 70.0, 101.25, 55.0],
            "total_charges": [None, 840.0, 4050.0, 0.0],
            "region": ["north", "south", "east", "west"],
        }
    )


def _schema_violations() -> list[tuple[str, dict[str, Any]]]:
    """One broken rule per case: (what is wrong, {column: new values})."""
    return [
        ("a duplicated customer_id", {"customer_id": ["C001", "C001", "C003", "C004"]}),
        ("a missing customer_id", {"customer_id": ["C001", None, "C003", "C004"]}),
        ("the age sentinel 999", {"age": [18, 999, 62, 100]}),
        ("an age of 17", {"age": [17, 35, 62, 100]}),
        ("a negative tenure", {"tenure_months": [0, -1, 40, 7]}),
        ("monthly charges of 0", {"monthly_charges": [19.5, 0.0, 101.25, 55.0]}),
        ("negative monthly charges", {"monthly_charges": [19.5, -70.0, 101.25, 55.0]}),
        ("negative total charges", {"total_charges": [None, -840.0, 4050.0, 0.0]}),
        (
            "the contract spelled 'Month-to-month'",
            {"contract": ["Month-to-month", "one-year", "two-year", "month-to-month"]},
        ),
        (
            "the unknown contract code '??'",
            {"contract": ["??", "one-year", "two-year", "month-to-month"]},
        ),
        (
            "the payment method 'cash'",
            {"payment_method": ["credit_card", "cash", "mailed_check", None]},
        ),
    ]


def _first_failure(schema: Any, frame: Any) -> str | None:
    """Validate; return None if the frame passes, else pandera's first complaint."""
    import pandera.errors

    try:
        schema.validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as errors:
        case = errors.failure_cases.iloc[0]
        return f"{case['column']}: {case['check']} failed on {case['failure_case']}"
    except pandera.errors.SchemaError as error:
        return str(error).splitlines()[0]
    return None


def _verify_clean_schema(schema: Any) -> None:
    if not hasattr(schema, "validate"):
        raise Mismatch(
            problem=(
                "expected a pandera schema (pa.DataFrameSchema or a DataFrameModel "
                f"class), got {type(schema).__name__}"
            )
        )

    valid = _clean_customers_sample()
    complaint = _first_failure(schema, valid.copy())
    if complaint is not None:
        raise Mismatch(
            problem=(
                f"your schema rejects a valid table ({complaint}). Remember: a "
                "brand-new customer's total_charges and a payment_method may be "
                "missing, ages 18 and 100 are allowed, other columns (region) may "
                "be present, and text columns have pandas' str dtype, not object"
            )
        )

    missed = []
    for description, change in _schema_violations():
        broken = valid.copy()
        for column, values in change.items():
            broken[column] = values
        if _first_failure(schema, broken) is None:
            missed.append(description)
    if missed:
        more = (
            f" (and {len(missed) - 1} more broken rule(s))" if len(missed) > 1 else ""
        )
        raise Mismatch(problem=f"your schema accepts a table with {missed[0]}{more}")


def _reference_clean_schema() -> Any:
    import pandera.pandas as pa

    contracts = ["month-to-month", "one-year", "two-year"]
    payment_methods = [
        "electronic_check",
        "credit_card",
        "bank_transfer",
        "mailed_check",
    ]
    return pa.DataFrameSchema(
        {
            "customer_id": pa.Column(str, nullable=False, unique=True),
            "observed_at": pa.Column("datetime64[ns]", coerce=True),
            "age": pa.Column(int, pa.Check.in_range(18, 100)),
            "tenure_months": pa.Column(int, pa.Check.ge(0)),
            "contract": pa.Column(str, pa.Check.isin(contracts)),
            "payment_method": pa.Column(
                str, pa.Check.isin(payment_methods), nullable=True
            ),
            "monthly_charges": pa.Column(float, pa.Check.gt(0)),
            "total_charges": pa.Column(float, pa.Check.ge(0), nullable=True),
        },
        strict=False,
    )


def _schema_without(column: str, **changes: Any) -> Any:
    schema = _reference_clean_schema()
    return schema.update_column(column, **changes)


def _wrong_schema_allows_duplicate_ids() -> Any:
    return _schema_without("customer_id", unique=False)


def _wrong_schema_forbids_missing_total_charges() -> Any:
    return _schema_without("total_charges", nullable=False)


def _wrong_schema_checks_age_lower_bound_only() -> Any:
    import pandera.pandas as pa

    return _schema_without("age", checks=[pa.Check.ge(18)])


# --- 03.2 · Select features ---------------------------------------------------------


def _selection_data() -> tuple[Any, Any]:
    """Two strong signals (one non-linear), one weak signal, five noise columns."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(2024)
    n_rows = 1_200
    label = rng.integers(0, 2, n_rows)
    bump = rng.normal(0, 1, n_rows)
    bump = np.where(label == 1, bump * 2.2, bump * 0.45)  # churners sit at both ends
    columns = {
        "noise_a": rng.normal(0, 1, n_rows),
        "linear": 1.8 * label + rng.normal(0, 1, n_rows),
        "noise_b": rng.uniform(0, 1, n_rows),
        "bump": bump,
        "noise_c": rng.normal(5, 3, n_rows),
        "weak": 0.6 * label + rng.normal(0, 1, n_rows),
        "noise_d": rng.poisson(3, n_rows).astype(float),
        "noise_e": rng.normal(0, 1, n_rows),
    }
    return pd.DataFrame(columns), pd.Series(label, name="churned")


def _verify_select_features(select_features: Any) -> None:
    features, label = _selection_data()
    untouched = features.copy()

    for k, expected in [(2, {"linear", "bump"}), (3, {"linear", "bump", "weak"})]:
        answer = select_features(features, label, k)
        chosen = list(answer) if not isinstance(answer, str | dict) else [answer]
        if not all(isinstance(name, str) for name in chosen):
            raise Mismatch(
                problem=(
                    "return a list of column names (str), e.g. ['linear', 'bump'], "
                    f"got {answer!r}"
                )
            )
        if len(chosen) != k:
            raise Mismatch(expected=f"{k} names", actual=f"{len(chosen)}: {chosen}")
        if set(chosen) != expected:
            raise Mismatch(expected=sorted(expected), actual=sorted(chosen))

    if not features.equals(untouched):
        raise Mismatch(
            problem="select_features changed the training frame it was given"
        )


def _reference_select_features() -> Any:
    import pandas as pd
    from sklearn.feature_selection import mutual_info_classif

    def select_features(x_train: pd.DataFrame, y_train: pd.Series, k: int) -> list[str]:
        scores = mutual_info_classif(x_train, y_train, random_state=0)
        ranked = pd.Series(scores, index=x_train.columns).sort_values(ascending=False)
        return list(ranked.index[:k])

    return select_features


def _wrong_select_by_correlation() -> Any:
    def select_features(x_train: Any, y_train: Any, k: int) -> list[str]:
        correlation = x_train.corrwith(y_train).abs()
        return list(correlation.sort_values(ascending=False).index[:k])

    return select_features


def _wrong_select_lowest_scores() -> Any:
    import pandas as pd
    from sklearn.feature_selection import mutual_info_classif

    def select_features(x_train: Any, y_train: Any, k: int) -> list[str]:
        scores = pd.Series(mutual_info_classif(x_train, y_train, random_state=0))
        ranked = scores.set_axis(x_train.columns).sort_values()
        return list(ranked.index[:k])

    return select_features


def _wrong_select_returns_positions() -> Any:
    import numpy as np
    from sklearn.feature_selection import mutual_info_classif

    def select_features(x_train: Any, y_train: Any, k: int) -> list[int]:
        scores = mutual_info_classif(x_train, y_train, random_state=0)
        return [int(i) for i in np.argsort(scores)[::-1][:k]]

    return select_features


# --- 03.3 · Find the best tracked run ------------------------------------------------


def _runs_table(rows: list[tuple[str, str, float | None, float | None]]) -> Any:
    """A table shaped like ``mlflow.search_runs``: newest run first."""
    import numpy as np
    import pandas as pd

    return pd.DataFrame(
        {
            "run_id": [row[0] for row in rows],
            "status": [row[1] for row in rows],
            "start_time": pd.date_range("2025-01-01", periods=len(rows), freq="h")[
                ::-1
            ],
            "metrics.val_auc": [np.nan if row[2] is None else row[2] for row in rows],
            "metrics.val_log_loss": [
                np.nan if row[3] is None else row[3] for row in rows
            ],
            "params.model": ["logreg"] * len(rows),
        }
    )


def _verify_best_run(best_run_id: Any) -> None:
    runs = _runs_table(
        [
            ("newest", "FINISHED", 0.71, 0.52),
            ("crashed", "FAILED", 0.95, 0.20),
            ("best", "FINISHED", 0.83, 0.41),
            ("no-metric", "FINISHED", None, None),
            ("sharpest", "FINISHED", 0.80, 0.38),
            ("running", "RUNNING", 0.90, 0.30),
        ]
    )
    cases = [
        ("val_auc", True, runs, "best"),
        ("val_log_loss", False, runs, "sharpest"),
        ("val_auc", True, runs[runs["run_id"] != "best"], "sharpest"),
        ("val_auc", True, runs[runs["status"] != "FINISHED"], None),
        ("test_auc", True, runs, None),
    ]
    for metric, higher_is_better, table, expected in cases:
        found = best_run_id(table.copy(), metric, higher_is_better=higher_is_better)
        if found != expected:
            raise Mismatch(
                problem=(
                    f"best_run_id(runs, {metric!r}, higher_is_better="
                    f"{higher_is_better}) returned {found!r}, expected {expected!r}"
                    + _best_run_advice(found, runs)
                )
            )


def _best_run_advice(found: Any, runs: Any) -> str:
    if found in {"crashed", "running"}:
        return ": only runs with status FINISHED count"
    if found is not None and found not in set(runs["run_id"]):
        return ": return the run_id value, not a row position or index label"
    return ""


def _reference_best_run() -> Any:
    import pandas as pd

    def best_run_id(
        runs: pd.DataFrame, metric: str, higher_is_better: bool = True
    ) -> str | None:
        column = f"metrics.{metric}"
        if column not in runs.columns:
            return None
        eligible = runs[(runs["status"] == "FINISHED") & runs[column].notna()]
        if eligible.empty:
            return None
        ranked = eligible.sort_values(column, ascending=not higher_is_better)
        return str(ranked["run_id"].iloc[0])

    return best_run_id


def _wrong_best_run_ignores_status() -> Any:
    def best_run_id(runs: Any, metric: str, higher_is_better: bool = True) -> Any:
        column = f"metrics.{metric}"
        if column not in runs.columns or runs[column].isna().all():
            return None
        ranked = runs.sort_values(column, ascending=not higher_is_better)
        return ranked["run_id"].iloc[0]

    return best_run_id


def _wrong_best_run_always_maximises() -> Any:
    def best_run_id(runs: Any, metric: str, higher_is_better: bool = True) -> Any:
        column = f"metrics.{metric}"
        if column not in runs.columns:
            return None
        eligible = runs[(runs["status"] == "FINISHED") & runs[column].notna()]
        if eligible.empty:
            return None
        return eligible.loc[eligible[column].idxmax(), "run_id"]

    return best_run_id


def _wrong_best_run_returns_index_label() -> Any:
    def best_run_id(runs: Any, metric: str, higher_is_better: bool = True) -> Any:
        column = f"metrics.{metric}"
        if column not in runs.columns:
            return None
        eligible = runs[(runs["status"] == "FINISHED") & runs[column].notna()]
        if eligible.empty:
            return None
        scores = eligible[column] if higher_is_better else -eligible[column]
        return scores.idxmax()

    return best_run_id


# --- 03.4 · Gate and version a release -----------------------------------------------


def _verify_release(release_decision: Any) -> None:
    import hashlib

    model = b"pretend these are the bytes of a pickled pipeline"
    other_model = model + b"!"
    baseline = {"auc": 0.50}

    def decide(candidate: dict[str, float], data: bytes = model, **rules: Any) -> Any:
        decision = release_decision(candidate, dict(baseline), data, **rules)
        if not isinstance(decision, dict) or not {
            "promote",
            "failed_rules",
            "version",
        } <= set(decision):
            raise Mismatch(
                problem=(
                    "return a dict with the keys 'promote', 'failed_rules' and "
                    f"'version', got {decision!r}"
                )
            )
        return decision

    cases: list[tuple[dict[str, float], dict[str, Any], bool, set[str]]] = [
        ({"auc": 0.82}, {}, True, set()),
        ({"auc": 0.66}, {}, False, {"min_auc"}),
        ({"auc": 0.66}, {"min_auc": 0.6}, True, set()),
        ({"auc": 0.52}, {"min_auc": 0.5}, False, {"beats_baseline"}),
        ({"auc": 0.52}, {}, False, {"min_auc", "beats_baseline"}),
        ({"auc": float("nan")}, {}, False, {"min_auc", "beats_baseline"}),
    ]
    for candidate, rules, promote, failed in cases:
        decision = decide(candidate, **rules)
        shown = f"release_decision({candidate}, {baseline}, model_bytes"
        shown += "".join(f", {name}={value}" for name, value in rules.items()) + ")"
        if bool(decision["promote"]) is not promote:
            raise Mismatch(
                problem=f"{shown} gave promote={decision['promote']!r}, "
                f"expected {promote}"
                + (": NaN never passes a gate" if math.isnan(candidate["auc"]) else "")
            )
        if set(decision["failed_rules"]) != failed:
            raise Mismatch(
                problem=f"{shown} gave failed_rules={decision['failed_rules']!r}, "
                f"expected {sorted(failed)} (list every rule that fails)"
            )

    version = decide({"auc": 0.82})["version"]
    expected = "sha256:" + hashlib.sha256(model).hexdigest()[:12]
    if version != expected:
        raise Mismatch(
            problem=f"version {version!r} is not the content hash {expected!r}"
            + (
                ": the same bytes must always get the same version"
                if decide({"auc": 0.82})["version"] != version
                else ""
            )
        )
    if decide({"auc": 0.82}, data=other_model)["version"] == version:
        raise Mismatch(problem="two different models got the same version")


def _reference_release() -> Any:
    import hashlib
    import math

    def release_decision(
        candidate: dict[str, float],
        baseline: dict[str, float],
        model_bytes: bytes,
        min_auc: float = 0.70,
        min_lift: float = 0.05,
    ) -> dict[str, object]:
        auc = candidate.get("auc", math.nan)
        failed_rules = []
        if not auc >= min_auc:  # written so that NaN fails too
            failed_rules.append("min_auc")
        if not auc >= baseline["auc"] + min_lift:
            failed_rules.append("beats_baseline")
        return {
            "promote": not failed_rules,
            "failed_rules": failed_rules,
            "version": "sha256:" + hashlib.sha256(model_bytes).hexdigest()[:12],
        }

    return release_decision


def _wrong_release_lets_nan_through() -> Any:
    import hashlib

    def release_decision(
        candidate: dict[str, float],
        baseline: dict[str, float],
        model_bytes: bytes,
        min_auc: float = 0.70,
        min_lift: float = 0.05,
    ) -> dict[str, object]:
        failed = []
        if candidate["auc"] < min_auc:
            failed.append("min_auc")
        if candidate["auc"] - baseline["auc"] < min_lift:
            failed.append("beats_baseline")
        digest = hashlib.sha256(model_bytes).hexdigest()[:12]
        return {
            "promote": not failed,
            "failed_rules": failed,
            "version": f"sha256:{digest}",
        }

    return release_decision


def _wrong_release_versions_by_time() -> Any:
    import uuid

    reference = _reference_release()

    def release_decision(
        candidate: dict[str, float],
        baseline: dict[str, float],
        model_bytes: bytes,
        min_auc: float = 0.70,
        min_lift: float = 0.05,
    ) -> dict[str, object]:
        decision = reference(candidate, baseline, model_bytes, min_auc, min_lift)
        return {**decision, "version": f"v-{uuid.uuid4().hex[:12]}"}

    return release_decision


def _wrong_release_ignores_baseline() -> Any:
    reference = _reference_release()

    def release_decision(
        candidate: dict[str, float],
        baseline: dict[str, float],
        model_bytes: bytes,
        min_auc: float = 0.70,
        min_lift: float = 0.05,
    ) -> dict[str, object]:
        return reference(candidate, {"auc": -1.0}, model_bytes, min_auc, min_lift)

    return release_decision


def _wrong_release_stops_at_first_failure() -> Any:
    reference = _reference_release()

    def release_decision(
        candidate: dict[str, float],
        baseline: dict[str, float],
        model_bytes: bytes,
        min_auc: float = 0.70,
        min_lift: float = 0.05,
    ) -> dict[str, object]:
        decision = reference(candidate, baseline, model_bytes, min_auc, min_lift)
        first_only = list(decision["failed_rules"])[:1]
        return {**decision, "failed_rules": first_only}

    return release_decision


# --- 03.5 · Detect drift -------------------------------------------------------------


def _drift_samples() -> dict[str, Any]:
    import numpy as np

    rng = np.random.default_rng(99)
    training = rng.normal(50, 10, 5_000)
    return {
        "training": training,
        "same": rng.normal(50, 10, 5_000),
        "nudged": rng.normal(51, 10, 5_000),
        "shifted": rng.normal(60, 10, 5_000),
        "wider": rng.normal(50, 20, 5_000),
        "half_beyond": np.concatenate(
            [rng.normal(50, 10, 1_000), rng.normal(200, 5, 1_000)]
        ),
        "beyond": rng.normal(200, 5, 2_000),
    }


def _verify_psi(psi: Any) -> None:
    samples = _drift_samples()
    training = samples["training"]

    def score(name: str) -> float:
        value = psi(training.copy(), samples[name].copy())
        try:
            return float(value)
        except (TypeError, ValueError) as error:
            raise Mismatch(
                problem=f"psi must return a number, got {value!r}"
            ) from error

    expectations = [
        ("same", "a sample from the same distribution", lambda v: 0 <= v < 0.05),
        ("wider", "the same mean with twice the spread", lambda v: v > 0.25),
        ("shifted", "a one-standard-deviation shift", lambda v: 0.5 < v < 2.0),
        ("nudged", "a 0.1-standard-deviation nudge", lambda v: 0 <= v < 0.05),
        ("half_beyond", "a batch half above the training range", lambda v: v > 0.8),
        ("beyond", "a batch entirely above the training range", lambda v: v > 3),
    ]
    for name, description, acceptable in expectations:
        value = score(name)
        if not math.isfinite(value):
            raise Mismatch(
                problem=(
                    f"psi is {value} for {description}: give empty bins a small "
                    "floor (e.g. 1e-4) before taking the log"
                )
            )
        if not acceptable(value):
            raise Mismatch(
                problem=f"psi is {value:.3f} for {description}, which is implausible"
                + _psi_advice(name)
            )


def _psi_advice(case: str) -> str:
    advice = {
        "wider": (": compare the whole distribution bin by bin, not only the means"),
        "half_beyond": (
            ": values outside the training range must land in the outer bins "
            "(open the first and last edges to -inf and +inf)"
        ),
        "same": ": bin edges come from the training sample's quantiles",
    }
    return advice.get(case, "")


def _reference_psi() -> Any:
    import numpy as np

    def psi(expected: np.ndarray, actual: np.ndarray, bins: int = 10) -> float:
        edges = np.unique(np.quantile(expected, np.linspace(0, 1, bins + 1)))
        edges[0], edges[-1] = -np.inf, np.inf
        expected_share = np.histogram(expected, edges)[0] / len(expected)
        actual_share = np.histogram(actual, edges)[0] / len(actual)
        expected_share = np.clip(expected_share, 1e-4, None)
        actual_share = np.clip(actual_share, 1e-4, None)
        return float(
            np.sum(
                (actual_share - expected_share) * np.log(actual_share / expected_share)
            )
        )

    return psi


def _wrong_psi_drops_out_of_range_values() -> Any:
    import numpy as np

    def psi(expected: Any, actual: Any, bins: int = 10) -> float:
        edges = np.quantile(expected, np.linspace(0, 1, bins + 1))
        expected_share = np.histogram(expected, edges)[0] / len(expected)
        actual_counts = np.histogram(actual, edges)[0]
        actual_share = actual_counts / max(actual_counts.sum(), 1)
        expected_share = np.clip(expected_share, 1e-4, None)
        actual_share = np.clip(actual_share, 1e-4, None)
        return float(
            np.sum(
                (actual_share - expected_share) * np.log(actual_share / expected_share)
            )
        )

    return psi


def _wrong_psi_without_floor() -> Any:
    import numpy as np

    def psi(expected: Any, actual: Any, bins: int = 10) -> float:
        edges = np.quantile(expected, np.linspace(0, 1, bins + 1))
        edges[0], edges[-1] = -np.inf, np.inf
        expected_share = np.histogram(expected, edges)[0] / len(expected)
        actual_share = np.histogram(actual, edges)[0] / len(actual)
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = (actual_share - expected_share) * np.log(
                actual_share / expected_share
            )
        return float(np.sum(terms))

    return psi


def _wrong_psi_compares_means() -> Any:
    import numpy as np

    def psi(expected: Any, actual: Any, bins: int = 10) -> float:
        return float(abs(np.mean(actual) - np.mean(expected)) / np.std(expected))

    return psi


EXERCISES = (
    Exercise(
        id="03.1",
        title="Validate raw data with a schema",
        verify=_verify_clean_schema,
        hints=(
            "Build pa.DataFrameSchema({column: pa.Column(dtype, checks, nullable=...)})"
            " with one Column per rule; pa.Check.in_range, pa.Check.gt, pa.Check.ge"
            " and pa.Check.isin cover the value rules, unique=True the identity.",
            "customer_id: pa.Column(str, unique=True); age: pa.Column(int, "
            "pa.Check.in_range(18, 100)); contract: pa.Column(str, pa.Check.isin("
            "CONTRACTS)); total_charges: pa.Column(float, pa.Check.ge(0), "
            "nullable=True); payment_method is nullable too; leave strict=False.",
        ),
        reference=_reference_clean_schema,
        wrong_answers=(
            _wrong_schema_allows_duplicate_ids,
            _wrong_schema_forbids_missing_total_charges,
            _wrong_schema_checks_age_lower_bound_only,
        ),
    ),
    Exercise(
        id="03.2",
        title="Select features",
        verify=_verify_select_features,
        hints=(
            "Score every column with sklearn.feature_selection.mutual_info_classif "
            "(it also sees non-linear links that a correlation misses), then keep "
            "the k best names.",
            "scores = mutual_info_classif(x_train, y_train, random_state=0); "
            "pd.Series(scores, index=x_train.columns).sort_values(ascending=False)"
            ".index[:k], returned as a list.",
        ),
        reference=_reference_select_features,
        wrong_answers=(
            _wrong_select_by_correlation,
            _wrong_select_lowest_scores,
            _wrong_select_returns_positions,
        ),
    ),
    Exercise(
        id="03.3",
        title="Find the best tracked run",
        verify=_verify_best_run,
        hints=(
            "search_runs names metric columns 'metrics.<name>'. Keep the rows whose "
            "status is FINISHED and whose metric is not NaN, then sort.",
            "column = f'metrics.{metric}'; return None if it is missing; eligible = "
            "runs[(runs.status == 'FINISHED') & runs[column].notna()]; sort by column "
            "with ascending=not higher_is_better and return run_id of the first row.",
        ),
        reference=_reference_best_run,
        wrong_answers=(
            _wrong_best_run_ignores_status,
            _wrong_best_run_always_maximises,
            _wrong_best_run_returns_index_label,
        ),
    ),
    Exercise(
        id="03.4",
        title="Gate and version a release",
        verify=_verify_release,
        hints=(
            "Check every rule and collect the names of those that fail, so one "
            "report lists them all. Comparisons with NaN are always False: write "
            "each rule as 'passes if', not 'fails if'.",
            "failed = []; if not auc >= min_auc: failed.append('min_auc'); if not "
            "auc >= baseline['auc'] + min_lift: failed.append('beats_baseline'); "
            "version = 'sha256:' + hashlib.sha256(model_bytes).hexdigest()[:12].",
        ),
        reference=_reference_release,
        wrong_answers=(
            _wrong_release_lets_nan_through,
            _wrong_release_versions_by_time,
            _wrong_release_ignores_baseline,
            _wrong_release_stops_at_first_failure,
        ),
    ),
    Exercise(
        id="03.5",
        title="Detect drift",
        verify=_verify_psi,
        hints=(
            "Cut the training sample into bins at its quantiles, count the share of "
            "each sample per bin, and sum (actual - expected) * ln(actual / expected)"
            " over the bins.",
            "edges = np.unique(np.quantile(expected, np.linspace(0, 1, bins + 1))); "
            "set edges[0], edges[-1] = -np.inf, np.inf; shares = np.histogram(x, "
            "edges)[0] / len(x); np.clip both shares at 1e-4 before the log.",
        ),
        reference=_reference_psi,
        wrong_answers=(
            _wrong_psi_drops_out_of_range_values,
            _wrong_psi_without_floor,
            _wrong_psi_compares_means,
        ),
    ),
)
