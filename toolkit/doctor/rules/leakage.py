"""Leakage: information from the test rows (or the future) reaching training.

L01 preprocessing fitted before the split, L02 target or post-outcome proxy among
the features, L03 rows shared between train and test, L04 test set used for model
selection, L05 shuffled split on time-ordered data, L06 the same entity on both
sides, S01 train/serve skew in encoders.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from toolkit.doctor.catalog import WARNING
from toolkit.doctor.findings import Finding
from toolkit.doctor.flow import (
    FULL,
    TEST,
    TRAIN,
    VAL,
    Facts,
    base_name,
    call_name,
    estimator_kind,
    is_model_class,
    keyword,
    literal_strings,
    role_from_name,
)
from toolkit.doctor.rules import rule

POST_OUTCOME = re.compile(
    r"(refund|cancel|churn_(date|reason)|closed|termination|terminated|outcome|"
    r"resolution|discharge|(^|_)after($|_)|^post_|payout|chargeback|write_?off|"
    r"days_to_|recovered|final_status)",
    re.I,
)
STATISTICS = frozenset({"mean", "median", "mode", "std", "min", "max", "quantile"})


def _split_after(facts: Facts, line: int) -> int | None:
    later = [split.line for split in facts.splits if split.line > line]
    later += [event.line for event in facts.of_kind("cv") if event.line > line]
    return min(later) if later else None


@rule("L01")
def preprocessing_before_split(facts: Facts) -> Iterator[Finding]:
    """A transformer (or an imputation statistic) computed on all rows, then a split."""
    for event in facts.of_kind("fit"):
        if estimator_kind(event.estimator) != "transformer":
            continue
        if FULL not in event.roles or event.roles & {TRAIN, TEST, VAL}:
            continue
        split_line = _split_after(facts, event.line)
        if split_line is None:
            continue
        yield Finding(
            "L01",
            event.line,
            f"{event.estimator}.{event.method} sees every row, then the data is "
            f"split at line {split_line}: statistics of the test rows leak into "
            "training",
            repairable=True,
        )

    for node in ast.walk(facts.unit.tree):
        if call_name(node) != "fillna" or not isinstance(node, ast.Call):
            continue
        statistic = next(
            (
                inner
                for inner in ast.walk(ast.Tuple(elts=list(node.args), ctx=ast.Load()))
                if call_name(inner) in STATISTICS
            ),
            None,
        )
        if statistic is None:
            continue
        owner = base_name(statistic.func) if isinstance(statistic, ast.Call) else None
        if owner is None or owner not in facts.data_names:
            continue
        if owner in _split_names(facts):
            continue
        split_line = _split_after(facts, node.lineno)
        if split_line is None:
            continue
        yield Finding(
            "L01",
            node.lineno,
            f"missing values are filled with a {call_name(statistic)} of all rows, "
            f"then the data is split at line {split_line}",
        )


def _split_names(facts: Facts) -> set[str]:
    names: set[str] = set()
    for split in facts.splits:
        names |= set(split.outputs)
    for event in facts.of_kind("split"):
        names |= set(event.assigned)
    names |= {name for name in facts.data_names if role_from_name(name)}
    return names


def _feature_assignments(facts: Facts) -> Iterator[tuple[ast.Assign, str]]:
    """Assignments that build the feature matrix: ``X = df.drop(...)`` or a list."""
    for node in ast.walk(facts.unit.tree):
        if not isinstance(node, ast.Assign) or len(node.targets) != 1:
            continue
        target = node.targets[0]
        if isinstance(target, ast.Name) and re.fullmatch(
            r"(X|x|X_all|features|feature_frame|X_full|inputs)", target.id
        ):
            yield node, target.id


def _popped(facts: Facts) -> set[str]:
    return {
        value
        for node in ast.walk(facts.unit.tree)
        if call_name(node) == "pop" and isinstance(node, ast.Call)
        for value in literal_strings(node.args[0] if node.args else None)
    }


def _dropped_columns(value: ast.expr, facts: Facts) -> list[str] | None:
    """The columns a ``.drop`` removes, or None when ``value`` is not a drop."""
    if not isinstance(value, ast.Call) or call_name(value) != "drop":
        return None
    found: list[str] = []
    for argument in [*value.args, keyword(value, "columns"), keyword(value, "labels")]:
        if isinstance(argument, ast.Name):
            found += facts.strings.get(argument.id, [])
        else:
            found += literal_strings(argument)
    return found


def _kept_columns(value: ast.expr, facts: Facts) -> list[str] | None:
    """The columns ``df[[...]]`` or ``df[FEATURES]`` keeps, or None."""
    if not isinstance(value, ast.Subscript):
        return None
    key = value.slice
    if isinstance(key, ast.Name):
        return facts.strings.get(key.id)
    if isinstance(key, ast.List):
        return literal_strings(key)
    return None


@rule("L02")
def target_among_features(facts: Facts) -> Iterator[Finding]:
    """The target column, or a column only known after the outcome, in X."""
    popped = _popped(facts)
    targets = {column for column in facts.targets if column not in popped}
    header = [
        column for columns in facts.columns_in_data.values() for column in columns
    ]
    for assignment, name in _feature_assignments(facts):
        dropped = _dropped_columns(assignment.value, facts)
        kept = _kept_columns(assignment.value, facts)
        if dropped is None and kept is None:
            continue
        for column in sorted(targets):
            leaked = (dropped is not None and column not in dropped) or (
                kept is not None and column in kept
            )
            if leaked:
                yield Finding(
                    "L02",
                    assignment.lineno,
                    f"'{column}' is the target (line {facts.targets[column]}) and "
                    f"{name} still contains it",
                    repairable=True,
                )
        candidates = header if dropped is not None else (kept or [])
        for column in candidates:
            if column in targets or not POST_OUTCOME.search(column):
                continue
            if dropped is not None and column in dropped:
                continue
            yield Finding(
                "L02",
                assignment.lineno,
                f"'{column}' looks like a value recorded after the outcome and "
                f"{name} keeps it as a feature",
                severity=WARNING,
                fix="drop it, or prove it is known at prediction time (doctor --run "
                "measures how well it alone predicts the target)",
            )


@rule("L03")
def rows_shared(facts: Facts) -> Iterator[Finding]:
    """Oversampling before the split, or duplicates never removed."""
    for event in facts.of_kind("resample"):
        if TRAIN in event.roles or TEST in event.roles:
            continue
        split_line = _split_after(facts, event.line)
        if split_line is None:
            continue
        yield Finding(
            "L03",
            event.line,
            f"rows are repeated ({event.method}) before the split at line "
            f"{split_line}: copies of the same row land in train and in test",
        )
    for node in ast.walk(facts.unit.tree):
        if not (
            isinstance(node, ast.Expr) and call_name(node.value) == "drop_duplicates"
        ):
            continue
        call = node.value
        assert isinstance(call, ast.Call)
        inplace = keyword(call, "inplace")
        if isinstance(inplace, ast.Constant) and inplace.value is True:
            continue
        split_line = _split_after(facts, node.lineno)
        if split_line is None:
            continue
        yield Finding(
            "L03",
            node.lineno,
            "duplicates are meant to be removed here but the result is discarded, "
            f"so duplicated rows can cross the split at line {split_line}",
            severity=WARNING,
        )


@rule("L04")
def test_set_for_selection(facts: Facts) -> Iterator[Finding]:
    """A test-set score inside the loop that varies the model."""
    reported: set[int] = set()
    for event in facts.events:
        evaluates = event.kind == "metric" or (
            event.kind == "apply" and event.method == "score"
        )
        if not evaluates or TEST not in event.roles or not event.loops:
            continue
        varies = any(
            other.loops
            and set(other.loops) & set(event.loops)
            and (
                (other.kind == "construct" and is_model_class(other.method))
                or other.method == "set_params"
                or other.kind == "fit"
            )
            for other in facts.events
        )
        if varies and event.line not in reported:
            reported.add(event.line)
            yield Finding(
                "L04",
                event.line,
                "the test set scores each candidate model inside a loop; the "
                "winner's test score is then optimistic",
            )
    for event in facts.of_kind("fit"):
        if estimator_kind(event.estimator) == "search" and TEST in event.roles:
            yield Finding(
                "L04",
                event.line,
                f"{event.estimator} is fitted on the test rows",
            )


@rule("L05")
def shuffled_time_split(facts: Facts) -> Iterator[Finding]:
    """A shuffled split of rows the script itself treats as a time series."""
    if not facts.time_ordering:
        return
    order_line, column = facts.time_ordering[0]
    for split in facts.splits:
        if not split.shuffled or split.line < order_line:
            continue
        yield Finding(
            "L05",
            split.line,
            f"the rows are ordered in time (by {column} at line {order_line}) but "
            f"{split.kind} shuffles them: the model trains on the future of its "
            "test rows",
        )


@rule("L06")
def entity_on_both_sides(facts: Facts) -> Iterator[Finding]:
    """Several rows per entity and a split that ignores the entity."""
    if not facts.entity_uses:
        return
    line, column = facts.entity_uses[0]
    for split in facts.splits:
        if split.grouped or split.kind == "manual":
            continue
        yield Finding(
            "L06",
            split.line,
            f"the data has several rows per '{column}' (see line {line}) and "
            f"{split.kind} splits rows, not {column} values: the same {column} can "
            "be in train and test",
        )


@rule("S01")
def serve_skew(facts: Facts) -> Iterator[Finding]:
    """An encoder refitted on new rows, or dummies built separately per frame."""
    fits_by_receiver: dict[str, int] = {}
    for event in facts.of_kind("fit"):
        if estimator_kind(event.estimator) != "transformer" or event.receiver is None:
            continue
        first = fits_by_receiver.get(event.receiver)
        if first is None:
            fits_by_receiver[event.receiver] = event.line
            continue
        if event.roles and TRAIN not in event.roles:
            yield Finding(
                "S01",
                event.line,
                f"{event.receiver} was fitted at line {first} and is fitted again "
                "here on other rows: the model sees differently scaled inputs",
                repairable=event.method == "fit_transform",
            )

    dummies = [
        node
        for node in ast.walk(facts.unit.tree)
        if call_name(node) == "get_dummies" and isinstance(node, ast.Call) and node.args
    ]
    dummies.sort(key=lambda node: node.lineno)
    frames = {base_name(node.args[0]) for node in dummies}
    if len(dummies) < 2 or len(frames) < 2:
        return
    aligned = any(
        call_name(node) in {"reindex", "align"}
        and isinstance(node, ast.Call)
        and node.lineno > dummies[1].lineno
        for node in ast.walk(facts.unit.tree)
    )
    if not aligned:
        yield Finding(
            "S01",
            dummies[1].lineno,
            f"get_dummies runs separately here and at line {dummies[0].lineno}: a "
            "category missing from one frame gives different columns",
            repairable=True,
        )
