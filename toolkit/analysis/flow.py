"""Def-use flow of a script: which names, files and tables each statement touches.

The migrator and the doctor both ask the same questions of a block of statements:
what does it read, what does it (re)define, what does it change in place, and which
files and SQLite tables does it read or write? This module answers them once.

The pass is static and conservative. Missing a dependency would let an orchestrator
run a step too early, so when in doubt a statement is said to mutate:

1. ``summarise_module`` first summarises every function defined at module level:
   which of its parameters it mutates, which module globals it reads, assigns or
   mutates, and which files and tables it touches (a path that comes from a
   parameter is resolved at each call site). Summaries are iterated to a fixpoint,
   so a helper that mutates through another helper is seen to mutate.
2. ``analyse_block`` walks a list of statements and records, for each name, whether
   it is read, assigned or mutated. A name is *mutated* by an item or attribute store
   (``df["x"] = ...``, ``obj.field = ...``), an augmented assignment, a call with
   ``inplace=True``, a method that is not known to be pure (``rows.append(x)``,
   ``model.fit(X)``), or being passed to a function that mutates that argument.
   A function the analysis cannot see (an import, a builtin outside the pure list)
   may mutate every name passed to it. Changing a loop variable or a plain alias
   (``row = rows[0]``) changes the container it came from.
   ``del name[key]`` and ``del name.attr`` mutate ``name``. ``del name`` reads the
   binding and then removes it: the name is in ``reads`` (unless the block bound it
   first) and in ``deletes``. An unbound name has no value, so no block produces
   it: when ``del`` surely leaves the name unbound at the end of the block (outside
   any branch or loop, not bound again afterwards), the name is in
   ``definitely_deletes`` and in neither ``assigns``, ``mutates`` nor ``writes``,
   and a consumer forgets the name's last producer. A ``del`` that may not run
   (``if stale: del cache``) leaves the name in ``writes`` but not in
   ``definitely_assigns``, like a conditional rebinding: the old value passes
   through the block, which leaves it unbound on the runs where it deletes it. A
   function that deletes a module global it declares ``global`` reads that global
   and may rebind it (``global_assigns``).
3. File paths are resolved from string literals, module constants, f-strings of
   constants, ``os.path.join`` and ``Path / "x"``. A path that cannot be resolved is
   reported as dynamic (``path=None``): a consumer must treat it as "any file".

For example, in::

    orders = pd.read_csv("orders.csv")
    clean(orders)             # def clean(df): df.dropna(inplace=True)
    orders.to_parquet("out.parquet")

the first statement assigns ``orders`` and reads ``orders.csv``; the second reads
and mutates ``orders`` because ``clean`` mutates its first parameter; the third reads
``orders`` and writes ``out.parquet``.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import dataclasses
import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

READ = "read"
WRITE = "write"

#: Methods known not to change the object they are called on.
PURE_METHODS = frozenset(
    """
    abs agg aggregate all any apply applymap argmax argmin astype between bfill
    capitalize casefold clip combine copy corr count cov cummax cummin cumprod cumsum
    describe diff div drop drop_duplicates dropna dt duplicated encode endswith eq
    equals ewm expanding explode ffill fillna filter find first format get
    get_dummies group groupdict groups groupby head idxmax idxmin iloc index info
    isin isna isnull isdigit isalpha isnumeric items iterrows itertuples join keys
    kurt last le lower lstrip lt map mask max mean median melt memory_usage merge min
    mode mul ne nlargest notna notnull nsmallest nunique pct_change pipe pivot
    pivot_table pow prod quantile query rank reindex rename replace resample
    reset_index rolling round rsplit rstrip sample select_dtypes sem set_index shift
    size skew sort_index sort_values split startswith std str strftime strip sub sum
    swapcase tail title to_csv to_dict to_excel to_frame to_json to_list to_numpy
    to_parquet to_pickle to_records to_sql to_string tolist transform transpose
    unique unstack upper value_counts values var where zfill predict predict_proba
    score decision_function transform_one read_text read_bytes exists is_file is_dir
    glob rglob iterdir with_suffix with_name resolve isoformat date time timestamp
    weekday fetchall fetchone fetchmany hexdigest digest span start end fullmatch
    match search findall finditer splitlines partition rpartition ljust rjust center
    nonzero reshape ravel flatten dot squeeze cumsum_ mean_ get_params
    """.split()
)

#: Methods that write to a file or table through the object (paths resolved later).
FILE_WRITE_METHODS = frozenset(
    {"to_csv", "to_parquet", "to_json", "to_excel", "to_pickle", "write_text"}
)
FILE_WRITE_METHODS = FILE_WRITE_METHODS | {"write_bytes", "to_feather", "savefig"}
FILE_READ_METHODS = frozenset(
    {"read_text", "read_bytes", "exists", "is_file", "is_dir", "stat"}
)

#: Functions (qualified by import) that read the file named by their first argument.
FILE_READ_FUNCTIONS = frozenset(
    {
        "pandas.read_csv",
        "pandas.read_parquet",
        "pandas.read_json",
        "pandas.read_excel",
        "pandas.read_pickle",
        "pandas.read_feather",
        "pandas.read_table",
        "numpy.load",
        "numpy.loadtxt",
        "numpy.genfromtxt",
        "json.load",
        "joblib.load",
        "pyarrow.parquet.read_table",
        "os.path.exists",
        "os.path.isfile",
        "os.path.isdir",
        "os.path.getsize",
        "os.path.getmtime",
        "os.stat",
    }
)
FILE_WRITE_FUNCTIONS = frozenset(
    {"numpy.save", "numpy.savetxt", "joblib.dump", "shutil.copy", "shutil.copyfile"}
)
FILE_DELETE_FUNCTIONS = frozenset(
    {"os.remove", "os.unlink", "shutil.rmtree", "os.rmdir", "os.rename", "os.replace"}
)
FILE_PATTERN_FUNCTIONS = frozenset({"glob.glob", "glob.iglob", "os.listdir"})
SQLITE_CONNECT = frozenset({"sqlite3.connect"})

#: Module prefixes whose functions never mutate their arguments ...
PURE_FUNCTION_PREFIXES = (
    "pandas.",
    "numpy.",
    "math.",
    "statistics.",
    "os.path.",
    "re.",
    "json.",
    "datetime.",
    "time.",
    "hashlib.",
    "itertools.",
    "functools.",
    "operator.",
    "string.",
    "textwrap.",
    "decimal.",
    "collections.",
    "pathlib.",
    "glob.",
    "sklearn.metrics.",
    "sklearn.model_selection.train_test_split",
    "sklearn.model_selection.cross_val_score",
    "sqlite3.connect",
    "csv.reader",
    "csv.DictReader",
    "csv.writer",
    "csv.DictWriter",
    "os.environ.get",
    "os.getenv",
    "os.makedirs",
    "os.listdir",
    "argparse.ArgumentParser",
    "logging.getLogger",
)
#: ... except these, which do.
MUTATING_FUNCTIONS = frozenset(
    {
        "random.shuffle",
        "numpy.random.shuffle",
        "json.dump",
        "pickle.dump",
        "joblib.dump",
        "numpy.copyto",
        "numpy.put",
        "numpy.place",
    }
)
PURE_CONSTRUCTORS = frozenset({"ArgumentParser", "Path", "DataFrame", "Series"})
PURE_BUILTINS = frozenset(
    """
    abs all any ascii bin bool bytes callable chr dict dir divmod enumerate filter
    float format frozenset getattr hasattr hash hex id int isinstance issubclass iter
    len list map max min oct ord pow print range repr reversed round set slice sorted
    str sum tuple type zip open
    """.split()
)
#: Calls whose result is "now": parameters that must be computed when a step runs.
NOW_CALLS = frozenset(
    {
        "datetime.date.today",
        "datetime.datetime.now",
        "datetime.datetime.today",
        "datetime.datetime.utcnow",
        "time.time",
        "pandas.Timestamp.now",
        "pandas.Timestamp.today",
    }
)

#: A pseudo-name for the hidden state of ``random`` and ``numpy.random``.
GLOBAL_RANDOM_STATE = "<global random state>"
RANDOM_CONSTRUCTORS = frozenset({"default_rng", "RandomState", "Generator", "Random"})

_SQL_READ = re.compile(r"\b(?:FROM|JOIN)\s+[\"'`\[]?(\w+)", re.IGNORECASE)
_SQL_WRITE = re.compile(
    r"\b(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|CREATE\s+TABLE"
    r"(?:\s+IF\s+NOT\s+EXISTS)?|DROP\s+TABLE(?:\s+IF\s+EXISTS)?|ALTER\s+TABLE|"
    r"REPLACE\s+INTO)\s+[\"'`\[]?(\w+)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FileAccess:
    """A file read or written by a statement.

    Attributes:
        path: The path as written in the script once constants are resolved, or
            None when it is built from data the analysis cannot follow.
        mode: ``"read"`` or ``"write"``.
        line: The line of the call.
        call: What touched the file, e.g. ``pandas.read_csv`` or ``open``.
        pattern: True when ``path`` is a glob pattern or a folder being listed.
        conditional: True when the access sits under an ``if``, a loop or an
            ``except`` handler, so it may not happen on every run.
    """

    path: str | None
    mode: str
    line: int
    call: str
    pattern: bool = False
    conditional: bool = False


@dataclass(frozen=True)
class TableAccess:
    """A SQLite table read or written through a connection.

    Attributes:
        table: The table name (lower case) or None when the SQL is not a literal.
        mode: ``"read"`` or ``"write"``.
        line: The line of the call.
        database: The database file when the connection is traceable, else None.
    """

    table: str | None
    mode: str
    line: int
    database: str | None = None


@dataclass(frozen=True)
class Construct:
    """A construct a static pass cannot see through (``exec``, star import, ...)."""

    kind: str
    line: int
    detail: str


@dataclass(frozen=True)
class BlockFlow:
    """What a block of statements does to names, files and tables.

    Attributes:
        first_line: First line of the block (1-based).
        last_line: Last line of the block, comments inside it included.
        reads: Names whose value the block may use from before it runs.
        assigns: Names the block binds (assignment, import, def, for target...).
        mutates: Names whose object the block may change in place.
        files: Files read and written, in source order.
        tables: SQLite tables read and written, in source order.
        calls: Qualified names of everything the block calls.
        now_names: Names assigned from a clock (``date.today()``, ``time.time()``).
        definitely_assigns: Names the block binds on every run (outside any branch
            or loop); a name in ``assigns`` but not here may keep its old value.
        constructs: Constructs that defeat static analysis.
        deletes: Names a ``del`` in the block may leave unbound when it ends.
        definitely_deletes: Names the block surely leaves unbound: it holds no
            value for them, and an earlier block's value is gone.
    """

    first_line: int
    last_line: int
    reads: frozenset[str]
    assigns: frozenset[str]
    mutates: frozenset[str]
    files: tuple[FileAccess, ...] = ()
    tables: tuple[TableAccess, ...] = ()
    calls: frozenset[str] = frozenset()
    now_names: frozenset[str] = frozenset()
    definitely_assigns: frozenset[str] = frozenset()
    constructs: tuple[Construct, ...] = ()
    deletes: frozenset[str] = frozenset()
    definitely_deletes: frozenset[str] = frozenset()

    @property
    def maybe_keeps(self) -> frozenset[str]:
        """Names the block may rebind or leave alone: their old value may survive."""
        return self.writes - self.definitely_assigns

    @property
    def writes(self) -> frozenset[str]:
        """Names whose value after the block differs and which it may still hold.

        Assigned, mutated, or deleted only on some runs; a name the block surely
        deletes is not here (see ``definitely_deletes``).
        """
        return (self.assigns | self.mutates | self.deletes) - self.definitely_deletes


@dataclass
class FunctionSummary:
    """What calling a module-level function may do.

    Attributes:
        name: The function's name.
        params: Its parameter names in order (positional first).
        mutated_params: Names of parameters it may mutate.
        global_reads: Module names it reads.
        global_assigns: Module names it rebinds (declared ``global``).
        global_mutates: Module names it mutates in place.
        files: Files it touches; a path from a parameter is stored as ``"{param}"``.
        tables: SQLite tables it touches.
        constructs: Constructs that defeat static analysis inside it.
    """

    name: str
    params: list[str]
    mutated_params: set[str] = field(default_factory=set)
    global_reads: set[str] = field(default_factory=set)
    global_assigns: set[str] = field(default_factory=set)
    global_mutates: set[str] = field(default_factory=set)
    files: list[FileAccess] = field(default_factory=list)
    tables: list[TableAccess] = field(default_factory=list)
    calls: set[str] = field(default_factory=set)
    constructs: list[Construct] = field(default_factory=list)


@dataclass
class ModuleContext:
    """Module-wide facts a block's analysis needs.

    Attributes:
        imports: Local name -> qualified name (``pd`` -> ``pandas``).
        constants: Module names bound once to a resolvable string.
        functions: Summaries of module-level functions.
        classes: Names of module-level classes.
        connections: Names bound to ``sqlite3.connect(...)`` -> database path.
    """

    imports: dict[str, str] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    functions: dict[str, FunctionSummary] = field(default_factory=dict)
    classes: set[str] = field(default_factory=set)
    connections: dict[str, str | None] = field(default_factory=dict)


def base_name(node: ast.expr) -> str | None:
    """Return the variable at the root of ``a.b[c].d`` (``a``), or None."""
    while isinstance(node, ast.Attribute | ast.Subscript | ast.Starred):
        node = node.value
    if isinstance(node, ast.Call):
        # df.loc[...] is not a call, but df.assign(...).x is: the root is a temp.
        return None
    return node.id if isinstance(node, ast.Name) else None


def qualified_name(node: ast.expr, imports: dict[str, str]) -> str | None:
    """Return ``pandas.read_csv`` for ``pd.read_csv`` given ``import pandas as pd``."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    root = imports.get(node.id, node.id)
    return ".".join([root, *reversed(parts)])


