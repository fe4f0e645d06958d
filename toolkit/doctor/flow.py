"""ML-aware flow facts: which names hold train or test rows, and what touches them.

One pass walks the statements in source order (loop and branch bodies once, in
place) and keeps a *role* for every name bound to data:

* ``full``: rows loaded or derived before any split (``df = pd.read_csv(...)``,
  ``X = df.drop(...)``);
* ``train`` / ``test`` / ``val``: the outputs of a split. ``train_test_split`` is read
  positionally when tuple-unpacked (``a, b, c, d = train_test_split(X, y)`` gives
  ``a, c`` train and ``b, d`` test); a name such as ``train_df`` or ``X_valid`` takes
  the role its name says when it is derived from ``full`` rows, which covers manual
  and time-based splits.

An assignment's value takes the union of the roles of the data names it reads
(estimators are not data: ``model.predict(X_test)`` is ``test``). A function defined
at module level is walked where it is called, its parameters bound to the roles of
the arguments, so ``X = prepare(df)`` and ``evaluate(model, X_train, y_train)`` are
followed into their bodies; a function never called is walked once on its own.
Along the way the pass records events with the roles of their arguments at that
moment: estimator constructions, ``fit`` / ``fit_transform`` / ``transform`` /
``predict`` / ``score`` calls, metric calls, splits, loads and writes. Rules read
these facts; none of them re-walks the tree for flow.

Example::

    df = pd.read_csv("churn.csv")                 # df: full
    scaler = StandardScaler()                     # estimator StandardScaler
    X = scaler.fit_transform(df[cols])            # fit event, argument role full
    X_tr, X_te, y_tr, y_te = train_test_split(X, df["y"])   # split at line 4
    model.fit(X_tr, y_tr)                         # fit event, argument role train
"""

from __future__ import annotations

import ast
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.analysis.flow import analyse_block, summarise_module
from toolkit.analysis.source import SourceUnit

log = logging.getLogger(__name__)

FULL = "full"
TRAIN = "train"
TEST = "test"
VAL = "val"
Roles = frozenset[str]
NOT_FRAMES = frozenset(
    {"loads", "load_json", "to_dict", "tolist", "to_list", "list", "dict", "to_json",
     "to_records", "len", "sum", "round", "float", "int", "str"}
)  # fmt: skip
LITERAL_CONTAINERS = (
    ast.Dict,
    ast.List,
    ast.Tuple,
    ast.Set,
    ast.DictComp,
    ast.ListComp,
    ast.Constant,
)
NO_ROLES: Roles = frozenset()

TRANSFORMERS = frozenset(
    {
        "StandardScaler", "MinMaxScaler", "RobustScaler", "MaxAbsScaler",
        "OneHotEncoder", "OrdinalEncoder", "TargetEncoder", "SimpleImputer",
        "KNNImputer", "IterativeImputer", "PCA", "TruncatedSVD", "SelectKBest",
        "SelectPercentile", "VarianceThreshold", "RFE", "RFECV", "KBinsDiscretizer",
        "QuantileTransformer", "PowerTransformer", "TfidfVectorizer",
        "CountVectorizer", "ColumnTransformer", "SelectFromModel",
    }
)  # fmt: skip
TARGET_ENCODERS = frozenset({"LabelEncoder", "LabelBinarizer", "MultiLabelBinarizer"})
PIPELINES = frozenset({"Pipeline", "make_pipeline"})
SEARCHES = frozenset({"GridSearchCV", "RandomizedSearchCV", "HalvingGridSearchCV"})
MODEL_SUFFIXES = (
    "Classifier", "Regressor", "Regression", "SVC", "SVR", "NB", "Lasso", "Ridge",
    "ElasticNet", "KMeans", "IsolationForest", "KNeighbors",
)  # fmt: skip
SPLITTER_CLASSES = frozenset(
    {
        "KFold", "StratifiedKFold", "ShuffleSplit", "StratifiedShuffleSplit",
        "GroupKFold", "GroupShuffleSplit", "StratifiedGroupKFold", "TimeSeriesSplit",
        "RepeatedKFold", "RepeatedStratifiedKFold", "LeaveOneGroupOut",
    }
)  # fmt: skip
GROUP_SPLITTERS = frozenset(
    {"GroupKFold", "GroupShuffleSplit", "StratifiedGroupKFold", "LeaveOneGroupOut"}
)
CV_FUNCTIONS = frozenset({"cross_val_score", "cross_validate", "cross_val_predict"})
METRICS = frozenset(
    {
        "accuracy_score", "balanced_accuracy_score", "f1_score", "precision_score",
        "recall_score", "roc_auc_score", "average_precision_score", "log_loss",
        "r2_score", "mean_squared_error", "mean_absolute_error",
        "classification_report", "confusion_matrix", "matthews_corrcoef",
        "root_mean_squared_error", "brier_score_loss",
    }
)  # fmt: skip
FIT_METHODS = frozenset({"fit", "fit_transform", "fit_predict", "fit_resample"})
APPLY_METHODS = frozenset(
    {"transform", "predict", "predict_proba", "decision_function", "score"}
)
LOADERS = frozenset(
    {"read_csv", "read_parquet", "read_excel", "read_json", "read_table", "read_sql",
     "read_feather", "read_pickle", "load", "loadtxt", "genfromtxt"}
)  # fmt: skip
ROLE_WORDS = (
    (re.compile(r"(^|_)(val|valid|validation|dev)($|_)", re.I), VAL),
    (re.compile(r"(^|_)(test|holdout|hold_out)($|_|ing)", re.I), TEST),
    (re.compile(r"(^|_)(train|training|tr)($|_)", re.I), TRAIN),
)
TIME_COLUMN = re.compile(
    r"(date|time|month|week|day|year|period|timestamp|_at$|^ts$|snapshot)", re.I
)
ENTITY_COLUMN = re.compile(
    r"^(customer|client|patient|user|device|account|member|subscriber|household|"
    r"store|machine|subject|person|employee|student)_?(id|no|number|key|code)$",
    re.I,
)


