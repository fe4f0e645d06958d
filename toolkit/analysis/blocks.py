"""Split a script into its definitions and the blocks of code it runs.

Nothing in the script needs annotating. The splitter works in four passes:

1. **Definitions.** Imports, functions, classes, a module docstring, process
   settings (``pd.set_option``, ``logging.basicConfig``, ``np.random.seed``)
   and constants (a name bound once at module level to a value computed without
   calling anything but constructors such as ``Path`` or ``os.environ.get``; in
   lower case, only an immutable literal) are definitions: they hold no data and
   can run again before every step.
2. **Entry point.** The body of ``if __name__ == "__main__":`` is code. When it only
   calls a module function (``main()``, ``sys.exit(main())``) that takes no
   arguments, that function's body is inlined: its statements become the code.
   Inlining is skipped (the call stays one block) when the function returns early,
   yields, or binds a name that another function reads as a global.
3. **Boundaries.** A block starts at an explicit marker (``# %%`` or a comment
   banner such as ``# ----``) when the script has any; otherwise at a comment line
   directly above a statement, at each statement of an inlined entry point that
   calls a module function, at each Markdown heading of a notebook (at each code
   cell when it has no headings), or,
   for a flat script without comments, after each blank line. A block never cuts
   through a compound statement: a loop, ``with`` or ``try`` is one unit.
4. **Work.** A block that calls nothing (``x = 5``) joins the block after it.

For example, ``load()``, ``clean()`` and ``save()`` called from ``main()`` become
three blocks titled after the functions, whatever comments the script carries.
"""

from __future__ import annotations

import ast
import logging
import re
from dataclasses import dataclass

from toolkit.analysis.flow import ModuleSummary, bound_names, qualified_name
from toolkit.analysis.source import SourceUnit

log = logging.getLogger(__name__)

_MARKER = re.compile(r"^\s*#\s*(%%|[-=#*~]{4,})")
_BANNER_TEXT = re.compile(r"^[\s#%=*~-]+|[\s#%=*~-]+$")

#: Calls that only configure the process; they run before every step.
SETTING_CALLS = frozenset(
    {
        "pandas.set_option",
        "logging.basicConfig",
        "warnings.filterwarnings",
        "warnings.simplefilter",
        "matplotlib.use",
        "numpy.set_printoptions",
        "sklearn.set_config",
        "random.seed",
        "numpy.random.seed",
        "torch.manual_seed",
        "tensorflow.random.set_seed",
    }
)
#: Setting calls that seed a global random generator.
SEED_CALLS = frozenset(
    {
        "random.seed",
        "numpy.random.seed",
        "torch.manual_seed",
        "tensorflow.random.set_seed",
    }
)
#: Calls allowed in a constant's value.
CONSTANT_CALLS = frozenset(
    {
        "pathlib.Path",
        "os.path.join",
        "os.environ.get",
        "os.getenv",
        "dict",
        "list",
        "set",
        "tuple",
        "frozenset",
        "int",
        "float",
        "str",
        "bool",
        "datetime.date",
        "datetime.datetime",
        "datetime.timedelta",
        "re.compile",
    }
)


@dataclass(frozen=True)
class Block:
    """A run of statements executed together.

    Attributes:
        statements: The statements, in source order, all in one scope.
        first_line: First line, including a comment header above it.
        last_line: Last line of its last statement.
        title: A human title: the header comment, notebook heading, or the
            function it calls; empty when none applies.
    """

    statements: tuple[ast.stmt, ...]
    first_line: int
    last_line: int
    title: str = ""


@dataclass(frozen=True)
class ScriptLayout:
    """A script split into definitions and code blocks.

    Attributes:
        definitions: Module-level statements that can run again before any step.
        blocks: The code, in order.
        entry: The entry function whose body was inlined, if any.
        entry_indent: Columns to remove from inlined lines (the body's indent).
        boundary_style: How blocks were found: ``markers``, ``headings``, ``cells``,
            ``entry-calls``, ``comments`` or ``blank-lines``.
        notes: Why a choice was made (e.g. the entry point was not inlined).
    """

    definitions: tuple[ast.stmt, ...]
    blocks: tuple[Block, ...]
    entry: str | None
    entry_indent: int
    boundary_style: str
    notes: tuple[str, ...] = ()


