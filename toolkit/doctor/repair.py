"""``toolkit repair``: apply the doctor's safe fixes as format-preserving codemods.

The script is diagnosed, then each codemod below runs in turn over a libcst tree
(comments, blank lines and quoting survive), guided by the lines of the findings it
repairs; after each one the code is re-parsed and re-diagnosed so later codemods see
true line numbers:

1. L01: a transformer fitted on every row and fed to the split moves into a
   ``make_pipeline`` around each model fitted on the training rows (for the whole
   matrix, or a ``ColumnTransformer`` for ``X[cols] = t.fit_transform(X[cols])``).
   Only when the transformer is not used any other way; the same scaling of the rows
   to score is removed, since the pipeline now does it.
2. L02: the literal target is added to ``X = df.drop(columns=[...])`` (or removed
   from ``X = df[[...]]``).
3. P03: ``df.drop_duplicates()`` becomes ``df = df.drop_duplicates()``.
4. P02: ``s == np.nan`` becomes ``s.isna()`` (``!=`` becomes ``.notna()``).
5. P01: ``df["a"][mask] = v`` becomes ``df.loc[mask, "a"] = v``.
6. S01: an encoder refitted on other rows only transforms them; dummies built
   separately are reindexed to the first frame's columns.
7. E01: the reported training score is computed on the matching test names of the
   same split instead.
8. R01: ``random_state=42`` where the splitter, estimator or ``DataFrame.sample``
   accepts it (never on ``KFold`` without ``shuffle=True``, which would raise), and
   ``np.random.default_rng(42)``; draws from the global ``np.random`` stay
   suggestions.
9. R02: the key hyperparameters are written with the library's current defaults.
   Arguments added to a call that already spans lines go one a line, in its layout.

Last, every call a codemod changed is laid out again only if its line no longer
fits in 88 columns: ``train_test_split(X, y, test_size=0.25, random_state=42)`` at
the end of a long assignment becomes one argument a line, indented one level past
the line the call starts on, with a trailing comma and ``)`` on a line of its own.
Lines the codemods did not touch stay byte-identical.

Every other finding becomes a suggestion. Unless told not to, both the original and
the repaired script then run in copies of the work folder (see
:mod:`toolkit.doctor.instrument`), their last metrics are reported side by side, and
the repaired script is diagnosed again to check the repaired rules are gone.
"""

from __future__ import annotations

import ast
import difflib
import importlib
import inspect
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor
from libcst.metadata import MetadataWrapper, PositionProvider

from toolkit.analysis.source import SCRIPT, SourceUnit, load_source
from toolkit.doctor.engine import check_unit
from toolkit.doctor.findings import Finding
from toolkit.doctor.flow import (
    TRAIN,
    Facts,
    Split,
    call_name,
    is_model_class,
)
from toolkit.doctor.instrument import execute
from toolkit.doctor.rules.reproducibility import (
    KEY_HYPERPARAMETERS,
    SEEDABLE,
    SHUFFLE_SEEDABLE,
)
from toolkit.errors import UserInputError, explain
from toolkit.io import atomic_write_text

log = logging.getLogger(__name__)

SEED = 42
LINE_WIDTH = 88
ESTIMATOR_MODULES = (
    "sklearn.ensemble",
    "sklearn.linear_model",
    "sklearn.tree",
    "sklearn.neighbors",
    "sklearn.svm",
)


@dataclass(frozen=True)
class Change:
    """One repair applied to one line of the original script."""

    rule: str
    line: int
    description: str


@dataclass
class RepairResult:
    """What ``toolkit repair`` did and what it measured."""

    source: str
    out: str
    changes: list[Change] = field(default_factory=list)
    suggestions: list[Finding] = field(default_factory=list)
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    still_reported: list[str] = field(default_factory=list)
    verified: bool | None = None
    before_error: str | None = None
    after_error: str | None = None

    def metric_lines(self) -> list[str]:
        """Human lines for the metric before and after, when both runs happened."""
        lines = []
        runs = (
            ("before", self.before, self.before_error),
            ("after", self.after, self.after_error),
        )
        for label, metric, error in runs:
            if error:
                lines.append(f"run {label} repair failed: {error}")
            elif metric:
                lines.append(
                    f"metric {label}: {metric['metric']} {metric['value']:.3f} "
                    f"(line {metric['line']}, {metric.get('side') or 'unknown'} rows)"
                )
        return lines

    def to_json(self) -> dict[str, Any]:
        """The stable JSON document ``toolkit repair --json`` prints."""
        return {
            "source": self.source,
            "out": self.out,
            "changes": [
                {"rule": c.rule, "line": c.line, "description": c.description}
                for c in self.changes
            ],
            "suggestions": [finding.to_json() for finding in self.suggestions],
            "metric_before": self.before,
            "metric_after": self.after,
            "still_reported": self.still_reported,
            "verified": self.verified,
            "error_before": self.before_error,
            "error_after": self.after_error,
        }


