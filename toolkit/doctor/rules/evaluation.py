"""Evaluation: scores that do not measure what they claim.

E01 evaluation on training data reported as the score, E02 accuracy alone on
imbalanced classes.
"""

from __future__ import annotations

from collections.abc import Iterator

from toolkit.doctor.findings import Finding
from toolkit.doctor.flow import FULL, TEST, TRAIN, VAL, Event, Facts, is_model_class
from toolkit.doctor.rules import rule

CLASSIFICATION_METRICS = frozenset(
    {
        "balanced_accuracy_score", "f1_score", "precision_score", "recall_score",
        "roc_auc_score", "average_precision_score", "log_loss",
        "classification_report", "confusion_matrix", "matthews_corrcoef",
        "brier_score_loss",
    }
)  # fmt: skip


def _evaluations(facts: Facts) -> list[Event]:
    return [
        event
        for event in facts.events
        if event.kind == "metric" or (event.kind == "apply" and event.method == "score")
    ]


@rule("E01")
def train_score_reported(facts: Facts) -> Iterator[Finding]:
    """A score on the rows the model was fitted on, and no held-out score."""
    evaluations = _evaluations(facts)
    held_out = [
        event for event in evaluations if event.roles & {TEST, VAL} and not event.loops
    ]
    if held_out:
        return
    full_fits = [
        event.line
        for event in facts.of_kind("fit")
        if event.roles == {FULL} and is_model_class(event.estimator or "")
    ]
    for event in evaluations:
        if event.loops:
            continue
        on_train = TRAIN in event.roles and not event.roles & {TEST, VAL}
        on_fitted_rows = event.roles == {FULL} and any(
            line < event.line for line in full_fits
        )
        if on_train or on_fitted_rows:
            yield Finding(
                "E01",
                event.line,
                f"{event.method} is computed on the rows the model was fitted on "
                "and no held-out score is reported: it measures memory, not "
                "generalisation",
            )


@rule("E02")
def accuracy_alone(facts: Facts) -> Iterator[Finding]:
    """Only accuracy for a classifier: blind to a rare class."""
    classifiers = [
        event
        for event in facts.of_kind("construct")
        if event.method.endswith(("Classifier", "SVC", "NB"))
        or event.method in {"LogisticRegression", "LinearSVC"}
    ]
    if not classifiers:
        return
    evaluations = _evaluations(facts)
    if any(event.method in CLASSIFICATION_METRICS for event in evaluations):
        return
    accuracy = [
        event for event in evaluations if event.method in {"accuracy_score", "score"}
    ]
    if accuracy:
        yield Finding(
            "E02",
            accuracy[-1].line,
            "accuracy is the only metric: with a rare class, predicting the "
            "majority everywhere already scores high",
        )