@dataclass(frozen=True)
class Event:
    """One ML-relevant call, with the roles of its data arguments at that moment."""

    kind: str  # construct, fit, apply, metric, split, cv, load, write
    method: str  # fit_transform, predict, accuracy_score, read_csv, ...
    line: int
    node: ast.Call
    estimator: str | None = None  # the estimator's class, when known
    receiver: str | None = None  # the variable holding the estimator
    arg_roles: tuple[Roles, ...] = ()
    assigned: tuple[str, ...] = ()
    loops: tuple[ast.AST, ...] = ()
    statement: ast.stmt | None = None

    @property
    def roles(self) -> Roles:
        """The union of every argument's roles."""
        merged: set[str] = set()
        for roles in self.arg_roles:
            merged |= roles
        return frozenset(merged)


@dataclass(frozen=True)
class Split:
    """A train/test split: where, how, and into which names."""

    line: int
    node: ast.Call | None
    kind: str  # train_test_split, a splitter class, or manual
    shuffled: bool
    grouped: bool
    seeded: bool
    stratified: bool
    outputs: dict[str, str] = field(default_factory=dict)


@dataclass
class Facts:
    """Everything the rules need to know about one script."""

    unit: SourceUnit
    events: list[Event] = field(default_factory=list)
    splits: list[Split] = field(default_factory=list)
    estimators: dict[str, str] = field(default_factory=dict)
    targets: dict[str, int] = field(default_factory=dict)  # target column -> line
    target_names: set[str] = field(default_factory=set)  # variables holding y
    strings: dict[str, list[str]] = field(default_factory=dict)
    columns_in_data: dict[str, list[str]] = field(default_factory=dict)
    time_ordering: list[tuple[int, str]] = field(default_factory=list)
    entity_uses: list[tuple[int, str]] = field(default_factory=list)
    parents: dict[ast.AST, ast.AST] = field(default_factory=dict)
    data_names: set[str] = field(default_factory=set)
    aliases: dict[str, str] = field(default_factory=dict)
    read_paths: dict[int, str] = field(default_factory=dict)
    derived: dict[str, frozenset[str]] = field(default_factory=dict)

    def name_of(self, node: ast.AST) -> str | None:
        """A call's name with import aliases undone (``tts`` -> train_test_split)."""
        name = call_name(node)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            return self.aliases.get(name or "", name)
        return name

    def of_kind(self, kind: str) -> Iterator[Event]:
        """The events of one kind, in source order."""
        return (event for event in self.events if event.kind == kind)