Codemod = Callable[[str, Facts, list[Finding]], tuple[str, list[Change]]]


# helpers over libcst


class _LineTransformer(cst.CSTTransformer):
    """A transformer that knows the line each node starts on."""

    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self) -> None:
        super().__init__()
        self.changes: list[Change] = []

    def line_of(self, node: cst.CSTNode) -> int:
        position = self.get_metadata(PositionProvider, node)
        return int(position.start.line)


def _apply(code: str, transformer: _LineTransformer) -> tuple[str, list[Change]]:
    module = MetadataWrapper(cst.parse_module(code))
    changed = module.visit(transformer)
    return changed.code, transformer.changes


def _add_imports(code: str, imports: Sequence[tuple[str, str]]) -> str:
    context = CodemodContext()
    for module, name in imports:
        AddImportsVisitor.add_needed_import(context, module, name)
    return AddImportsVisitor(context).transform_module(cst.parse_module(code)).code


def _name_of_call(node: cst.BaseExpression) -> str | None:
    if not isinstance(node, cst.Call):
        return None
    func = node.func
    if isinstance(func, cst.Name):
        return func.value
    if isinstance(func, cst.Attribute):
        return func.attr.value
    return None


def _lines(findings: list[Finding], rule: str) -> set[int]:
    return {f.line for f in findings if f.rule == rule and f.repairable}


def _keyword(name: str, value: str) -> cst.Arg:
    return cst.Arg(
        value=cst.parse_expression(value),
        keyword=cst.Name(name),
        equal=cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(""),
            whitespace_after=cst.SimpleWhitespace(""),
        ),
    )


def _add_keywords(call: cst.Call, pairs: Sequence[tuple[str, str]]) -> cst.Call:
    """Append ``name=value`` arguments, keeping the call's own layout.

    On one line they follow ``, ``. A call already laid out over several lines
    gets one new argument a line, at the indentation of the argument before, and
    keeps its trailing comma (or lack of one), its comments and its closing line.
    """
    if not pairs:
        return call
    arguments = list(call.args)
    added = [_keyword(name, value) for name, value in pairs]
    separator = (
        arguments[-2].comma.whitespace_after
        if len(arguments) > 1 and isinstance(arguments[-2].comma, cst.Comma)
        else call.whitespace_before_args
    )
    if not arguments or not isinstance(separator, cst.ParenthesizedWhitespace):
        if arguments and arguments[-1].comma is cst.MaybeSentinel.DEFAULT:
            arguments[-1] = arguments[-1].with_changes(
                comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
            )
        for argument in added[:-1]:
            arguments.append(
                argument.with_changes(
                    comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
                )
            )
        return call.with_changes(args=[*arguments, *added[-1:]])

    # several lines: the old closing whitespace moves after the last new argument
    last = arguments[-1]
    trailing = last.comma if isinstance(last.comma, cst.Comma) else None
    closing = trailing.whitespace_after if trailing else last.whitespace_after_arg
    if isinstance(closing, cst.ParenthesizedWhitespace):
        after_last: cst.BaseParenthesizableWhitespace = closing.with_changes(
            indent=separator.indent, last_line=separator.last_line
        )
        end: cst.BaseParenthesizableWhitespace = cst.ParenthesizedWhitespace(
            indent=closing.indent, last_line=closing.last_line
        )
    else:
        after_last, end = separator, closing
    arguments[-1] = last.with_changes(
        comma=cst.Comma(
            whitespace_before=(
                trailing.whitespace_before if trailing else cst.SimpleWhitespace("")
            ),
            whitespace_after=after_last,
        ),
        whitespace_after_arg=(
            last.whitespace_after_arg if trailing else cst.SimpleWhitespace("")
        ),
    )
    for argument in added[:-1]:
        arguments.append(
            argument.with_changes(comma=cst.Comma(whitespace_after=separator))
        )
    if trailing:
        final = added[-1].with_changes(comma=cst.Comma(whitespace_after=end))
    else:
        final = added[-1].with_changes(whitespace_after_arg=end)
    return call.with_changes(args=[*arguments, final])


# 1. L01: preprocessing into a pipeline after the split


@dataclass(frozen=True)
class _PipelinePlan:
    transformer_name: str  # the variable holding the transformer, or "" when inline
    constructor: str  # source of the transformer's construction
    columns: str | None  # source of the column list for a subset fit
    fit_line: int
    delete_lines: frozenset[int]
    model_lines: frozenset[int]
    split_line: int
    replace_in_split: tuple[str, str] | None  # (scaled name, raw name)