def bound_names(target: ast.expr) -> set[str]:
    """Names bound by an assignment target (``a, (b, *c) = ...`` -> a, b, c)."""
    if isinstance(target, ast.Name):
        return {target.id}
    if isinstance(target, ast.Tuple | ast.List):
        names: set[str] = set()
        for element in target.elts:
            names |= bound_names(element)
        return names
    if isinstance(target, ast.Starred):
        return bound_names(target.value)
    return set()


class _Walker:
    """Collect reads, binds, mutations, calls, files and tables of statements.

    One walker covers one scope: the module's top level (``local_names`` empty) or a
    function body (its parameters and locals are tracked so summaries can tell a
    parameter from a global).
    """

    def __init__(self, context: ModuleContext, scope_locals: set[str] | None) -> None:
        self.context = context
        self.in_function = scope_locals is not None
        self.locals: set[str] = set(scope_locals or ())
        self.declared_global: set[str] = set()
        self.reads: set[str] = set()
        self.assigns: set[str] = set()
        self.mutates: set[str] = set()
        self.calls: set[str] = set()
        self.files: list[FileAccess] = []
        self.tables: list[TableAccess] = []
        self.now_names: set[str] = set()
        self.constructs: list[Construct] = []
        self.local_connections: dict[str, str | None] = {}
        self.local_constants: dict[str, str] = {}
        self.handles: dict[str, str | None] = {}
        self.param_names: set[str] = set()
        self.depth = 0
        self.branch_depth = 0
        self.aliases: dict[str, set[str]] = {}
        self.surely_bound: set[str] = set()
        self.deletes: set[str] = set()
        self.surely_deleted: set[str] = set()

    # -- statements -----------------------------------------------------------

    def statements(self, body: Iterable[ast.stmt]) -> None:
        for statement in body:
            self.statement(statement)

    def statement(self, node: ast.stmt) -> None:
        compound = isinstance(
            node,
            ast.For
            | ast.AsyncFor
            | ast.While
            | ast.If
            | ast.With
            | ast.AsyncWith
            | ast.Try
            | ast.TryStar
            | ast.Match,
        )
        branching = isinstance(
            node, ast.For | ast.AsyncFor | ast.While | ast.If | ast.Try | ast.Match
        )
        self.depth += compound
        self.branch_depth += branching
        try:
            self._statement(node)
        finally:
            self.depth -= compound
            self.branch_depth -= branching

    def _statement(self, node: ast.stmt) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for default in [*node.args.defaults, *node.args.kw_defaults]:
                if default is not None:
                    self.expression(default)
            for decorator in node.decorator_list:
                self.expression(decorator)
            self.bind({node.name}, node)
            self._nested_reads(node)
        elif isinstance(node, ast.ClassDef):
            for expr in [*node.bases, *node.decorator_list]:
                self.expression(expr)
            self.bind({node.name}, node)
            self._nested_reads(node)
        elif isinstance(node, ast.Assign):
            self.expression(node.value)
            for target in node.targets:
                self.target(target)
            self._track_assignment(node.targets, node.value)
            if _is_reference(node.value):
                for target in node.targets:
                    self.alias(bound_names(target), node.value)
        elif isinstance(node, ast.AnnAssign):
            if node.value is not None:
                self.expression(node.value)
                self.target(node.target)
                self._track_assignment([node.target], node.value)
        elif isinstance(node, ast.AugAssign):
            self.expression(node.value)
            name = base_name(node.target)
            if name is not None:
                self.read(name)
                self.mutate(name)
                if isinstance(node.target, ast.Name):
                    self.bind({name}, node)
            self._subexpressions_of_target(node.target)
        elif isinstance(node, ast.For | ast.AsyncFor):
            self.expression(node.iter)
            self.target(node.target)
            self.alias(bound_names(node.target), node.iter)
            # Inside the body the loop variable is always bound by the loop.
            with self._bound_within(bound_names(node.target)):
                self.statements(node.body)
            self.statements(node.orelse)
        elif isinstance(node, ast.While):
            self.expression(node.test)
            self.statements(node.body)
            self.statements(node.orelse)
        elif isinstance(node, ast.If):
            self.expression(node.test)
            self.statements(node.body)
            self.statements(node.orelse)
        elif isinstance(node, ast.With | ast.AsyncWith):
            for item in node.items:
                self.expression(item.context_expr)
                if item.optional_vars is not None:
                    self.target(item.optional_vars)
                    self._track_with(item)
            self.statements(node.body)
        elif isinstance(node, ast.Try | ast.TryStar):
            self.statements(node.body)
            for handler in node.handlers:
                if handler.type is not None:
                    self.expression(handler.type)
                if handler.name:
                    self.bind({handler.name}, handler)
                with self._bound_within({handler.name} if handler.name else set()):
                    self.statements(handler.body)
            self.statements(node.orelse)
            self.statements(node.finalbody)
        elif isinstance(node, ast.Match):
            self.expression(node.subject)
            for case in node.cases:
                for sub in ast.walk(case.pattern):
                    if isinstance(sub, ast.MatchAs | ast.MatchStar) and sub.name:
                        self.bind({sub.name}, case.pattern)
                if case.guard is not None:
                    self.expression(case.guard)
                self.statements(case.body)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                local = alias.asname or alias.name.split(".")[0]
                self.bind({local}, node)
                if not self.in_function:
                    self.context.imports.setdefault(
                        local, alias.name if alias.asname else local
                    )
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.name == "*":
                    self.constructs.append(
                        Construct("star-import", node.lineno, f"from {node.module} *")
                    )
                    continue
                local = alias.asname or alias.name
                self.bind({local}, node)
                if not self.in_function and node.module:
                    self.context.imports.setdefault(
                        local, f"{node.module}.{alias.name}"
                    )
        elif isinstance(node, ast.Global):
            self.declared_global |= set(node.names)
            self.locals -= set(node.names)
        elif isinstance(node, ast.Nonlocal):
            pass
        elif isinstance(node, ast.Delete):
            for target in node.targets:
                self.delete(target)
        elif isinstance(node, ast.Expr | ast.Return):
            if node.value is not None:
                self.expression(node.value)
        elif isinstance(node, ast.Raise):
            self.expression(node.exc)
            self.expression(node.cause)
        elif isinstance(node, ast.Assert):
            self.expression(node.test)
            if node.msg is not None:
                self.expression(node.msg)
        # pass, break, continue: nothing flows

    def _nested_reads(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
    ) -> None:
        """A nested def or class reads the free names of its body when called."""
        if self.in_function or isinstance(node, ast.ClassDef):
            inner = _Walker(self.context, set())
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                inner.locals |= _parameter_names(node.args)
                inner.locals |= _local_bindings(node.body)
            inner.statements(node.body)
            for name in inner.reads:
                if name not in inner.locals:
                    self.read(name)
            self.calls |= inner.calls

    # -- targets and bindings ---------------------------------------------------

    def target(self, target: ast.expr) -> None:
        if isinstance(target, ast.Name):
            self.bind({target.id}, target)
        elif isinstance(target, ast.Tuple | ast.List):
            for element in target.elts:
                self.target(element)
        elif isinstance(target, ast.Starred):
            self.target(target.value)
        else:
            name = base_name(target)
            if name is not None:
                self.read(name)
                self.mutate(name)
            self._subexpressions_of_target(target)

    def delete(self, target: ast.expr) -> None:
        """``del name`` unbinds; ``del name[key]`` and ``del name.attr`` mutate."""
        if isinstance(target, ast.Name):
            self.unbind(target.id)
        elif isinstance(target, ast.Tuple | ast.List):
            for element in target.elts:
                self.delete(element)
        else:
            name = base_name(target)
            if name is not None:
                self.mutate(name)
            self._subexpressions_of_target(target)

    def unbind(self, name: str) -> None:
        """Record ``del name``: the current binding is read, then removed."""
        self.read(name)
        self.aliases.pop(name, None)
        if self.in_function:
            if name in self.declared_global:
                # On return the global is gone, or (if the del did not run) kept.
                self.assigns.add(name)
            return
        self.deletes.add(name)
        if self.branch_depth == 0:
            self.surely_deleted.add(name)
            self.surely_bound.discard(name)
            self.assigns.discard(name)
            self.mutates.discard(name)

    def _subexpressions_of_target(self, target: ast.expr) -> None:
        node = target
        while isinstance(node, ast.Attribute | ast.Subscript):
            if isinstance(node, ast.Subscript):
                self.expression(node.slice)
            node = node.value
        if not isinstance(node, ast.Name):
            self.expression(node)

    def bind(self, names: set[str], node: ast.AST) -> None:
        if self.in_function:
            for name in names:
                if name in self.declared_global:
                    self.assigns.add(name)
                else:
                    self.locals.add(name)
            return
        self.assigns |= names
        self.surely_deleted -= names
        if self.branch_depth == 0:
            self.surely_bound |= names
            self.deletes -= names

    @contextlib.contextmanager
    def _bound_within(self, names: set[str]) -> Iterator[None]:
        """Treat ``names`` as bound by this block while walking a body."""
        added = names - self.surely_bound
        self.surely_bound |= added
        try:
            yield
        finally:
            self.surely_bound -= added

    def read(self, name: str) -> None:
        if self.in_function and name in self.locals:
            return
        if not self.in_function and name in self.surely_bound:
            # Read after an unconditional bind in the same block: its own value.
            return
        self.reads.add(name)

    def mutate(self, name: str) -> None:
        # Changing an object in place needs the object: a mutation is also a read.
        self.read(name)
        self.mutates.add(name)
        # An alias (a loop variable over a container, ``row = rows[0]``) shares
        # its object with the container: changing one changes the other.
        for owner in sorted(self.aliases.pop(name, set())):
            self.mutate(owner)
            self.aliases.setdefault(name, set()).add(owner)

    def alias(self, names: set[str], value: ast.expr) -> None:
        """Record that ``names`` may refer to objects held by ``value``'s names."""
        owners = {
            node.id
            for node in ast.walk(value)
            if isinstance(node, ast.Name)
            and node.id not in self.context.functions
            and node.id not in self.context.imports
            and node.id not in _BUILTIN_NAMES
        }
        if not owners:
            return
        for name in names:
            self.aliases.setdefault(name, set()).update(owners - {name})

    def _track_assignment(self, targets: list[ast.expr], value: ast.expr) -> None:
        """Remember connections, string constants and clock values."""
        names = set().union(*(bound_names(t) for t in targets))
        if isinstance(value, ast.Call):
            callee = qualified_name(value.func, self.context.imports)
            if callee in SQLITE_CONNECT:
                database = self.resolve_path(value.args[0]) if value.args else None
                for name in names:
                    self.local_connections[name] = database
                    if not self.in_function:
                        self.context.connections[name] = database
            elif isinstance(value.func, ast.Attribute) and value.func.attr == "cursor":
                owner = base_name(value.func.value)
                database = self._connection_database(owner)
                if owner in self.local_connections or owner in self.context.connections:
                    for name in names:
                        self.local_connections[name] = database
                        if not self.in_function:
                            self.context.connections[name] = database
        if any(
            qualified_name(sub.func, self.context.imports) in NOW_CALLS
            for sub in ast.walk(value)
            if isinstance(sub, ast.Call)
        ):
            self.now_names |= names
        resolved = self.resolve_path(value)
        if resolved is not None and len(targets) == 1:
            for name in names:
                self.local_constants[name] = resolved

    def _track_with(self, item: ast.withitem) -> None:
        value = item.context_expr
        if isinstance(value, ast.Call):
            callee = qualified_name(value.func, self.context.imports)
            if callee in SQLITE_CONNECT and item.optional_vars is not None:
                database = self.resolve_path(value.args[0]) if value.args else None
                for name in bound_names(item.optional_vars):
                    self.local_connections[name] = database
            if callee in {"open", "io.open"} and item.optional_vars is not None:
                path = self.resolve_path(value.args[0]) if value.args else None
                for name in bound_names(item.optional_vars):
                    self.handles[name] = path

    def _connection_database(self, name: str | None) -> str | None:
        if name is None:
            return None
        if name in self.local_connections:
            return self.local_connections[name]
        return self.context.connections.get(name)

    def is_connection(self, name: str | None) -> bool:
        return name is not None and (
            name in self.local_connections or name in self.context.connections
        )

    # -- expressions ------------------------------------------------------------

    def expression(
        self, node: ast.expr | None, bound: frozenset[str] = frozenset()
    ) -> None:
        if node is None:
            return
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Load) and node.id not in bound:
                self.read(node.id)
            elif isinstance(node.ctx, ast.Store):
                # walrus target
                self.bind({node.id}, node)
            return
        if isinstance(node, ast.Lambda):
            inner = bound | _parameter_names(node.args)
            self.expression(node.body, frozenset(inner))
            return
        if isinstance(
            node, ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp
        ):
            inner_bound = set(bound)
            for generator in node.generators:
                self.expression(generator.iter, frozenset(inner_bound))
                inner_bound |= bound_names(generator.target)
                for condition in generator.ifs:
                    self.expression(condition, frozenset(inner_bound))
            if isinstance(node, ast.DictComp):
                self.expression(node.key, frozenset(inner_bound))
                self.expression(node.value, frozenset(inner_bound))
            else:
                self.expression(node.elt, frozenset(inner_bound))
            return
        if isinstance(node, ast.NamedExpr):
            self.expression(node.value, bound)
            self.bind({node.target.id}, node)
            return
        if isinstance(node, ast.Call):
            self.call(node, bound)
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                self.expression(child, bound)
            elif isinstance(child, ast.keyword):
                self.expression(child.value, bound)
            elif isinstance(child, ast.comprehension):  # pragma: no cover
                self.expression(child.iter, bound)

    def call(self, node: ast.Call, bound: frozenset[str]) -> None:
        """Record what a call may do to its receiver, its arguments and files."""
        func = node.func
        callee = qualified_name(func, self.context.imports)
        if callee is not None:
            self.calls.add(callee)
        argument_names = [
            base_name(arg) for arg in [*node.args, *(k.value for k in node.keywords)]
        ]

        # Constructs that defeat static analysis.
        if isinstance(func, ast.Name) and func.id in {"exec", "eval", "compile"}:
            self.constructs.append(Construct(func.id, node.lineno, f"{func.id}(...)"))
        if isinstance(func, ast.Name) and func.id in {"globals", "locals", "vars"}:
            if not (func.id == "vars" and node.args):
                self.constructs.append(
                    Construct("namespace", node.lineno, f"{func.id}()")
                )
        if callee in {"__import__", "importlib.import_module"}:
            self.constructs.append(Construct("dynamic-import", node.lineno, callee))
        if callee == "os.chdir":
            self.constructs.append(Construct("chdir", node.lineno, "os.chdir(...)"))
        if isinstance(func, ast.Name) and func.id == "input":
            self.constructs.append(Construct("input", node.lineno, "input()"))

        # The global random generators are hidden state shared by every call.
        if callee is not None and callee.startswith(("random.", "numpy.random.")):
            if callee.rsplit(".", 1)[-1] not in RANDOM_CONSTRUCTORS:
                self.read(GLOBAL_RANDOM_STATE)
                self.mutate(GLOBAL_RANDOM_STATE)

        # In-place keyword on any call mutates the receiver.
        receiver = base_name(func.value) if isinstance(func, ast.Attribute) else None
        if receiver is not None and any(
            k.arg == "inplace"
            and not (isinstance(k.value, ast.Constant) and k.value.value is False)
            for k in node.keywords
        ):
            self.mutate(receiver)

        self._file_accesses(node, callee, receiver)

        if isinstance(func, ast.Attribute):
            if self._is_module_reference(receiver):
                self._library_call(callee or func.attr, argument_names, bound)
            elif (
                receiver is not None
                and receiver not in bound
                and func.attr not in PURE_METHODS
            ):
                self.mutate(receiver)
            return
        if not isinstance(func, ast.Name):
            return

        summary = self.context.functions.get(func.id)
        if summary is not None and func.id not in self.locals:
            self._apply_summary(summary, node, bound)
        elif func.id not in self.context.classes:
            self._library_call(callee or func.id, argument_names, bound)

    def _is_module_reference(self, name: str | None) -> bool:
        """True when ``name`` is an imported module rather than a variable."""
        if name is None or name not in self.context.imports:
            return False
        return not (self.in_function and name in self.locals)

    def _library_call(
        self, callee: str, argument_names: list[str | None], bound: frozenset[str]
    ) -> None:
        """Apply the "unknown callee may mutate" rule to a library or builtin call."""
        pure = (
            callee in PURE_BUILTINS
            or callee in self.context.classes
            or callee.split(".")[-1] in PURE_CONSTRUCTORS
            or (
                callee.startswith(PURE_FUNCTION_PREFIXES)
                and callee not in MUTATING_FUNCTIONS
            )
        )
        if pure:
            return
        for name in argument_names:
            if name is not None and name not in bound:
                self.mutate(name)

    def _apply_summary(
        self, summary: FunctionSummary, node: ast.Call, bound: frozenset[str]
    ) -> None:
        """Apply what a module function does, mapping parameters to arguments."""
        mapping: dict[str, ast.expr] = {}
        for param, arg in zip(summary.params, node.args, strict=False):
            mapping[param] = arg
        for keyword in node.keywords:
            if keyword.arg is not None:
                mapping[keyword.arg] = keyword.value
        starred = any(isinstance(arg, ast.Starred) for arg in node.args) or any(
            k.arg is None for k in node.keywords
        )

        for param in summary.mutated_params:
            argument = mapping.get(param)
            name = base_name(argument) if argument is not None else None
            if name is not None and name not in bound:
                self.mutate(name)
        if starred:
            for arg in node.args:
                name = base_name(arg)
                if name is not None:
                    self.mutate(name)
        for name in summary.global_reads:
            self.read(name)
        for name in summary.global_mutates:
            self.read(name)
            self.mutate(name)
        # A global the helper rebinds (or deletes) may hold a value after the call.
        self.assigns |= summary.global_assigns
        self.surely_deleted -= summary.global_assigns
        self.calls |= summary.calls

        for access in summary.files:
            path = access.path
            if path is not None and path.startswith("{") and path.endswith("}"):
                path = self.resolve_path(mapping.get(path[1:-1]))
            self._record_file(
                FileAccess(
                    path,
                    access.mode,
                    node.lineno,
                    access.call,
                    access.pattern,
                    access.conditional,
                )
            )
        for table in summary.tables:
            self.tables.append(
                TableAccess(table.table, table.mode, node.lineno, table.database)
            )

    # -- files and tables -------------------------------------------------------

    def resolve_path(self, node: ast.expr | None) -> str | None:
        """Resolve a path expression to text, or None when it depends on data."""
        if node is None:
            return None
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.Name):
            if node.id in self.handles:
                return self.handles[node.id]
            if self.in_function and node.id in self.locals:
                if node.id in self.local_constants:
                    return self.local_constants[node.id]
                return "{" + node.id + "}" if node.id in self.param_names else None
            if node.id in self.local_constants:
                return self.local_constants[node.id]
            return self.context.constants.get(node.id)
        if isinstance(node, ast.JoinedStr):
            pieces: list[str] = []
            for value in node.values:
                if isinstance(value, ast.Constant):
                    pieces.append(str(value.value))
                elif isinstance(value, ast.FormattedValue):
                    inner = self.resolve_path(value.value)
                    if inner is None or inner.startswith("{"):
                        return None
                    pieces.append(inner)
            return "".join(pieces)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Div):
            left = self.resolve_path(node.left)
            right = self.resolve_path(node.right)
            if left is None or right is None or "{" in left + right:
                return None
            joiner = "/" if isinstance(node.op, ast.Div) else ""
            return f"{left}{joiner}{right}"
        if isinstance(node, ast.Call):
            callee = qualified_name(node.func, self.context.imports)
            if callee in {"os.path.join", "posixpath.join"}:
                parts = [self.resolve_path(arg) for arg in node.args]
                if any(part is None or "{" in part for part in parts):
                    return None
                return "/".join(part for part in parts if part)
            if callee in {"pathlib.Path", "Path"} and len(node.args) == 1:
                return self.resolve_path(node.args[0])
            if callee in {"str", "os.fspath"} and len(node.args) == 1:
                return self.resolve_path(node.args[0])
        return None

    def _record_file(self, access: FileAccess) -> None:
        if self.branch_depth and not access.conditional:
            access = dataclasses.replace(access, conditional=True)
        self.files.append(access)

    def _file_accesses(
        self, node: ast.Call, callee: str | None, receiver: str | None
    ) -> None:
        func = node.func
        first = node.args[0] if node.args else None
        line = node.lineno
        if callee == "open" or callee == "io.open":
            mode = _open_mode(node)
            path = self.resolve_path(first)
            kind = READ if mode.startswith("r") and "+" not in mode else WRITE
            self._record_file(FileAccess(path, kind, line, "open"))
            if "+" in mode or mode.startswith("a"):
                self._record_file(FileAccess(path, READ, line, "open"))
            return
        if callee in FILE_READ_FUNCTIONS:
            self._record_file(FileAccess(self.resolve_path(first), READ, line, callee))
            return
        if callee in FILE_WRITE_FUNCTIONS:
            target = (
                node.args[1]
                if callee.startswith("shutil") and len(node.args) > 1
                else first
            )
            if callee == "joblib.dump" and len(node.args) > 1:
                target = node.args[1]
            self._record_file(
                FileAccess(self.resolve_path(target), WRITE, line, callee)
            )
            if callee.startswith("shutil"):
                self._record_file(
                    FileAccess(self.resolve_path(first), READ, line, callee)
                )
            return
        if callee is not None and callee in FILE_DELETE_FUNCTIONS:
            for argument in node.args[:2]:
                path = self.resolve_path(argument)
                self._record_file(FileAccess(path, WRITE, line, callee))
            return
        if callee in FILE_PATTERN_FUNCTIONS:
            pattern = self.resolve_path(first) if first is not None else "."
            self._record_file(FileAccess(pattern, READ, line, callee, pattern=True))
            return
        if isinstance(func, ast.Attribute):
            if func.attr in {"to_sql"} and len(node.args) >= 1:
                table = node.args[0]
                connection = (
                    node.args[1] if len(node.args) > 1 else _keyword(node, "con")
                )
                name = (
                    table.value.lower()
                    if isinstance(table, ast.Constant) and isinstance(table.value, str)
                    else None
                )
                database = self._connection_database(
                    base_name(connection) if connection is not None else None
                )
                self.tables.append(TableAccess(name, WRITE, line, database))
                return
            if func.attr in FILE_WRITE_METHODS:
                path_node = (
                    first
                    if func.attr not in {"write_text", "write_bytes"}
                    else func.value
                )
                if path_node is None:
                    path_node = _keyword(node, "path_or_buf") or _keyword(node, "path")
                if path_node is None:
                    return  # to_csv() with no path returns text
                self._record_file(
                    FileAccess(
                        self.resolve_path(path_node), WRITE, line, f".{func.attr}"
                    )
                )
                return
            if func.attr in {"unlink", "rmdir", "rename", "replace", "touch", "mkdir"}:
                if callee is None or not self._is_module_reference(receiver):
                    path = self.resolve_path(func.value)
                    if func.attr != "mkdir":
                        self._record_file(
                            FileAccess(path, WRITE, line, f".{func.attr}")
                        )
                    return
            if func.attr in FILE_READ_METHODS:
                self._record_file(
                    FileAccess(
                        self.resolve_path(func.value), READ, line, f".{func.attr}"
                    )
                )
                return
            if func.attr in {"glob", "rglob", "iterdir"}:
                folder = self.resolve_path(func.value)
                pattern = self.resolve_path(first) if first is not None else "*"
                path = (
                    None if folder is None or pattern is None else f"{folder}/{pattern}"
                )
                self._record_file(
                    FileAccess(path, READ, line, f".{func.attr}", pattern=True)
                )
                return
            if func.attr in {"execute", "executemany", "executescript"}:
                if self.is_connection(receiver) or _literal_text(first, self):
                    self._sql(first, line, self._connection_database(receiver))
                return
            if callee in {
                "pandas.read_sql",
                "pandas.read_sql_query",
                "pandas.read_sql_table",
            }:
                self._sql(first, line, None)
                return
        if callee in {
            "pandas.read_sql",
            "pandas.read_sql_query",
            "pandas.read_sql_table",
        }:
            connection = node.args[1] if len(node.args) > 1 else _keyword(node, "con")
            database = self._connection_database(
                base_name(connection) if connection is not None else None
            )
            self._sql(first, line, database, read_only=True)

    def _sql(
        self,
        sql: ast.expr | None,
        line: int,
        database: str | None,
        read_only: bool = False,
    ) -> None:
        text = _literal_text(sql, self)
        if text is None:
            self.tables.append(TableAccess(None, READ, line, database))
            if not read_only:
                self.tables.append(TableAccess(None, WRITE, line, database))
            return
        writes = {match.lower() for match in _SQL_WRITE.findall(text)}
        reads = {match.lower() for match in _SQL_READ.findall(text)} - {"select"}
        for table in sorted(reads):
            self.tables.append(TableAccess(table, READ, line, database))
        for table in sorted(writes):
            self.tables.append(TableAccess(table, WRITE, line, database))