def call_name(node: ast.AST) -> str | None:
    """``read_csv`` for ``pd.read_csv(...)``, ``StandardScaler`` for a bare call."""
    if not isinstance(node, ast.Call):
        return None
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def is_model_class(name: str) -> bool:
    """True for a class name that looks like a scikit-learn style model."""
    return name.endswith(MODEL_SUFFIXES) or name in {"SVC", "SVR", "LinearSVC"}


def estimator_kind(name: str | None) -> str | None:
    """Classify a class name: transformer, target-encoder, pipeline, search, model."""
    if name is None:
        return None
    if name in TRANSFORMERS:
        return "transformer"
    if name in TARGET_ENCODERS:
        return "target-encoder"
    if name in PIPELINES:
        return "pipeline"
    if name in SEARCHES:
        return "search"
    if name in SPLITTER_CLASSES:
        return "splitter"
    if is_model_class(name):
        return "model"
    return None


def keyword(node: ast.Call, name: str) -> ast.expr | None:
    """The value of keyword argument ``name`` in a call, if given."""
    for item in node.keywords:
        if item.arg == name:
            return item.value
    return None


def literal_strings(node: ast.AST | None) -> list[str]:
    """Every string constant in ``node`` (a literal, a list, a tuple)."""
    if node is None:
        return []
    return [
        child.value
        for child in ast.walk(node)
        if isinstance(child, ast.Constant) and isinstance(child.value, str)
    ]


def role_from_name(name: str) -> str | None:
    """``train`` for ``X_train``, ``test`` for ``test_df``, ``val`` for ``X_val``."""
    for pattern, role in ROLE_WORDS:
        if pattern.search(name):
            return role
    return None


def target_names(node: ast.AST) -> list[str]:
    """The plain names an assignment target binds (tuples flattened)."""
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.Tuple | ast.List):
        names: list[str] = []
        for element in node.elts:
            names += target_names(element)
        return names
    return []