def first_line_of(node: ast.stmt) -> int:
    """Return the first line of ``node``, decorators included."""
    decorators = getattr(node, "decorator_list", [])
    return min([node.lineno, *(d.lineno for d in decorators)])


def _is_main_guard(node: ast.stmt) -> bool:
    if not isinstance(node, ast.If) or node.orelse:
        return False
    test = node.test
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
        and len(test.comparators) == 1
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value == "__main__"
    )


def _calls_in(node: ast.AST) -> list[ast.Call]:
    return [sub for sub in ast.walk(node) if isinstance(sub, ast.Call)]


def is_definition(
    node: ast.stmt, module: ModuleSummary, assigned_once: set[str]
) -> bool:
    """True when ``node`` defines something rather than doing work."""
    if isinstance(
        node,
        ast.Import
        | ast.ImportFrom
        | ast.FunctionDef
        | ast.AsyncFunctionDef
        | ast.ClassDef,
    ):
        return True
    if (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    ):
        return True
    imports = module.context.imports
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        return qualified_name(node.value.func, imports) in SETTING_CALLS
    if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if not all(isinstance(target, ast.Name) for target in targets):
            return False
        names = set().union(*(bound_names(target) for target in targets))
        if not names <= assigned_once:
            return False
        for call in _calls_in(node.value):
            callee = qualified_name(call.func, imports)
            if callee not in CONSTANT_CALLS:
                return False
        return not any(
            isinstance(sub, ast.Lambda | ast.GeneratorExp | ast.NamedExpr)
            for sub in ast.walk(node.value)
        )
    return False


def _assigned_once(tree: ast.Module) -> set[str]:
    counts: dict[str, int] = {}
    for statement in tree.body:
        for node in ast.walk(statement):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                counts[node.id] = counts.get(node.id, 0) + 1
    globals_assigned: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Global):
            globals_assigned |= set(node.names)
    return {name for name, count in counts.items() if count == 1} - globals_assigned


def _entry_function(
    guard: ast.If, tree: ast.Module, module: ModuleSummary
) -> tuple[ast.FunctionDef | None, str]:
    """Return the function to inline for ``guard``'s body, or None and why not."""
    if len(guard.body) != 1:
        return None, ""
    statement = guard.body[0]
    call: ast.expr | None = None
    if isinstance(statement, ast.Expr):
        call = statement.value
    elif isinstance(statement, ast.Raise):
        call = statement.exc
    if isinstance(call, ast.Call) and len(call.args) == 1:
        callee = qualified_name(call.func, module.context.imports)
        if callee in {"sys.exit", "SystemExit"}:
            call = call.args[0]
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)):
        return None, ""
    if call.args or call.keywords:
        return None, f"{call.func.id}() takes arguments, so it stays one step"
    function = next(
        (
            node
            for node in tree.body
            if isinstance(node, ast.FunctionDef) and node.name == call.func.id
        ),
        None,
    )
    if function is None or function.args.args or function.args.vararg:
        return None, ""

    # Early returns, yields or nonlocal names change meaning at module level.
    body = function.body
    for index, node in enumerate(body):
        for sub in ast.walk(node):
            if isinstance(sub, ast.Yield | ast.YieldFrom | ast.Nonlocal):
                return None, f"{function.name}() yields, so it stays one step"
            if isinstance(sub, ast.Return) and not (
                sub is node and index == len(body) - 1
            ):
                return None, (
                    f"{function.name}() returns early (line {sub.lineno}), "
                    "so it stays one step"
                )

    # A local of the entry function must not shadow a global another function reads.
    locals_bound = set()
    for node in body:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                locals_bound.add(sub.id)
    for name, summary in module.context.functions.items():
        if name == function.name:
            continue
        shadowed = locals_bound & summary.global_reads
        if shadowed:
            return None, (
                f"{function.name}() binds {', '.join(sorted(shadowed))}, which "
                f"{name}() reads as a global, so it stays one step"
            )
    return function, ""