_BUILTIN_NAMES = frozenset(dir(builtins))


def _is_reference(value: ast.expr) -> bool:
    """True for ``x``, ``x.a``, ``x[0]``: a value that shares an existing object."""
    while isinstance(value, ast.Attribute | ast.Subscript):
        value = value.value
    return isinstance(value, ast.Name)


def _keyword(node: ast.Call, name: str) -> ast.expr | None:
    for keyword in node.keywords:
        if keyword.arg == name:
            return keyword.value
    return None


def _literal_text(node: ast.expr | None, walker: _Walker) -> str | None:
    if node is None:
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        return walker.local_constants.get(node.id) or walker.context.constants.get(
            node.id
        )
    if isinstance(node, ast.JoinedStr):
        return "".join(
            str(v.value) if isinstance(v, ast.Constant) else "?" for v in node.values
        )
    return None


def _open_mode(node: ast.Call) -> str:
    mode_node = node.args[1] if len(node.args) > 1 else _keyword(node, "mode")
    if isinstance(mode_node, ast.Constant) and isinstance(mode_node.value, str):
        return mode_node.value
    return "r" if mode_node is None else "w+"


def _parameter_names(arguments: ast.arguments) -> set[str]:
    names = {
        a.arg for a in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    }
    if arguments.vararg:
        names.add(arguments.vararg.arg)
    if arguments.kwarg:
        names.add(arguments.kwarg.arg)
    return names