def base_name(node: ast.AST) -> str | None:
    """``df`` for ``df``, ``df["a"]``, ``df.loc[m, "a"]`` and ``df.a.b``."""
    while isinstance(node, ast.Subscript | ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


class _Walker:
    """The single in-order pass that fills :class:`Facts`."""

    def __init__(self, unit: SourceUnit, aliases: dict[str, str]) -> None:
        self.facts = Facts(unit, aliases=aliases)
        self.roles: dict[str, Roles] = {}
        self.loops: list[ast.AST] = []
        self.functions: dict[str, ast.FunctionDef] = {
            node.name: node
            for node in unit.tree.body
            if isinstance(node, ast.FunctionDef)
        }
        self.inlining: list[str] = []
        self.walked: set[str] = set()
        self.returns: dict[int, tuple[list[Roles], str | None]] = {}
        for parent in ast.walk(unit.tree):
            for child in ast.iter_child_nodes(parent):
                self.facts.parents[child] = parent

    # roles of expressions

    def roles_of(self, node: ast.AST | None) -> Roles:
        if node is None:
            return NO_ROLES
        merged: set[str] = set()
        for child in ast.walk(node):
            if isinstance(child, ast.Name) and child.id not in self.facts.estimators:
                merged |= self.roles.get(child.id, NO_ROLES)
        return frozenset(merged)

    # statements

    def walk(self, body: list[ast.stmt]) -> None:
        for statement in body:
            self.statement(statement)

    def statement(self, statement: ast.stmt) -> None:
        if isinstance(statement, ast.For | ast.AsyncFor | ast.While):
            if isinstance(statement, ast.While):
                self.calls(statement, statement.test)
            else:
                self.calls(statement, statement.iter)
            if isinstance(statement, ast.For | ast.AsyncFor):
                for name in target_names(statement.target):
                    self.roles[name] = self.roles_of(statement.iter)
            self.loops.append(statement)
            self.walk(statement.body)
            self.loops.pop()
            self.walk(statement.orelse)
            return
        if isinstance(statement, ast.If):
            self.calls(statement, statement.test)
            self.walk(statement.body)
            self.walk(statement.orelse)
            return
        if isinstance(statement, ast.With | ast.AsyncWith):
            for item in statement.items:
                self.calls(statement, item.context_expr)
            self.walk(statement.body)
            return
        if isinstance(statement, ast.Try):
            self.walk(statement.body)
            for handler in statement.handlers:
                self.walk(handler.body)
            self.walk(statement.orelse)
            self.walk(statement.finalbody)
            return
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
            if self.functions.get(statement.name) is not statement:
                self.walk(statement.body)
            return  # a module-level function is walked where it is called
        if isinstance(statement, ast.ClassDef):
            return

        self.calls(statement, statement)
        if isinstance(statement, ast.Assign):
            self.assign(statement.targets, statement.value)
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            self.assign([statement.target], statement.value)
        elif isinstance(statement, ast.AugAssign):
            self.assign([statement.target], statement.value, keep=True)

    def assign(
        self, targets: list[ast.expr], value: ast.expr, keep: bool = False
    ) -> None:
        facts = self.facts
        names = [name for target in targets for name in target_names(target)]

        # string constants, for resolving paths and column lists later
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            for name in names:
                facts.strings.setdefault(name, []).append(value.value)
        elif isinstance(value, ast.List | ast.Tuple):
            strings = literal_strings(value)
            if strings and len(strings) == len(value.elts):
                for name in names:
                    facts.strings[name] = strings

        # a module function walked at this call: what it returned
        if isinstance(value, ast.Call) and id(value) in self.returns:
            returned, estimator = self.returns[id(value)]
            if estimator is not None:
                for name in names:
                    facts.estimators[name] = estimator
                return
            if len(returned) == len(names) > 1:
                for name, roles in zip(names, returned, strict=True):
                    self.bind(name, roles, value)
                return
            if len(returned) == 1:
                for name in names:
                    self.bind(name, returned[0], value)
                return

        # estimators; fit() returns the estimator itself
        constructed = self.name_of(value)
        if constructed == "fit" and isinstance(value, ast.Call):
            receiver = (
                value.func.value if isinstance(value.func, ast.Attribute) else None
            )
            if isinstance(receiver, ast.Call):
                constructed = self.name_of(receiver)
            elif isinstance(receiver, ast.Name):
                constructed = facts.estimators.get(receiver.id)
        kind = estimator_kind(constructed)
        if isinstance(value, ast.Call) and kind is not None:
            for name in names:
                facts.estimators[name] = constructed or ""
            return
        for name in names:
            facts.estimators.pop(name, None)

        # the target: y = df["churned"], y = df.pop("churned"), y = df.churned
        column = _target_column(value)
        if column and any(_looks_like_target(name) for name in names):
            facts.targets.setdefault(column, value.lineno)
            facts.target_names.update(names)

        # roles
        split = _split_outputs(value, targets, self.name_of(value))
        if split is not None:
            for name, role in split.items():
                self.roles[name] = frozenset({role})
            return
        value_roles = self.value_roles(value)
        subscript_targets = [t for t in targets if isinstance(t, ast.Subscript)]
        for target in subscript_targets:
            owner = base_name(target)
            if owner is not None:
                self.roles[owner] = self.roles.get(owner, NO_ROLES) | (
                    value_roles - {FULL}
                )
        for name in names:
            roles = value_roles | (self.roles.get(name, NO_ROLES) if keep else NO_ROLES)
            self.bind(name, roles, value)

    def value_roles(self, value: ast.expr) -> Roles:
        """The roles of an assigned or returned value: loads are ``full`` rows."""
        if isinstance(value, LITERAL_CONTAINERS) or call_name(value) in NOT_FRAMES:
            return NO_ROLES  # a dict or list of rows is not a data frame
        if self.name_of(value) in LOADERS or _is_frame_constructor(value):
            return frozenset({FULL})
        return self.roles_of(value)

    def bind(self, name: str, roles: Roles, value: ast.expr) -> None:
        """Give ``name`` its roles; a name like ``X_test`` says its own role."""
        facts = self.facts
        named = role_from_name(name)
        if named is not None and (FULL in roles or not roles):
            if FULL in roles:
                self._manual_split(name, named, value)
            roles = frozenset({named})
        self.roles[name] = roles
        if roles:
            facts.data_names.add(name)
        else:
            facts.data_names.discard(name)
        facts.derived[name] = frozenset(
            child.id for child in ast.walk(value) if isinstance(child, ast.Name)
        )

    def _manual_split(self, name: str, role: str, value: ast.expr) -> None:
        facts = self.facts
        for split in facts.splits:
            if split.kind == "manual" and abs(split.line - value.lineno) <= 3:
                split.outputs[name] = role
                return
        if role == VAL or call_name(value) in LOADERS:
            return
        sampled = any(call_name(node) == "sample" for node in ast.walk(value))
        facts.splits.append(
            Split(
                line=value.lineno,
                node=None,
                kind="manual",
                shuffled=sampled,
                grouped=False,
                seeded=True,
                stratified=False,
                outputs={name: role},
            )
        )

    # calls inside one statement

    def calls(self, statement: ast.stmt, root: ast.AST) -> None:
        assigned: tuple[str, ...] = ()
        if isinstance(statement, ast.Assign):
            assigned = tuple(n for t in statement.targets for n in target_names(t))
        for node in _calls_in_order(root):
            if (
                isinstance(node.func, ast.Name)
                and node.func.id in self.functions
                and node.func.id not in self.inlining
            ):
                self.inline(node, self.functions[node.func.id])
            event = self.event(node, statement, assigned)
            if event is not None:
                self.facts.events.append(event)
            self.column_uses(node)

    def name_of(self, node: ast.AST) -> str | None:
        return self.facts.name_of(node)

    def inline(self, call: ast.Call, function: ast.FunctionDef) -> None:
        """Walk a module function's body where it is called.

        Its parameters take the roles (and estimators) of the arguments; its locals
        do not leak out; what it returns is kept for the assignment of the call.
        """
        arguments = function.args
        params = [a.arg for a in [*arguments.posonlyargs, *arguments.args]]
        given: dict[str, ast.expr] = dict(zip(params, call.args, strict=False))
        given.update({k.arg: k.value for k in call.keywords if k.arg in params})
        saved_roles = dict(self.roles)
        saved_estimators = dict(self.facts.estimators)
        for param in [*params, *(a.arg for a in arguments.kwonlyargs)]:
            self.roles.pop(param, None)
            self.facts.estimators.pop(param, None)
        for param, argument in given.items():
            self.roles[param] = self.roles_of(argument)
            if isinstance(argument, ast.Name) and argument.id in saved_estimators:
                self.facts.estimators[param] = saved_estimators[argument.id]

        self.inlining.append(function.name)
        self.walked.add(function.name)
        self.walk(function.body)
        self.inlining.pop()

        returned: list[Roles] = []
        estimator = None
        for node in _walk_scope(function):
            if isinstance(node, ast.Return) and node.value is not None:
                value = node.value
                if isinstance(value, ast.Tuple):
                    returned = [self.value_roles(element) for element in value.elts]
                else:
                    returned = [self.value_roles(value)]
                if isinstance(value, ast.Name):
                    estimator = self.facts.estimators.get(value.id)
        self.returns[id(call)] = (returned, estimator)
        self.roles = saved_roles
        self.facts.estimators = saved_estimators

    def event(
        self, node: ast.Call, statement: ast.stmt, assigned: tuple[str, ...]
    ) -> Event | None:
        name = self.name_of(node)
        if name is None:
            return None
        loops = tuple(self.loops) + _comprehensions_around(node, self.facts.parents)
        arg_roles = tuple(self.roles_of(arg) for arg in node.args) + tuple(
            self.roles_of(item.value) for item in node.keywords
        )

        def make(
            kind: str, estimator: str | None = None, receiver: str | None = None
        ) -> Event:
            return Event(
                kind,
                name or "",
                node.lineno,
                node,
                estimator=estimator,
                receiver=receiver,
                arg_roles=arg_roles,
                assigned=assigned,
                loops=loops,
                statement=statement,
            )

        if name == "train_test_split":
            self.facts.splits.append(_describe_split(node, name))
            return make("split")
        if name in CV_FUNCTIONS:
            return make("cv", estimator=self._class_of(node.args))
        if name in METRICS:
            return make("metric")
        if self._resamples(node, name):
            return make("resample")
        if name in LOADERS and isinstance(node.func, ast.Attribute):
            return make("load")
        if name in {"dump", "save_model", "to_pickle", "save"} and _writes_model(node):
            return make("write")
        if estimator_kind(name) is not None:
            if name in SPLITTER_CLASSES:
                self.facts.splits.append(_describe_split(node, name))
            return make("construct", estimator=name)
        if name == "split" and isinstance(node.func, ast.Attribute):
            receiver = base_name(node.func.value)
            if receiver and self.facts.estimators.get(receiver) in SPLITTER_CLASSES:
                return None
        if name in FIT_METHODS | APPLY_METHODS and isinstance(node.func, ast.Attribute):
            receiver_node = node.func.value
            receiver = receiver_node.id if isinstance(receiver_node, ast.Name) else None
            estimator = (
                self.name_of(receiver_node)
                if isinstance(receiver_node, ast.Call)
                else self.facts.estimators.get(receiver or "")
            )
            if estimator is None and receiver is None:
                return None
            if estimator is None and receiver in self.roles:
                return None  # a data frame's own method, not an estimator
            kind = "fit" if name in FIT_METHODS else "apply"
            return make(kind, estimator=estimator, receiver=receiver)
        return None

    def _resamples(self, node: ast.Call, name: str) -> bool:
        """True for oversampling: a frame concatenated with a part of itself."""
        if name == "resample" or name == "fit_resample":
            return True
        if name == "sample":
            frac = keyword(node, "frac")
            replace = keyword(node, "replace")
            return (isinstance(replace, ast.Constant) and replace.value is True) or (
                isinstance(frac, ast.Constant)
                and isinstance(frac.value, int | float)
                and frac.value > 1
            )
        if name != "concat" or not node.args:
            return False
        pieces = node.args[0]
        if not isinstance(pieces, ast.List | ast.Tuple):
            return False
        names = [base_name(piece) for piece in pieces.elts]
        known = [piece for piece in names if piece is not None]
        if len(known) != len(set(known)):
            return True
        return any(
            other in self.facts.derived.get(piece, frozenset())
            for piece in known
            for other in known
            if other != piece
        )

    def _class_of(self, args: list[ast.expr]) -> str | None:
        if not args:
            return None
        first = args[0]
        if isinstance(first, ast.Call):
            return self.name_of(first)
        if isinstance(first, ast.Name):
            return self.facts.estimators.get(first.id)
        return None

    def column_uses(self, node: ast.Call) -> None:
        """Record ordering by a time column and uses of an entity column."""
        name = call_name(node)
        strings = literal_strings(ast.Tuple(elts=list(node.args), ctx=ast.Load()))
        for item in node.keywords:
            if item.arg in {"by", "on", "keys", "subset", "columns", "left_on"}:
                strings += literal_strings(item.value)
        for value in strings:
            if name in {"groupby", "sort_values", "set_index", "merge"} and (
                ENTITY_COLUMN.match(value)
            ):
                self.facts.entity_uses.append((node.lineno, value))
            if name in {"sort_values", "set_index"} and TIME_COLUMN.search(value):
                self.facts.time_ordering.append((node.lineno, value))
        if name in {"diff", "shift", "pct_change", "rolling", "expanding", "cumsum"}:
            owner = node.func.value if isinstance(node.func, ast.Attribute) else None
            if owner is not None and any(
                call_name(inner) == "groupby" for inner in ast.walk(owner)
            ):
                self.facts.time_ordering.append((node.lineno, f".{name}() per group"))


def _calls_in_order(root: ast.AST) -> list[ast.Call]:
    """The calls inside ``root`` in source order, not entering nested bodies."""
    found: list[ast.Call] = []
    stack: list[ast.AST] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Call):
            found.append(node)
        if node is not root and isinstance(node, ast.stmt):
            continue
        stack.extend(ast.iter_child_nodes(node))
    return sorted(found, key=lambda call: (call.lineno, call.col_offset))