def _plan_pipeline(facts: Facts, finding: Finding) -> _PipelinePlan | None:
    """Recognise the canonical shapes of L01 that can move into a pipeline."""
    tree = facts.unit.tree
    fit = next(
        (e for e in facts.of_kind("fit") if e.line == finding.line and e.statement),
        None,
    )
    if fit is None or not isinstance(fit.statement, ast.Assign):
        return None
    statement = fit.statement
    if len(statement.targets) != 1 or statement.value is not fit.node:
        return None
    splits = [s for s in facts.splits if s.line > fit.line and s.node is not None]
    if not splits or splits[0].kind != "train_test_split":
        return None
    split = splits[0]

    # the transformer's construction
    name = fit.receiver or ""
    receiver_node = fit.node.func.value  # type: ignore[attr-defined]
    if isinstance(receiver_node, ast.Call):
        constructor = ast.unparse(receiver_node)
        construct_line = None
    else:
        constructs = [
            e
            for e in facts.of_kind("construct")
            if name in e.assigned and e.line < fit.line
        ]
        if not constructs:
            return None
        constructor = ast.unparse(constructs[-1].node)
        construct_line = constructs[-1].line

    # what is scaled: X = t.fit_transform(X0) or X[cols] = t.fit_transform(X[cols])
    target = statement.targets[0]
    argument = fit.node.args[0] if fit.node.args else None
    columns = None
    replace_in_split = None
    if isinstance(target, ast.Subscript) and isinstance(argument, ast.Subscript):
        if ast.unparse(target) != ast.unparse(argument):
            return None
        columns = ast.unparse(target.slice)
        frame = ast.unparse(target.value)
        if not split.node or ast.unparse(split.node.args[0]) != frame:
            return None
    elif isinstance(target, ast.Name) and argument is not None:
        if not split.node or ast.unparse(split.node.args[0]) != target.id:
            return None
        replace_in_split = (target.id, ast.unparse(argument))
        if _used_elsewhere(tree, target.id, {fit.line, split.line}):
            return None
    else:
        return None

    # every other use of the transformer must be the same scaling of rows to score
    delete = {fit.line}
    if construct_line is not None:
        delete.add(construct_line)
    if name:
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Name) and node.id == name):
                continue
            line = node.lineno
            if line in delete:
                continue
            parent = _statement_at(tree, line)
            if not _is_same_scaling(parent, name, columns):
                return None
            delete.add(line)

    models = _models_fitted_on_train(facts, split)
    if not models:
        return None
    return _PipelinePlan(
        transformer_name=name,
        constructor=constructor,
        columns=columns,
        fit_line=fit.line,
        delete_lines=frozenset(delete),
        model_lines=frozenset(models),
        split_line=split.line,
        replace_in_split=replace_in_split,
    )


def _statement_at(tree: ast.Module, line: int) -> ast.stmt | None:
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt) and not isinstance(
            node, ast.For | ast.If | ast.While | ast.With | ast.Try | ast.FunctionDef
        ):
            if node.lineno <= line <= (node.end_lineno or node.lineno):
                return node
    return None


def _is_same_scaling(
    statement: ast.stmt | None, name: str, columns: str | None
) -> bool:
    """``F[cols] = name.transform(F[cols])`` (or fit_transform) for the same cols."""
    if not isinstance(statement, ast.Assign) or columns is None:
        return False
    target = statement.targets[0]
    value = statement.value
    return (
        isinstance(target, ast.Subscript)
        and ast.unparse(target.slice) == columns
        and isinstance(value, ast.Call)
        and isinstance(value.func, ast.Attribute)
        and ast.unparse(value.func.value) == name
        and value.func.attr in {"transform", "fit_transform"}
        and len(value.args) == 1
        and ast.unparse(value.args[0]) == ast.unparse(target)
    )


def _used_elsewhere(tree: ast.Module, name: str, allowed: set[int]) -> bool:
    return any(
        isinstance(node, ast.Name) and node.id == name and node.lineno not in allowed
        for node in ast.walk(tree)
    )


def _models_fitted_on_train(facts: Facts, split: Split) -> set[int]:
    """Lines of model constructions whose variable is later fitted on train rows."""
    lines: set[int] = set()
    fitted = {
        e.receiver
        for e in facts.of_kind("fit")
        if e.receiver and TRAIN in e.roles and is_model_class(e.estimator or "")
    }
    for event in facts.of_kind("construct"):
        if event.line <= split.line or not is_model_class(event.method):
            continue
        if set(event.assigned) & fitted:
            lines.add(event.line)
    return lines


