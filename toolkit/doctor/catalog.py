"""The doctor's rule catalog: stable ids, titles, default severity, the usual fix.

Ids never change meaning; a retired rule keeps its id reserved. Each rule has one
explanation page, ``docs/rules/<ID>.md``, linked from every finding it produces.
"""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"
DOCS_FOLDER = "docs/rules"


@dataclass(frozen=True)
class Rule:
    """One entry of the catalog."""

    id: str
    family: str
    title: str
    severity: str
    fix: str

    @property
    def doc(self) -> str:
        """The explanation page, relative to the workbook root."""
        return f"{DOCS_FOLDER}/{self.id}.md"


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule(
            "L01",
            "leakage",
            "preprocessing fitted before the split",
            ERROR,
            "split first, then fit the preprocessing inside a Pipeline on the "
            "training rows only",
        ),
        Rule(
            "L02",
            "leakage",
            "target or a post-outcome proxy among the features",
            ERROR,
            "drop the target and every column only known after the outcome from "
            "the features",
        ),
        Rule(
            "L03",
            "leakage",
            "rows shared between train and test",
            ERROR,
            "drop duplicates and resample only the training rows, after the split",
        ),
        Rule(
            "L04",
            "leakage",
            "test set used for model selection",
            ERROR,
            "choose hyperparameters on a validation split or with cross-validation "
            "on the training rows; touch the test set once",
        ),
        Rule(
            "L05",
            "leakage",
            "shuffled split on time-ordered data",
            ERROR,
            "split by time (train on the past, test on the future) or use "
            "TimeSeriesSplit",
        ),
        Rule(
            "L06",
            "leakage",
            "the same entity on both sides of the split",
            WARNING,
            "split by entity with GroupShuffleSplit or GroupKFold",
        ),
        Rule(
            "S01",
            "leakage",
            "train/serve skew in encoders",
            ERROR,
            "fit encoders once on the training rows and only transform new data; "
            "reindex dummies to the training columns",
        ),
        Rule(
            "E01",
            "evaluation",
            "evaluation on training data reported as the score",
            ERROR,
            "report the score on held-out rows the model never saw",
        ),
        Rule(
            "E02",
            "evaluation",
            "accuracy alone on imbalanced classes",
            WARNING,
            "report balanced accuracy, ROC AUC or per-class recall beside accuracy",
        ),
        Rule(
            "R01",
            "reproducibility",
            "no random seed",
            WARNING,
            "pass random_state to splitters and estimators; seed numpy generators",
        ),
        Rule(
            "R02",
            "reproducibility",
            "hyperparameters left implicit",
            WARNING,
            "write the hyperparameters that matter in the constructor, so a library "
            "upgrade cannot change them silently",
        ),
        Rule(
            "I02",
            "reproducibility",
            "model artifact overwritten without a version",
            WARNING,
            "write each model under a new versioned name (content hash, date) with "
            "its metadata",
        ),
        Rule(
            "P01",
            "pandas",
            "chained assignment",
            ERROR,
            "assign through one indexer: df.loc[mask, 'column'] = value",
        ),
        Rule(
            "P02",
            "pandas",
            "NaN compared with ==",
            ERROR,
            "test for missing values with .isna() / .notna()",
        ),
        Rule(
            "P03",
            "pandas",
            "result of a pandas operation discarded",
            ERROR,
            "assign the result back: df = df.drop_duplicates()",
        ),
        Rule(
            "D01",
            "data",
            "silent row drop",
            WARNING,
            "count the rows before and after, log the difference, and fail above a "
            "threshold",
        ),
        Rule(
            "D02",
            "data",
            "columns or dtypes not pinned at load",
            WARNING,
            "pass usecols= and dtype= (or validate a schema) when reading",
        ),
        Rule(
            "X01",
            "robustness",
            "swallowed exception",
            WARNING,
            "catch the specific exception and log or re-raise it",
        ),
        Rule(
            "I01",
            "robustness",
            "hard-coded absolute or user-specific path",
            WARNING,
            "take paths from a parameter or relative to the project root",
        ),
    )
}