def _walk_scope(function: ast.FunctionDef) -> Iterator[ast.AST]:
    """The nodes of a function's body, not entering nested functions or classes."""
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(
            node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda
        ):
            stack.extend(ast.iter_child_nodes(node))


def _comprehensions_around(
    node: ast.AST, parents: dict[ast.AST, ast.AST]
) -> tuple[ast.AST, ...]:
    around: list[ast.AST] = []
    current = parents.get(node)
    while current is not None and not isinstance(current, ast.stmt):
        if isinstance(current, ast.ListComp | ast.DictComp | ast.GeneratorExp):
            around.append(current)
        current = parents.get(current)
    return tuple(around)


def _describe_split(node: ast.Call, name: str) -> Split:
    shuffle = keyword(node, "shuffle")
    explicit_no_shuffle = isinstance(shuffle, ast.Constant) and shuffle.value is False
    if name == "train_test_split":
        shuffled = not explicit_no_shuffle
    elif name in {"KFold", "StratifiedKFold", "GroupKFold"}:
        shuffled = isinstance(shuffle, ast.Constant) and shuffle.value is True
    else:
        shuffled = name not in {"TimeSeriesSplit", "LeaveOneGroupOut"}
    return Split(
        line=node.lineno,
        node=node,
        kind=name,
        shuffled=shuffled,
        grouped=name in GROUP_SPLITTERS,
        seeded=keyword(node, "random_state") is not None,
        stratified=keyword(node, "stratify") is not None,
    )