def _is_lower_case_assignment(statement: ast.stmt) -> bool:
    """True for ``rows = []``: a lower-case name bound to a mutable is working data."""
    if not isinstance(statement, ast.Assign | ast.AnnAssign):
        return False
    try:
        value = ast.literal_eval(statement.value) if statement.value else None
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        value = []
    if not isinstance(value, list | dict | set):
        return False
    targets = (
        statement.targets if isinstance(statement, ast.Assign) else [statement.target]
    )
    names = set().union(*(bound_names(target) for target in targets))
    return not all(name.isupper() for name in names)


def _comment_lines(lines: list[str], start: int, stop: int) -> list[int]:
    """1-based numbers of comment-only lines in ``start..stop`` (inclusive)."""
    return [
        number
        for number in range(max(start, 1), stop + 1)
        if number <= len(lines) and lines[number - 1].lstrip().startswith("#")
    ]


def _header_title(lines: list[str], numbers: list[int]) -> str:
    for number in numbers:
        text = _BANNER_TEXT.sub("", lines[number - 1]).strip()
        if text:
            return text
    return ""


def split_script(unit: SourceUnit, module: ModuleSummary) -> ScriptLayout:
    """Split ``unit`` into definitions and code blocks (see the module docstring)."""
    tree = unit.tree
    lines = unit.lines
    assigned_once = _assigned_once(tree)
    notes: list[str] = []

    # Pass 1 and 2: definitions, code and the entry point.
    definitions: list[ast.stmt] = []
    code: list[ast.stmt] = []
    entry: str | None = None
    entry_indent = 0
    for statement in tree.body:
        if _is_main_guard(statement):
            assert isinstance(statement, ast.If)
            function, why = _entry_function(statement, tree, module)
            if why:
                notes.append(why)
            if function is not None:
                entry = function.name
                body = list(function.body)
                if body and isinstance(body[-1], ast.Return):
                    body = body[:-1]
                if body and isinstance(body[0], ast.Expr):
                    value = body[0].value
                    if isinstance(value, ast.Constant) and isinstance(value.value, str):
                        body = body[1:]
                entry_indent = body[0].col_offset if body else 0
                code.extend(body)
            else:
                entry_indent = statement.body[0].col_offset
                code.extend(statement.body)
                entry = "__main__"
            continue
        if is_definition(statement, module, assigned_once) and not (
            _is_lower_case_assignment(statement)
        ):
            definitions.append(statement)
        else:
            code.append(statement)
    # Pass 3: boundaries.
    style, starts = _boundaries(unit, module, code, entry)

    # Build blocks from the starts, then pass 4: blocks that call nothing join on.
    raw: list[list[ast.stmt]] = []
    for index, statement in enumerate(code):
        if index == 0 or index in starts:
            raw.append([statement])
        else:
            raw[-1].append(statement)
    merged: list[list[ast.stmt]] = []
    carry: list[ast.stmt] = []
    for group in raw:
        group = carry + group
        if not any(_calls_in(statement) for statement in group):
            carry = group
            continue
        carry = []
        merged.append(group)
    if carry:
        if merged:
            merged[-1].extend(carry)
        else:
            merged.append(carry)

    blocks = [_make_block(group, lines, code, style, unit, module) for group in merged]
    return ScriptLayout(
        definitions=tuple(definitions),
        blocks=tuple(blocks),
        entry=entry,
        entry_indent=entry_indent,
        boundary_style=style,
        notes=tuple(notes),
    )