def _local_bindings(body: Sequence[ast.stmt]) -> set[str]:
    """Names a function body binds locally (any binding makes a name local)."""
    declared: set[str] = set()
    names: set[str] = set()
    for statement in body:
        for node in _walk_scope(statement):
            if isinstance(node, ast.Global | ast.Nonlocal):
                declared |= set(node.names)
            elif isinstance(node, ast.Name) and isinstance(
                node.ctx, ast.Store | ast.Del
            ):
                names.add(node.id)
            elif isinstance(
                node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
            ):
                names.add(node.name)
            elif isinstance(node, ast.alias):
                names.add((node.asname or node.name).split(".")[0])
            elif isinstance(node, ast.ExceptHandler) and node.name:
                names.add(node.name)
    return names - declared


def _walk_scope(node: ast.AST) -> Iterable[ast.AST]:
    """Walk ``node`` without entering nested functions, classes or comprehensions."""
    yield node
    if isinstance(
        node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda
    ):
        return
    for child in ast.iter_child_nodes(node):
        if isinstance(
            child, ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp
        ):
            for generator in child.generators[:1]:
                yield from _walk_scope(generator.iter)
            continue
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            yield child
            continue
        yield from _walk_scope(child)


def _summarise_function(
    node: ast.FunctionDef | ast.AsyncFunctionDef, context: ModuleContext
) -> FunctionSummary:
    params = [
        a.arg for a in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
    ]
    walker = _Walker(context, set())
    walker.param_names = set(params)
    walker.locals = _parameter_names(node.args) | _local_bindings(node.body)
    walker.statements(node.body)

    summary = FunctionSummary(node.name, params)
    summary.mutated_params = {name for name in walker.mutates if name in set(params)}
    summary.global_reads = {name for name in walker.reads if name not in walker.locals}
    summary.global_assigns = set(walker.assigns)
    summary.global_mutates = {
        name
        for name in walker.mutates
        if name not in walker.locals or name in walker.declared_global
    }
    summary.files = walker.files
    summary.tables = walker.tables
    summary.calls = walker.calls
    summary.constructs = walker.constructs
    return summary