def _split_outputs(
    value: ast.expr, targets: list[ast.expr], name: str | None
) -> dict[str, str] | None:
    """Roles of tuple-unpacked ``train_test_split`` outputs, alternating per array."""
    if name != "train_test_split" or len(targets) != 1:
        return None
    target = targets[0]
    if not isinstance(target, ast.Tuple | ast.List):
        return None
    outputs: dict[str, str] = {}
    for index, element in enumerate(target.elts):
        if isinstance(element, ast.Name):
            positional = TRAIN if index % 2 == 0 else TEST
            named = role_from_name(element.id)
            outputs[element.id] = VAL if named == VAL else positional
    return outputs


def _target_column(value: ast.expr) -> str | None:
    if isinstance(value, ast.Subscript):
        key = value.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return key.value
    if isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name):
        if value.attr not in {"values", "index", "columns", "shape", "T"}:
            return value.attr
    if call_name(value) == "pop" and isinstance(value, ast.Call) and value.args:
        first = value.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value
    if isinstance(value, ast.Attribute) and value.attr in {"values", "to_numpy"}:
        return _target_column(value.value)
    if isinstance(value, ast.Call) and call_name(value) in {"to_numpy", "ravel"}:
        func = value.func
        if isinstance(func, ast.Attribute):
            return _target_column(func.value)
    return None


