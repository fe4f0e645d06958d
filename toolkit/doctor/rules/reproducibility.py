"""Reproducibility: runs that cannot be repeated or compared.

R01 no random seed, R02 hyperparameters left implicit, I02 model artifact
overwritten without a version.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from toolkit.doctor.findings import Finding
from toolkit.doctor.flow import Facts, call_name, keyword
from toolkit.doctor.rules import rule

SEEDABLE = frozenset(
    {
        "RandomForestClassifier", "RandomForestRegressor", "ExtraTreesClassifier",
        "ExtraTreesRegressor", "GradientBoostingClassifier",
        "GradientBoostingRegressor", "HistGradientBoostingClassifier",
        "HistGradientBoostingRegressor", "DecisionTreeClassifier",
        "DecisionTreeRegressor", "SGDClassifier",
        "SGDRegressor", "MLPClassifier", "MLPRegressor", "KMeans",
        "IsolationForest", "AdaBoostClassifier", "AdaBoostRegressor",
        "BaggingClassifier", "BaggingRegressor", "ShuffleSplit",
        "StratifiedShuffleSplit", "GroupShuffleSplit", "RandomizedSearchCV",
        "TruncatedSVD", "Perceptron",
    }
)  # fmt: skip
SHUFFLE_SEEDABLE = frozenset({"KFold", "StratifiedKFold", "RepeatedKFold"})

# The hyperparameters worth writing down, per estimator, in constructor order.
KEY_HYPERPARAMETERS: dict[str, tuple[str, ...]] = {
    "RandomForestClassifier": ("n_estimators", "max_depth", "min_samples_leaf"),
    "RandomForestRegressor": ("n_estimators", "max_depth", "min_samples_leaf"),
    "ExtraTreesClassifier": ("n_estimators", "max_depth", "min_samples_leaf"),
    "GradientBoostingClassifier": ("n_estimators", "learning_rate", "max_depth"),
    "GradientBoostingRegressor": ("n_estimators", "learning_rate", "max_depth"),
    "HistGradientBoostingClassifier": ("learning_rate", "max_iter", "max_leaf_nodes"),
    "DecisionTreeClassifier": ("max_depth", "min_samples_leaf"),
    "DecisionTreeRegressor": ("max_depth", "min_samples_leaf"),
    "LogisticRegression": ("C", "max_iter"),
    "KNeighborsClassifier": ("n_neighbors",),
    "KNeighborsRegressor": ("n_neighbors",),
    "SVC": ("C", "kernel"),
    "Ridge": ("alpha",),
    "Lasso": ("alpha",),
}
NUMPY_RANDOM = frozenset(
    {"rand", "randn", "randint", "choice", "shuffle", "permutation", "normal",
     "uniform", "random"}
)  # fmt: skip


def _has_seed(node: ast.Call) -> bool:
    return keyword(node, "random_state") is not None


@rule("R01")
def no_seed(facts: Facts) -> Iterator[Finding]:
    """Splits, estimators and numpy draws without a seed."""
    for node in ast.walk(facts.unit.tree):
        if not isinstance(node, ast.Call):
            continue
        name = facts.name_of(node)
        if name == "train_test_split" or name in SEEDABLE:
            if not _has_seed(node):
                yield Finding(
                    "R01",
                    node.lineno,
                    f"{name} has no random_state: each run draws different rows "
                    "or trees, so two runs cannot be compared",
                    repairable=True,
                )
        elif name in SHUFFLE_SEEDABLE:
            shuffle = keyword(node, "shuffle")
            shuffled = isinstance(shuffle, ast.Constant) and shuffle.value is True
            if shuffled and not _has_seed(node):
                yield Finding(
                    "R01",
                    node.lineno,
                    f"{name}(shuffle=True) has no random_state",
                    repairable=True,
                )
        elif name == "sample" and isinstance(node.func, ast.Attribute):
            if not _has_seed(node) and _is_frame_sample(node, facts):
                yield Finding(
                    "R01",
                    node.lineno,
                    "DataFrame.sample has no random_state",
                    repairable=True,
                )
        elif name == "default_rng" and not node.args and not node.keywords:
            yield Finding(
                "R01",
                node.lineno,
                "default_rng() is created without a seed",
                repairable=True,
            )
        elif (
            name in NUMPY_RANDOM and _is_numpy_random(node) and not _numpy_seeded(facts)
        ):
            yield Finding(
                "R01",
                node.lineno,
                f"np.random.{name} draws from the global generator, never seeded",
            )


def _is_frame_sample(node: ast.Call, facts: Facts) -> bool:
    func = node.func
    assert isinstance(func, ast.Attribute)
    owner = func.value
    while isinstance(owner, ast.Subscript | ast.Attribute):
        owner = owner.value
    return isinstance(owner, ast.Name) and owner.id in facts.data_names


def _is_numpy_random(node: ast.Call) -> bool:
    func = node.func
    return (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Attribute)
        and func.value.attr == "random"
        and isinstance(func.value.value, ast.Name)
        and func.value.value.id in {"np", "numpy"}
    )


def _numpy_seeded(facts: Facts) -> bool:
    return any(call_name(node) == "seed" for node in ast.walk(facts.unit.tree))


@rule("R02")
def implicit_hyperparameters(facts: Facts) -> Iterator[Finding]:
    """An estimator built with its important hyperparameters left to defaults."""
    for event in facts.of_kind("construct"):
        keys = KEY_HYPERPARAMETERS.get(event.method)
        if not keys or event.node.args:
            continue
        given = {item.arg for item in event.node.keywords}
        if None in given:
            continue  # **params: set elsewhere
        missing = [key for key in keys if key not in given]
        if missing:
            yield Finding(
                "R02",
                event.line,
                f"{event.method} leaves {', '.join(missing)} to the library's "
                "defaults, which can change between versions",
                repairable=True,
            )


@rule("I02")
def unversioned_artifact(facts: Facts) -> Iterator[Finding]:
    """A model saved under a fixed file name, overwritten on every run."""
    for event in facts.of_kind("write"):
        for argument in [*event.node.args, *(k.value for k in event.node.keywords)]:
            path = argument
            if call_name(argument) == "open" and isinstance(argument, ast.Call):
                path = argument.args[0] if argument.args else argument
            if isinstance(path, ast.Constant) and isinstance(path.value, str):
                yield Finding(
                    "I02",
                    event.line,
                    f"the model is written to the fixed name '{path.value}': each "
                    "run replaces the last model and its provenance is lost",
                )
                break