@dataclass(frozen=True)
class ModuleSummary:
    """Module-wide facts: imports, constants, function summaries.

    Attributes:
        context: What ``analyse_block`` needs to resolve names and calls.
        constructs: Constructs that defeat static analysis, anywhere in the module.
    """

    context: ModuleContext
    constructs: tuple[Construct, ...]


def summarise_module(tree: ast.Module) -> ModuleSummary:
    """Summarise a module's imports, string constants and functions.

    Function summaries are recomputed until nothing changes, so mutation and file
    access propagate through helpers calling helpers.
    """
    context = ModuleContext()

    # Imports and classes anywhere at module level (including under if/try).
    top_walker = _Walker(context, None)
    for statement in tree.body:
        if isinstance(statement, ast.Import | ast.ImportFrom):
            top_walker.statement(statement)
        elif isinstance(statement, ast.ClassDef):
            context.classes.add(statement.name)

    # String constants bound exactly once at module level.
    assignments: dict[str, int] = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign):
            for target in statement.targets:
                for name in bound_names(target):
                    assignments[name] = assignments.get(name, 0) + 1
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
            if isinstance(target, ast.Name) and assignments.get(target.id) == 1:
                resolved = top_walker.resolve_path(statement.value)
                if resolved is not None:
                    context.constants[target.id] = resolved

    # Connections opened at module level, wherever the script opens them.
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call):
            top_walker._track_assignment(statement.targets, statement.value)

    functions = [
        statement
        for statement in tree.body
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef)
    ]
    for function in functions:
        context.functions[function.name] = FunctionSummary(
            function.name,
            [a.arg for a in [*function.args.posonlyargs, *function.args.args]],
        )
    for _ in range(len(functions) + 1):
        changed = False
        for function in functions:
            summary = _summarise_function(function, context)
            if _signature(summary) != _signature(context.functions[function.name]):
                changed = True
            context.functions[function.name] = summary
        if not changed:
            break

    constructs = list(top_walker.constructs)
    for function in functions:
        constructs.extend(context.functions[function.name].constructs)
    return ModuleSummary(context, tuple(constructs))