def _boundaries(
    unit: SourceUnit, module: ModuleSummary, code: list[ast.stmt], entry: str | None
) -> tuple[str, set[int]]:
    """Return the boundary style and the indexes of statements that start a block."""
    lines = unit.lines
    gaps: list[tuple[int, int]] = []  # lines strictly between statements
    previous_end = 0
    definition_lines = _definition_lines(unit.tree, code)
    for statement in code:
        start = first_line_of(statement)
        gap_start = previous_end + 1
        # Skip definitions between two code statements: their lines are not a gap.
        while gap_start in definition_lines and gap_start < start:
            gap_start += 1
        gaps.append((gap_start, start - 1))
        previous_end = statement.end_lineno or start

    def has_marker(gap: tuple[int, int]) -> bool:
        return any(
            _MARKER.match(lines[n - 1])
            for n in range(max(gap[0], 1), gap[1] + 1)
            if n not in definition_lines
        )

    if any(has_marker(gap) for gap in gaps):
        return "markers", {i for i, gap in enumerate(gaps) if has_marker(gap)}

    if unit.cells:
        # Markdown headings mark the steps when the notebook has any; otherwise
        # every code cell is one.
        headed = any(cell.headings for cell in unit.cells)
        starts = set()
        for index, statement in enumerate(code):
            cell = unit.cell_of(statement.lineno)
            previous = unit.cell_of(code[index - 1].lineno) if index else None
            new_cell = cell is not None and (previous is None or cell != previous)
            if new_cell and (not headed or (cell is not None and cell.headings)):
                starts.add(index)
        return "headings" if headed else "cells", starts

    function_names = set(module.context.functions)

    def calls_module_function(statement: ast.stmt) -> bool:
        return any(
            isinstance(call.func, ast.Name) and call.func.id in function_names
            for call in _calls_in(statement)
        )

    if entry not in (None, "__main__"):
        starts = {i for i, s in enumerate(code) if calls_module_function(s)}
        commented = {
            i for i, gap in enumerate(gaps) if _comment_lines(lines, gap[0], gap[1])
        }
        return "entry-calls", starts | commented

    commented = {
        i for i, gap in enumerate(gaps) if _header_comment(lines, gap) is not None
    }
    if commented:
        return "comments", commented
    blank = {
        i
        for i, gap in enumerate(gaps)
        if any(not lines[n - 1].strip() for n in range(max(gap[0], 1), gap[1] + 1))
    }
    return "blank-lines", blank


def _header_comment(lines: list[str], gap: tuple[int, int]) -> int | None:
    """The first line of a comment directly above the statement after ``gap``."""
    number = gap[1]
    first = None
    while number >= gap[0] and lines[number - 1].lstrip().startswith("#"):
        first = number
        number -= 1
    return first


def _definition_lines(tree: ast.Module, code: list[ast.stmt]) -> set[int]:
    code_ids = {id(statement) for statement in code}
    numbers: set[int] = set()
    for statement in tree.body:
        if id(statement) in code_ids or _is_main_guard(statement):
            continue
        numbers |= set(range(first_line_of(statement), (statement.end_lineno or 0) + 1))
    return numbers


def _make_block(
    group: list[ast.stmt],
    lines: list[str],
    code: list[ast.stmt],
    style: str,
    unit: SourceUnit,
    module: ModuleSummary,
) -> Block:
    first_statement = group[0]
    index = code.index(first_statement)
    previous_end = (code[index - 1].end_lineno or 0) if index else 0
    start = first_line_of(first_statement)
    header = _header_comment(lines, (previous_end + 1, start - 1))
    definition_lines = _definition_lines(unit.tree, code)
    if header is not None and any(n in definition_lines for n in range(header, start)):
        header = None
    first_line = header if header is not None else start
    title = ""
    if unit.cells:
        cell = unit.cell_of(first_statement.lineno)
        if cell is not None and cell.headings:
            title = cell.headings[-1]
    if header is not None and not title:
        title = _header_title(lines, list(range(header, start)))
    if not title:
        for statement in group:
            for call in _calls_in(statement):
                if (
                    isinstance(call.func, ast.Name)
                    and call.func.id in module.context.functions
                ):
                    title = call.func.id.replace("_", " ")
                    break
            if title:
                break
    if not title:
        for statement in group:
            names = sorted(
                node.id
                for node in ast.walk(statement)
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
            )
            if isinstance(statement, ast.Assign | ast.AugAssign) and names:
                title = "compute " + names[0].lower().replace("_", " ")
                break
    return Block(
        statements=tuple(group),
        first_line=first_line,
        last_line=group[-1].end_lineno or group[-1].lineno,
        title=title,
    )