class _IntoPipeline(_LineTransformer):
    def __init__(self, plan: _PipelinePlan) -> None:
        super().__init__()
        self.plan = plan

    def pipeline(self, model: str) -> str:
        """``make_pipeline(<preprocessing>, <model>)`` laid out one step a line.

        libcst adds the enclosing block's indentation to each continuation line,
        so the layout here is relative to the statement.
        """
        indent = ""
        step = "    "
        if self.plan.columns:
            inner = step + "    "
            preprocess = (
                f"ColumnTransformer(\n"
                f'{inner}[("scale", {self.plan.constructor}, {self.plan.columns})],\n'
                f'{inner}remainder="passthrough",\n'
                f"{inner}verbose_feature_names_out=False,\n"
                f"{step})"
            )
        else:
            preprocess = self.plan.constructor
        return f"make_pipeline(\n{step}{preprocess},\n{step}{model},\n{indent})"

    def leave_SimpleStatementLine(
        self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine | cst.RemovalSentinel:
        line = self.line_of(original)
        if line in self.plan.delete_lines:
            self.changes.append(
                Change("L01", line, "removed: the pipeline now fits this step on train")
            )
            return cst.RemoveFromParent()
        return updated

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        line = self.line_of(original)
        if line in self.plan.model_lines and is_model_class(
            _name_of_call(original) or ""
        ):
            self.changes.append(
                Change("L01", line, "model wrapped in make_pipeline with the scaling")
            )
            model = cst.Module([]).code_for_node(updated)
            return cst.parse_expression(self.pipeline(model))
        if (
            line == self.plan.split_line
            and self.plan.replace_in_split
            and _name_of_call(original) == "train_test_split"
        ):
            scaled, raw = self.plan.replace_in_split
            first = updated.args[0]
            if isinstance(first.value, cst.Name) and first.value.value == scaled:
                arguments = [first.with_changes(value=cst.parse_expression(raw))]
                return updated.with_changes(args=[*arguments, *updated.args[1:]])
        return updated


def into_pipeline(
    code: str, facts: Facts, findings: list[Finding]
) -> tuple[str, list[Change]]:
    """Move preprocessing fitted before the split into a pipeline (L01)."""
    for finding in findings:
        if finding.rule != "L01" or not finding.repairable:
            continue
        plan = _plan_pipeline(facts, finding)
        if plan is None:
            continue
        new_code, changes = _apply(code, _IntoPipeline(plan))
        imports = [("sklearn.pipeline", "make_pipeline")]
        if plan.columns:
            imports.append(("sklearn.compose", "ColumnTransformer"))
        return _add_imports(new_code, imports), changes
    return code, []


# 2. L02: the literal target out of the features


class _DropTarget(_LineTransformer):
    def __init__(self, lines: dict[int, str]) -> None:
        super().__init__()
        self.lines = lines

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        line = self.line_of(original)
        column = self.lines.get(line)
        if column is None or _name_of_call(original) != "drop":
            return updated
        for index, argument in enumerate(updated.args):
            keyword = argument.keyword.value if argument.keyword else None
            if keyword in {"columns", "labels", None} and isinstance(
                argument.value, cst.List
            ):
                elements = list(argument.value.elements)
                if elements and elements[-1].comma is cst.MaybeSentinel.DEFAULT:
                    elements[-1] = elements[-1].with_changes(
                        comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
                    )
                quote = next(
                    (
                        e.value.quote
                        for e in elements
                        if isinstance(e.value, cst.SimpleString)
                    ),
                    '"',
                )
                literal = quote + column.replace(quote, "\\" + quote) + quote
                elements.append(cst.Element(cst.SimpleString(literal)))
                new_list = argument.value.with_changes(elements=elements)
                arguments = list(updated.args)
                arguments[index] = argument.with_changes(value=new_list)
                self.changes.append(
                    Change("L02", line, f"target '{column}' dropped from the features")
                )
                del self.lines[line]
                return updated.with_changes(args=arguments)
        return updated

    def leave_Subscript(
        self, original: cst.Subscript, updated: cst.Subscript
    ) -> cst.BaseExpression:
        line = self.line_of(original)
        column = self.lines.get(line)
        if column is None or len(updated.slice) != 1:
            return updated
        index = updated.slice[0].slice
        if not isinstance(index, cst.Index) or not isinstance(index.value, cst.List):
            return updated
        kept = [
            element
            for element in index.value.elements
            if not (
                isinstance(element.value, cst.SimpleString)
                and element.value.evaluated_value == column
            )
        ]
        if len(kept) == len(index.value.elements):
            return updated
        if kept:
            kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        self.changes.append(
            Change("L02", line, f"target '{column}' removed from the feature list")
        )
        del self.lines[line]
        new_index = index.with_changes(value=index.value.with_changes(elements=kept))
        return updated.with_changes(
            slice=[updated.slice[0].with_changes(slice=new_index)]
        )


def drop_target(
    code: str, facts: Facts, findings: list[Finding]
) -> tuple[str, list[Change]]:
    """Drop the literal target column from the feature matrix (L02)."""
    lines = {
        f.line: f.message.split("'")[1]
        for f in findings
        if f.rule == "L02" and f.repairable
    }
    if not lines:
        return code, []
    return _apply(code, _DropTarget(lines))


# 3. P03: keep the result


class _KeepResult(_LineTransformer):
    def __init__(self, lines: set[int]) -> None:
        super().__init__()
        self.lines = lines

    def leave_SimpleStatementLine(
        self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine:
        line = self.line_of(original)
        if line not in self.lines or len(updated.body) != 1:
            return updated
        statement = updated.body[0]
        if not isinstance(statement, cst.Expr) or not isinstance(
            statement.value, cst.Call
        ):
            return updated
        func = statement.value.func
        if not isinstance(func, cst.Attribute):
            return updated
        receiver = func.value
        if not isinstance(receiver, cst.Name | cst.Subscript):
            return updated
        assignment = cst.Assign(
            targets=[cst.AssignTarget(target=receiver)], value=statement.value
        )
        self.changes.append(Change("P03", line, "result assigned back"))
        return updated.with_changes(body=[assignment])


def keep_result(
    code: str, facts: Facts, findings: list[Finding]
) -> tuple[str, list[Change]]:
    """Assign a discarded pandas result back to its frame (P03)."""
    lines = _lines(findings, "P03")
    return _apply(code, _KeepResult(lines)) if lines else (code, [])


# 4. P02: NaN comparisons


def _is_nan_expression(node: cst.BaseExpression) -> bool:
    code = cst.Module([]).code_for_node(node)
    return code in {"np.nan", "numpy.nan", "math.nan", "pd.NA", "np.NaN"} or code in {
        'float("nan")',
        "float('nan')",
    }


class _NanChecks(_LineTransformer):
    def __init__(self, lines: set[int]) -> None:
        super().__init__()
        self.lines = lines

    def leave_Comparison(
        self, original: cst.Comparison, updated: cst.Comparison
    ) -> cst.BaseExpression:
        line = self.line_of(original)
        if line not in self.lines or len(updated.comparisons) != 1:
            return updated
        target = updated.comparisons[0]
        if not isinstance(target.operator, cst.Equal | cst.NotEqual):
            return updated
        if _is_nan_expression(target.comparator):
            subject = updated.left
        elif _is_nan_expression(updated.left):
            subject = target.comparator
        else:
            return updated
        method = "isna" if isinstance(target.operator, cst.Equal) else "notna"
        self.changes.append(Change("P02", line, f"comparison with NaN -> .{method}()"))
        return cst.Call(func=cst.Attribute(value=subject, attr=cst.Name(method)))


def nan_checks(
    code: str, facts: Facts, findings: list[Finding]
) -> tuple[str, list[Change]]:
    """Replace ``== np.nan`` with ``.isna()`` (P02)."""
    lines = _lines(findings, "P02")
    return _apply(code, _NanChecks(lines)) if lines else (code, [])


# 5. P01: chained assignment


class _LocAssignment(_LineTransformer):
    def __init__(self, lines: set[int]) -> None:
        super().__init__()
        self.lines = lines

    def leave_Assign(self, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
        line = self.line_of(original)
        if line not in self.lines or len(updated.targets) != 1:
            return updated
        outer = updated.targets[0].target
        if not isinstance(outer, cst.Subscript) or not isinstance(
            outer.value, cst.Subscript
        ):
            return updated
        inner = outer.value
        if len(outer.slice) != 1 or len(inner.slice) != 1:
            return updated
        outer_key = outer.slice[0].slice
        inner_key = inner.slice[0].slice
        if not isinstance(outer_key, cst.Index) or not isinstance(inner_key, cst.Index):
            return updated
        if isinstance(inner_key.value, cst.SimpleString):
            column, rows = inner_key.value, outer_key.value
        elif isinstance(outer_key.value, cst.SimpleString):
            column, rows = outer_key.value, inner_key.value
        else:
            return updated
        frame = cst.Module([]).code_for_node(inner.value)
        rows_code = cst.Module([]).code_for_node(rows)
        column_code = cst.Module([]).code_for_node(column)
        target = cst.parse_expression(f"{frame}.loc[{rows_code}, {column_code}]")
        assert isinstance(target, cst.Subscript)
        self.changes.append(Change("P01", line, "chained assignment -> .loc"))
        return updated.with_changes(targets=[cst.AssignTarget(target=target)])


def loc_assignment(
    code: str, facts: Facts, findings: list[Finding]
) -> tuple[str, list[Change]]:
    """Rewrite chained assignment through one ``.loc`` (P01)."""
    lines = _lines(findings, "P01")
    return _apply(code, _LocAssignment(lines)) if lines else (code, [])


# 6. S01: transform only; dummies aligned


class _TransformOnly(_LineTransformer):
    def __init__(self, lines: set[int]) -> None:
        super().__init__()
        self.lines = lines

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        line = self.line_of(original)
        func = updated.func
        if (
            line in self.lines
            and isinstance(func, cst.Attribute)
            and func.attr.value == "fit_transform"
        ):
            self.changes.append(Change("S01", line, "refit -> transform"))
            return updated.with_changes(
                func=func.with_changes(attr=cst.Name("transform"))
            )
        return updated


class _AlignDummies(_LineTransformer):
    def __init__(self, line: int, frame: str, reference: str) -> None:
        super().__init__()
        self.line = line
        self.frame = frame
        self.reference = reference

    def leave_SimpleStatementLine(
        self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine | cst.FlattenSentinel[cst.SimpleStatementLine]:
        if self.line_of(original) != self.line:
            return updated
        aligned = cst.parse_statement(
            f"{self.frame} = {self.frame}.reindex("
            f"columns={self.reference}.columns, fill_value=0)\n"
        )
        assert isinstance(aligned, cst.SimpleStatementLine)
        self.changes.append(
            Change("S01", self.line, f"dummies reindexed to {self.reference}'s columns")
        )
        return cst.FlattenSentinel([updated, aligned])


def serve_alignment(
    code: str, facts: Facts, findings: list[Finding]
) -> tuple[str, list[Change]]:
    """Stop refitting encoders on new rows and align dummies (S01)."""
    changes: list[Change] = []
    refits = {
        f.line
        for f in findings
        if f.rule == "S01" and f.repairable and "fitted" in f.message
    }
    if refits:
        code, made = _apply(code, _TransformOnly(refits))
        changes += made
        facts, findings = check_unit(_reparse(facts.unit, code))

    dummies = [
        f
        for f in findings
        if f.rule == "S01" and f.repairable and "get_dummies" in f.message
    ]
    for finding in dummies:
        statements = [
            node
            for node in facts.unit.tree.body
            if isinstance(node, ast.Assign)
            and any(call_name(inner) == "get_dummies" for inner in ast.walk(node.value))
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
        ]
        first = next((s for s in statements if s.lineno < finding.line), None)
        second = next((s for s in statements if s.lineno == finding.line), None)
        if first is None or second is None:
            continue
        reference = first.targets[0].id  # type: ignore[attr-defined]
        frame = second.targets[0].id  # type: ignore[attr-defined]
        code, made = _apply(code, _AlignDummies(finding.line, frame, reference))
        changes += made
    return code, changes


# 7. E01: score the test rows


class _ScoreTest(_LineTransformer):
    def __init__(self, lines: set[int], renames: dict[str, str]) -> None:
        super().__init__()
        self.lines = lines
        self.renames = renames
        self.current: int | None = None

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        self.current = self.line_of(node)
        return True

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.Name:
        if self.current in self.lines and updated.value in self.renames:
            self.changes.append(
                Change(
                    "E01",
                    self.current,
                    f"{updated.value} -> {self.renames[updated.value]}",
                )
            )
            return updated.with_changes(value=self.renames[updated.value])
        return updated


def score_test_rows(
    code: str, facts: Facts, findings: list[Finding]
) -> tuple[str, list[Change]]:
    """Compute the reported score on the test names of the same split (E01)."""
    lines = {f.line for f in findings if f.rule == "E01"}
    split_events = [e for e in facts.of_kind("split") if e.assigned]
    if not lines or not split_events:
        return code, []
    names = split_events[0].assigned
    renames = {names[i]: names[i + 1] for i in range(0, len(names) - 1, 2)}
    return _apply(code, _ScoreTest(lines, renames))


# 8. R01 and 9. R02: seeds and explicit hyperparameters


def _defaults(estimator: str) -> dict[str, Any]:
    for module_name in ESTIMATOR_MODULES:
        module = importlib.import_module(module_name)
        cls = getattr(module, estimator, None)
        if cls is not None:
            return {
                name: parameter.default
                for name, parameter in inspect.signature(cls).parameters.items()
            }
    return {}


class _Constructors(_LineTransformer):
    def __init__(
        self, seed_lines: set[int], hyper_lines: set[int], aliases: dict[str, str]
    ) -> None:
        super().__init__()
        self.seed_lines = seed_lines
        self.hyper_lines = hyper_lines
        self.aliases = aliases

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        line = self.line_of(original)
        name = _name_of_call(original) or ""
        if isinstance(original.func, cst.Name):
            name = self.aliases.get(name, name)
        given = {a.keyword.value for a in updated.args if a.keyword}
        pairs: list[tuple[str, str]] = []
        if line in self.hyper_lines and name in KEY_HYPERPARAMETERS:
            defaults = _defaults(name)
            for key in KEY_HYPERPARAMETERS[name]:
                if key not in given and key in defaults:
                    pairs.append((key, repr(defaults[key])))
            if pairs:
                self.changes.append(
                    Change("R02", line, "explicit " + ", ".join(k for k, _ in pairs))
                )
        seedable = name == "train_test_split" or name in SEEDABLE
        if name == "sample" and isinstance(original.func, cst.Attribute):
            seedable = True  # DataFrame.sample, reported only on data frames
        if name == "default_rng" and not updated.args and line in self.seed_lines:
            self.changes.append(Change("R01", line, f"default_rng({SEED})"))
            return updated.with_changes(args=[cst.Arg(cst.Integer(str(SEED)))])
        if name in SHUFFLE_SEEDABLE:
            seedable = any(
                a.keyword
                and a.keyword.value == "shuffle"
                and cst.Module([]).code_for_node(a.value) == "True"
                for a in updated.args
            )
        if line in self.seed_lines and seedable and "random_state" not in given:
            pairs.append(("random_state", str(SEED)))
            self.changes.append(Change("R01", line, f"random_state={SEED} on {name}"))
        return _add_keywords(updated, pairs) if pairs else updated


def constructors(
    code: str, facts: Facts, findings: list[Finding]
) -> tuple[str, list[Change]]:
    """Add seeds (R01) and explicit hyperparameters (R02)."""
    seed_lines = _lines(findings, "R01")
    hyper_lines = _lines(findings, "R02")
    if not seed_lines and not hyper_lines:
        return code, []
    return _apply(code, _Constructors(seed_lines, hyper_lines, facts.aliases))


# layout: changed calls that no longer fit on their line


class _CallsToWrap(cst.CSTVisitor):
    """Collect the single-line calls with arguments that could be wrapped."""

    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, unchanged_calls: set[str]) -> None:
        super().__init__()
        self.unchanged_calls = unchanged_calls
        self.calls: dict[int, list[tuple[int, cst.Call]]] = {}
        self.in_fstring = 0

    def visit_FormattedStringExpression(
        self, node: cst.FormattedStringExpression
    ) -> bool:
        self.in_fstring += 1
        return True

    def leave_FormattedStringExpression(
        self, original_node: cst.FormattedStringExpression
    ) -> None:
        self.in_fstring -= 1

    def visit_Call(self, node: cst.Call) -> bool:
        position = self.get_metadata(PositionProvider, node)
        if (
            not self.in_fstring
            and node.args
            and position.start.line == position.end.line
            and not any(_is_bare_generator(argument) for argument in node.args)
            and cst.Module([]).code_for_node(node) not in self.unchanged_calls
        ):
            width = position.end.column - position.start.column
            self.calls.setdefault(position.start.line, []).append((width, node))
        return True


def _is_bare_generator(argument: cst.Arg) -> bool:
    """``f(x for x in y)``: a trailing comma after it would not parse."""
    return isinstance(argument.value, cst.GeneratorExp) and not argument.value.lpar


def _call_texts(code: str) -> set[str]:
    calls: set[str] = set()

    class _Collect(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> bool:
            calls.add(cst.Module([]).code_for_node(node))
            return True

    cst.parse_module(code).visit(_Collect())
    return calls


def _hanging(call: cst.Call, indent: str) -> cst.Call:
    """``call`` with an argument a line, a trailing comma, ``)`` under ``indent``."""

    def newline_then(whitespace: str) -> cst.ParenthesizedWhitespace:
        return cst.ParenthesizedWhitespace(
            first_line=cst.TrailingWhitespace(),
            indent=False,
            last_line=cst.SimpleWhitespace(whitespace),
        )

    inner = indent + "    "
    arguments = [
        argument.with_changes(
            whitespace_after_arg=cst.SimpleWhitespace(""),
            comma=cst.Comma(
                whitespace_after=newline_then(
                    indent if index == len(call.args) - 1 else inner
                )
            ),
        )
        for index, argument in enumerate(call.args)
    ]
    return call.with_changes(whitespace_before_args=newline_then(inner), args=arguments)


class _ReplaceNode(cst.CSTTransformer):
    def __init__(self, target: cst.Call, replacement: cst.Call) -> None:
        super().__init__()
        self.target = target
        self.replacement = replacement

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        return self.replacement if original is self.target else updated


def _wrap_one_call(code: str, untouched: set[str], unchanged_calls: set[str]) -> str:
    """Wrap the widest changed call on the first line over the limit that has one."""
    module = MetadataWrapper(cst.parse_module(code))
    collector = _CallsToWrap(unchanged_calls)
    module.visit(collector)
    expected = ast.dump(ast.parse(code))
    for number, line in enumerate(code.splitlines(), start=1):
        if len(line) <= LINE_WIDTH or line in untouched:
            continue
        indent = line[: len(line) - len(line.lstrip())]
        for _, call in sorted(collector.calls.get(number, []), key=lambda c: -c[0]):
            wrapped = module.visit(_ReplaceNode(call, _hanging(call, indent))).code
            try:
                same = ast.dump(ast.parse(wrapped)) == expected
            except SyntaxError:
                same = False
            if same:
                return wrapped
            log.debug("line %d: wrapping a call would change the code", number)
    return code


def fit_changed_calls(original: str, code: str) -> str:
    """Lay out each call the codemods changed so its line fits in 88 columns.

    A changed call stays on one line when its whole line fits. Otherwise its
    arguments go one a line, indented one level past the line the call starts on,
    with a trailing comma and the closing parenthesis back at that line's
    indentation; the outer call is wrapped first, then any inner changed call whose
    line is still too long. Lines and calls found verbatim in ``original`` are never
    touched, and a layout that would change the parsed code is not applied.
    """
    untouched = set(original.splitlines())
    unchanged_calls = _call_texts(original)
    for _ in range(len(code.splitlines())):
        wrapped = _wrap_one_call(code, untouched, unchanged_calls)
        if wrapped == code:
            break
        code = wrapped
    return code


CODEMODS: tuple[Codemod, ...] = (
    into_pipeline,
    drop_target,
    keep_result,
    nan_checks,
    loc_assignment,
    serve_alignment,
    score_test_rows,
    constructors,
)


def _reparse(unit: SourceUnit, code: str) -> SourceUnit:
    return SourceUnit(unit.path, unit.kind, code, ast.parse(code), unit.cells)


def _follow_lines(before: str, after: str, origin: list[int]) -> list[int]:
    """Map each line of ``after`` to the original line its text came from."""
    old_lines = before.splitlines()
    new_lines = after.splitlines()
    mapped = [0] * len(new_lines)
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for offset, j in enumerate(range(j1, j2)):
            if tag in {"equal", "replace"} and i1 < i2:
                mapped[j] = origin[min(i1 + offset, i2 - 1)]
            else:
                mapped[j] = origin[i1 - 1] if i1 > 0 else 1
    return mapped


def repair_code(unit: SourceUnit) -> tuple[str, list[Change]]:
    """Apply every codemod to ``unit`` in turn; return the new code and the changes.

    Each change names its line in the original script.
    """
    facts, findings = check_unit(unit)
    code = unit.text
    origin = list(range(1, len(code.splitlines()) + 1))
    changes: list[Change] = []
    for codemod in CODEMODS:
        new_code, made = codemod(code, facts, findings)
        if new_code == code:
            continue
        log.info("%s: %d changes", codemod.__name__, len(made))
        changes += [replace(c, line=origin[c.line - 1]) for c in made]
        origin = _follow_lines(code, new_code, origin)
        code = new_code
        facts, findings = check_unit(_reparse(unit, code))
    code = fit_changed_calls(unit.text, code)
    changes.sort(key=lambda change: (change.line, change.rule))
    return code, changes


def repair_script(
    script: str | Path,
    out: str | Path,
    workdir: str | Path | None = None,
    timeout: float = 120.0,
    verify: bool = True,
) -> RepairResult:
    """Repair ``script`` into ``out``; run both and re-diagnose unless told not to.

    Raises:
        UserInputError: for a notebook, for ``out`` equal to the script, or when the
            original script cannot run from ``workdir``.
    """
    unit = load_source(script)
    if unit.kind != SCRIPT:
        raise UserInputError(
            explain(
                f"{script}: is a notebook",
                "a .py script to repair",
                "'jupyter nbconvert --to script' first, then repair the .py",
            )
        )
    out = Path(out)
    if out.resolve() == unit.path.resolve():
        raise UserInputError(
            explain(
                f"--out {out} is the script itself",
                "a new file, so the original stays as it was",
                "--out with another path",
            )
        )

    code, changes = repair_code(unit)
    repaired_unit = _reparse(unit, code)
    _, remaining = check_unit(repaired_unit)
    repaired_rules = {change.rule for change in changes}
    result = RepairResult(
        source=str(script),
        out=str(out),
        changes=changes,
        suggestions=[f for f in remaining if f.rule not in repaired_rules],
        still_reported=sorted({f.rule for f in remaining} & repaired_rules),
    )
    atomic_write_text(out, code)

    if verify:
        folder = Path(workdir) if workdir is not None else unit.path.resolve().parent
        facts, _ = check_unit(unit)
        try:
            result.before = execute(unit, folder, timeout, facts).last_metric()
        except UserInputError as error:
            result.before_error = str(error)
        try:
            after = execute(unit, folder, timeout, facts, script_override=code)
        except UserInputError as error:
            result.after_error = str(error)
            result.verified = False
            return result
        result.after = after.last_metric()
        result.verified = not result.still_reported
    return result