def _looks_like_target(name: str) -> bool:
    return bool(re.fullmatch(r"(y|y_all|target|targets|label|labels|y_full)", name))


def _is_frame_constructor(value: ast.expr) -> bool:
    return call_name(value) in {"DataFrame", "read_sql_query", "make_classification"}


def _writes_model(node: ast.Call) -> bool:
    text = ast.unparse(node)
    return bool(re.search(r"(model|clf|estimator|pipe|\.pkl|\.joblib)", text, re.I))


def resolve_paths(facts: Facts, node: ast.Call) -> list[str]:
    """Candidate file paths for a loader call: literals and string constants."""
    if not node.args:
        return []
    first = node.args[0]
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        return [first.value]
    if isinstance(first, ast.Name):
        return list(facts.strings.get(first.id, []))
    return []


def peek_columns(facts: Facts) -> None:
    """Read the header line of each CSV the script loads, when it can be found.

    Only the first line is read, never the script: the folder of the script and the
    current folder are tried for relative paths.
    """
    base = facts.unit.path.resolve().parent
    for event in facts.of_kind("load"):
        if event.method not in {"read_csv", "read_table"}:
            continue
        candidates = resolve_paths(facts, event.node)
        if event.line in facts.read_paths:
            candidates.insert(0, facts.read_paths[event.line])
        for candidate in candidates:
            path = Path(candidate)
            for tried in (path, base / path) if not path.is_absolute() else (path,):
                if tried.is_file():
                    header = _first_line(tried)
                    if header:
                        facts.columns_in_data[str(event.line)] = header
                        break
            if str(event.line) in facts.columns_in_data:
                break


def _first_line(path: Path) -> list[str]:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            line = handle.readline()
    except OSError:
        return []
    return [column.strip().strip('"') for column in line.rstrip("\n").split(",")]


def analyse(unit: SourceUnit) -> Facts:
    """Walk ``unit`` once and return its ML flow facts."""
    module = summarise_module(unit.tree)
    aliases = {
        local: qualified.rsplit(".", 1)[-1]
        for local, qualified in module.context.imports.items()
        if local != qualified.rsplit(".", 1)[-1]
    }
    walker = _Walker(unit, aliases)
    walker.walk(unit.tree.body)
    for name, function in walker.functions.items():
        if name not in walker.walked:
            walker.walk(function.body)  # never called: its body alone
    facts = walker.facts
    shared = analyse_block(unit.tree.body, module) if unit.tree.body else None
    for access in shared.files if shared else ():
        if access.mode == "read" and access.path and not access.pattern:
            facts.read_paths.setdefault(access.line, access.path)
    facts.splits.sort(key=lambda split: split.line)
    peek_columns(facts)
    log.info(
        "%s: %d events, %d splits, targets %s",
        unit.path,
        len(facts.events),
        len(facts.splits),
        sorted(facts.targets),
    )
    return facts