def _signature(summary: FunctionSummary) -> tuple[object, ...]:
    return (
        sorted(summary.mutated_params),
        sorted(summary.global_reads),
        sorted(summary.global_assigns),
        sorted(summary.global_mutates),
        [(f.path, f.mode, f.call) for f in summary.files],
        [(t.table, t.mode) for t in summary.tables],
    )


def analyse_block(
    statements: Sequence[ast.stmt],
    module: ModuleSummary,
    last_line: int | None = None,
) -> BlockFlow:
    """Analyse top-level statements (or an inlined entry-point body) as one block.

    Args:
        statements: The statements, in order, all in one scope.
        module: The module summary from :func:`summarise_module`.
        last_line: The block's last line when it extends past its last statement
            (trailing comments); defaults to the last statement's end.

    Returns:
        The block's reads, binds, mutations, files and tables.
    """
    walker = _Walker(module.context, None)
    walker.statements(statements)
    first = statements[0].lineno if statements else 0
    end = last_line or (statements[-1].end_lineno or first if statements else 0)
    for statement in statements:
        for decorator in getattr(statement, "decorator_list", []):
            first = min(first, decorator.lineno)
    constructs = list(walker.constructs)
    return BlockFlow(
        first_line=first,
        last_line=end,
        reads=frozenset(walker.reads),
        assigns=frozenset(walker.assigns),
        mutates=frozenset(walker.mutates),
        files=tuple(walker.files),
        tables=tuple(walker.tables),
        calls=frozenset(walker.calls),
        now_names=frozenset(walker.now_names),
        definitely_assigns=frozenset(walker.surely_bound & walker.assigns),
        constructs=tuple(constructs),
        deletes=frozenset(walker.deletes),
        definitely_deletes=frozenset(walker.surely_deleted),
    )
