"""Plan a migration: the steps of a script, their dependencies and parameters.

The planner turns the shared analysis (:mod:`toolkit.analysis`) into a DAG that can
be trusted to compute what the script computes:

1. **Refuse what no static pass can follow.** ``exec``/``eval``/``compile``,
   ``globals()``/``locals()``/``vars()``, star imports, dynamic imports,
   ``os.chdir`` and ``input()`` are collected from the whole script first; if any is
   found, every offender is reported at once with its line, why it blocks the
   migration, what to change, and a page that explains it (exit 2).
2. **Split** the script into definitions and blocks (:mod:`toolkit.analysis.blocks`).
   Definitions run again in every task; each block becomes one step.
3. **Connect** the steps. For every name a step reads or mutates (``del name``
   reads it), the producer is the last earlier step that assigned, mutated or
   maybe deleted it; the value travels through a file. A step that surely deletes a
   name leaves no producer for it. A step that may or may not rebind or delete a
   name (a loop variable, a branch) also passes the old value on, but only when a
   later step reads it: two loops that share a loop variable stay independent.
   Files and SQLite tables add ordering edges: a reader depends on every earlier
   writer of a matching path or table, and a writer depends on every earlier reader
   and writer of it (so nothing is overwritten before it was read). A path or SQL
   text the analysis cannot resolve matches everything.
4. **Merge** what cannot travel through a file. When a step needs a value that
   cannot be pickled (a database connection, an open file, a lambda, the global
   random generator's state), the steps from its producer to it become one step,
   and the plan is connected again. The DAG gets coarser; it never gets wrong.
5. **Parameters.** argparse options (by default), environment variables read with
   ``os.environ``/``os.getenv``, literal module constants, and clock values
   (``date.today()``) become typed Luigi parameters. A clock value is computed when
   its step runs, never at import, unless the parameter is set.
"""

from __future__ import annotations

import ast
import dataclasses
import fnmatch
import hashlib
import logging
import posixpath
import re
from dataclasses import dataclass, field

from toolkit.analysis.blocks import (
    SEED_CALLS,
    Block,
    ScriptLayout,
    first_line_of,
    split_script,
)
from toolkit.analysis.flow import (
    GLOBAL_RANDOM_STATE,
    READ,
    WRITE,
    BlockFlow,
    Construct,
    FileAccess,
    ModuleSummary,
    TableAccess,
    analyse_block,
    bound_names,
    qualified_name,
    summarise_module,
)
from toolkit.analysis.source import SourceUnit
from toolkit.errors import UserInputError

log = logging.getLogger(__name__)

LIMITATIONS_URL = "docs/limitations/migrate-{slug}.md"

#: Constructs refused, with why they block a migration and what to change.
REFUSALS: dict[str, tuple[str, str, str]] = {
    "exec": (
        "exec() runs code the analysis cannot see",
        "write the code out as ordinary statements",
        "dynamic-code",
    ),
    "eval": (
        "eval() computes values from code the analysis cannot see",
        "replace it with explicit code or ast.literal_eval for literals",
        "dynamic-code",
    ),
    "compile": (
        "compile() builds code the analysis cannot see",
        "write the code out as ordinary statements",
        "dynamic-code",
    ),
    "namespace": (
        "reading or writing the namespace hides which names flow between steps",
        "use a dict you own instead of globals()/locals()/vars()",
        "namespace-tricks",
    ),
    "star-import": (
        "a star import hides which names the script uses",
        "import the names you use explicitly",
        "star-imports",
    ),
    "dynamic-import": (
        "a module chosen at run time may do anything",
        "import the module with a plain import statement",
        "dynamic-code",
    ),
    "chdir": (
        "changing directory moves every relative path of the later steps",
        "build paths from a base folder instead of calling os.chdir",
        "chdir",
    ),
    "script-file": (
        "__file__ would name the generated package, not the script",
        "build paths from the working directory or a command-line option",
        "script-file-paths",
    ),
    "input": (
        "input() waits for a person; a scheduled task cannot answer",
        "read the value from a command-line option or an environment variable",
        "interactive-input",
    ),
}

#: Calls whose result cannot travel between tasks through a pickle.
RESOURCE_CALLS = frozenset(
    {
        "sqlite3.connect",
        "duckdb.connect",
        "open",
        "io.open",
        "csv.reader",
        "csv.writer",
        "csv.DictReader",
        "csv.DictWriter",
        "iter",
        "psycopg.connect",
        "psycopg2.connect",
        "sqlalchemy.create_engine",
        "socket.socket",
        "threading.Thread",
        "threading.Lock",
    }
)
RESOURCE_METHODS = frozenset({"cursor", "connect", "execute", "open"})


class MigrationRefused(UserInputError):
    """The script uses constructs the migrator cannot stand behind."""

    def __init__(self, offenders: list[Offender]) -> None:
        self.offenders = offenders
        first = offenders[0]
        super().__init__(
            f"{len(offenders)} construct(s) block the migration, first "
            f"{first.where}: {first.construct} ({first.why}); expected code a "
            f"static pass can follow; try the change listed for each (see "
            f"{first.doc})"
        )


@dataclass(frozen=True)
class Offender:
    """One construct that blocks a migration."""

    where: str
    construct: str
    why: str
    fix: str
    doc: str

    def to_json(self) -> dict[str, str]:
        """Describe the offender as a JSON object."""
        return {
            "where": self.where,
            "construct": self.construct,
            "why": self.why,
            "fix": self.fix,
            "doc": self.doc,
        }


@dataclass(frozen=True)
class Parameter:
    """A value the pipeline's user can set.

    Attributes:
        name: The Luigi parameter name (snake case).
        type: ``int``, ``float``, ``str``, ``bool``, ``date`` or ``datetime``.
        default: The script's default, or None (computed at run time or unset).
        source: ``argparse``, ``env``, ``constant`` or ``clock``.
        target: The option (``--window``), variable (``SENSOR_UNITS``) or name
            (``RUN_DATE``) it sets in the script.
        line: Where the script defines it.
    """

    name: str
    type: str
    default: object
    source: str
    target: str
    line: int

    def to_json(self) -> dict[str, object]:
        """Describe the parameter as the ``--json`` document does."""
        return {
            "name": self.name,
            "type": self.type,
            "default": self.default,
            "source": self.source,
            "target": self.target,
        }


@dataclass
class Step:
    """One task of the plan.

    Attributes:
        name: The Luigi task class name.
        function: The name of the step's function in the generated steps module.
        title: A human title for the step.
        blocks: The blocks of the script it runs.
        flow: The def-use summary of its statements.
        requires: Names of the steps it depends on.
        inputs: Value name -> producing step name.
        outputs: Names of values later steps need from it.
        output_files: Script files it leaves behind (written last by it,
            unconditionally, at a known path).
        clock_names: Names bound from a clock that a parameter can set.
    """

    name: str
    function: str
    title: str
    blocks: list[Block]
    flow: BlockFlow
    requires: list[str] = field(default_factory=list)
    inputs: dict[str, str] = field(default_factory=dict)
    outputs: list[str] = field(default_factory=list)
    output_files: list[str] = field(default_factory=list)
    clock_names: list[str] = field(default_factory=list)

    @property
    def first_line(self) -> int:
        """The step's first line in the script."""
        return self.blocks[0].first_line

    @property
    def last_line(self) -> int:
        """The step's last line in the script."""
        return self.blocks[-1].last_line

    @property
    def statements(self) -> list[ast.stmt]:
        """Every statement the step runs, in order."""
        return [s for block in self.blocks for s in block.statements]

    def to_json(self) -> dict[str, object]:
        """Describe the step as the ``--json`` document does."""
        return {
            "name": self.name,
            "lines": [self.first_line, self.last_line],
            "requires": list(self.requires),
            "inputs": sorted(self.inputs),
            "outputs": list(self.outputs),
            "files": list(self.output_files),
        }


@dataclass
class MigrationPlan:
    """Everything the generator needs to write the Luigi package.

    Attributes:
        unit: The parsed script.
        script_name: The script's file name.
        slug: A Python identifier made from the script's name.
        sha256: The script file's hash.
        layout: Definitions and blocks of the script.
        module: The module summary from the analysis.
        steps: Steps in script order (a valid topological order).
        parameters: Parameters, in order of appearance.
        warnings: What the user should know about the migration.
    """

    unit: SourceUnit
    script_name: str
    slug: str
    sha256: str
    layout: ScriptLayout
    module: ModuleSummary
    steps: list[Step]
    parameters: list[Parameter]
    warnings: list[str]

    @property
    def root_task(self) -> str:
        """The WrapperTask that requires every step."""
        return _camel(self.slug) + "Pipeline"

    @property
    def sinks(self) -> list[str]:
        """Steps nothing else requires: what the root task requires."""
        required = {name for step in self.steps for name in step.requires}
        return [step.name for step in self.steps if step.name not in required]


def _camel(text: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", text)
    name = "".join(word[:1].upper() + word[1:] for word in words)
    if not name or name[0].isdigit():
        name = "Step" + name
    return name


def _snake(text: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", text)
    name = "_".join(word.lower() for word in words) or "step"
    return name if not name[0].isdigit() else "step_" + name


def slug_for(unit: SourceUnit) -> str:
    """A Python identifier made from the script's file name."""
    return _snake(unit.path.stem)


def _refusals(unit: SourceUnit, module: ModuleSummary) -> list[Offender]:
    found = list(module.constructs)
    top = analyse_block(list(unit.tree.body), module)
    found.extend(top.constructs)
    found.extend(
        Construct("script-file", node.lineno, "__file__")
        for node in ast.walk(unit.tree)
        if isinstance(node, ast.Name) and node.id == "__file__"
    )
    offenders: dict[tuple[int, str], Offender] = {}
    for construct in found:
        why, fix, slug = REFUSALS[construct.kind]
        where = f"{unit.path}:{construct.line}"
        if unit.cells:
            where = f"{unit.path} ({unit.location(construct.line)})"
        offenders[(construct.line, construct.detail)] = Offender(
            where, construct.detail, why, fix, LIMITATIONS_URL.format(slug=slug)
        )
    return [offenders[key] for key in sorted(offenders)]


def plan_migration(unit: SourceUnit) -> MigrationPlan:
    """Plan the migration of ``unit`` (see the module docstring).

    Raises:
        MigrationRefused: when the script uses constructs no static pass can follow.
    """
    module = summarise_module(unit.tree)
    offenders = _refusals(unit, module)
    if offenders:
        raise MigrationRefused(offenders)

    layout = split_script(unit, module)
    warnings = list(layout.notes)
    for statement in layout.definitions:
        if (
            isinstance(statement, ast.Expr)
            and isinstance(statement.value, ast.Call)
            and qualified_name(statement.value.func, module.context.imports)
            in SEED_CALLS
        ):
            warnings.append(
                f"line {statement.lineno} seeds the global random generator; every "
                "task re-seeds it when it starts, so steps that draw from it run as "
                "one task; a library that draws from it unseen gets it freshly seeded, "
                "not as the script's earlier steps left it"
            )
    if not layout.blocks:
        raise UserInputError(
            f"{unit.path}: only definitions, no code that runs; expected a script "
            "that does some work when run; try calling its functions from a "
            "'if __name__ == \"__main__\":' block"
        )

    functions = resource_functions(unit.tree, module)
    groups = [[block] for block in layout.blocks]
    while True:
        steps = [_make_step(group, module) for group in groups]
        _connect(steps)
        merge = _unpicklable_flow(steps, module, functions)
        if merge is None:
            break
        first, last, name = merge
        warnings.append(
            f"lines {steps[first].first_line}-{steps[last].last_line} run as one step: "
            f"{_describe_value(name)} cannot be passed between tasks"
        )
        merged = [block for group in groups[first : last + 1] for block in group]
        groups = [*groups[:first], merged, *groups[last + 1 :]]

    _name_steps(steps)
    for step in steps:
        step.requires = [steps_by_index(steps, name) for name in step.requires]
        step.inputs = {
            name: steps_by_index(steps, producer)
            for name, producer in step.inputs.items()
        }
    for step in steps[:-1]:
        for node in (n for s in step.statements for n in ast.walk(s)):
            exits = isinstance(node, ast.Call) and qualified_name(
                node.func, module.context.imports
            ) in {"sys.exit", "exit", "quit"}
            if exits or (isinstance(node, ast.Raise) and _raises_exit(node)):
                warnings.append(
                    f"line {getattr(node, 'lineno', step.first_line)} may end the "
                    "script early; in the DAG, a "
                    "clean exit ends only its own task and the tasks after it run"
                )

    parameters, parameter_warnings = _parameters(unit, module, layout, steps)
    warnings.extend(parameter_warnings)
    warnings.extend(_file_warnings(unit, steps))

    return MigrationPlan(
        unit=unit,
        script_name=unit.path.name,
        slug=slug_for(unit),
        sha256=hashlib.sha256(unit.path.read_bytes()).hexdigest(),
        layout=layout,
        module=module,
        steps=steps,
        parameters=parameters,
        warnings=warnings,
    )


def _raises_exit(node: ast.Raise) -> bool:
    exception = node.exc
    if isinstance(exception, ast.Call):
        exception = exception.func
    return isinstance(exception, ast.Name) and exception.id == "SystemExit"


def steps_by_index(steps: list[Step], key: str) -> str:
    """Map a provisional step key (its index) to the step's final name."""
    return steps[int(key)].name if key.isdigit() else key


def _describe_value(name: str) -> str:
    if name == GLOBAL_RANDOM_STATE:
        return "the global random generator's state"
    return f"'{name}' (a connection, file, iterator or function)"


def _make_step(blocks: list[Block], module: ModuleSummary) -> Step:
    statements = [s for block in blocks for s in block.statements]
    flow = analyse_block(statements, module, blocks[-1].last_line)
    title = next((block.title for block in blocks if block.title), "")
    return Step(name="", function="", title=title, blocks=blocks, flow=flow)


def _paths_match(left: FileAccess, right: FileAccess) -> bool:
    if left.path is None or right.path is None:
        return True
    a = posixpath.normpath(left.path)
    b = posixpath.normpath(right.path)
    if a == b:
        return True
    if left.pattern and (fnmatch.fnmatch(b, a) or b.startswith(a.rstrip("/") + "/")):
        return True
    if right.pattern and (fnmatch.fnmatch(a, b) or a.startswith(b.rstrip("/") + "/")):
        return True
    # A folder listed or removed covers what is inside it.
    return a.startswith(b + "/") or b.startswith(a + "/")


def _tables_match(left: TableAccess, right: TableAccess) -> bool:
    if left.table is not None and right.table is not None:
        if left.table != right.table:
            return False
    if left.database is not None and right.database is not None:
        return posixpath.normpath(left.database) == posixpath.normpath(right.database)
    return True


def _connect(steps: list[Step]) -> None:
    """Fill ``requires``, ``inputs``, ``outputs`` and ``output_files`` (by index)."""
    live_after = _live_after(steps)
    last_writer: dict[str, int] = {}
    for index, step in enumerate(steps):
        needed: set[int] = set()
        flow = step.flow

        # Values: the last earlier step that assigned or mutated each name. A name
        # the step may or may not rebind or delete (under an if, in a loop, in a
        # helper) is an input too when a later step reads it: left alone, the old
        # value must pass through. A loop variable nothing reads afterwards ties no
        # steps. A name the step surely deletes has no producer after it.
        for name in sorted(flow.reads | (flow.maybe_keeps & live_after[index])):
            producer = last_writer.get(name)
            if producer is None:
                continue
            step.inputs[name] = str(producer)
            if name not in steps[producer].outputs:
                steps[producer].outputs.append(name)
            needed.add(producer)
        for name in flow.writes:
            last_writer[name] = index
        for name in flow.definitely_deletes:
            last_writer.pop(name, None)

        # Files and tables: read-after-write, write-after-read, write-after-write.
        for earlier_index in range(index):
            earlier = steps[earlier_index].flow
            if _conflicts(flow.files, earlier.files, _paths_match) or _conflicts(
                flow.tables, earlier.tables, _tables_match
            ):
                needed.add(earlier_index)
        step.requires = [str(i) for i in sorted(needed)]

    for index, step in enumerate(steps):
        step.outputs.sort()
        written = [
            access
            for access in step.flow.files
            if access.mode == WRITE and access.path is not None
        ]
        files: list[str] = []
        for access in written:
            if (
                access.conditional
                or access.pattern
                or access.call.startswith(
                    ("os.remove", "os.unlink", "shutil.rmtree", ".unlink", "os.re")
                )
            ):
                continue
            path = posixpath.normpath(access.path or "")
            later = [
                other
                for other_step in steps[index + 1 :]
                for other in other_step.flow.files
                if other.mode == WRITE and _paths_match(other, access)
            ]
            removed_here = any(
                other.mode == WRITE
                and other.call.startswith(("os.", "shutil.", ".unlink"))
                and _paths_match(other, access)
                for other in step.flow.files
            )
            if not later and not removed_here and path not in files:
                files.append(path)
        step.output_files = sorted(files)


def _live_after(steps: list[Step]) -> list[frozenset[str]]:
    """For each step, the names a later step may read as that step leaves them.

    Walked backwards: a step makes live what it reads (``del name`` included), and
    what it may leave alone while it is live after it; what it surely binds or
    deletes is dead before it.
    """
    live: frozenset[str] = frozenset()
    result: list[frozenset[str]] = [frozenset()] * len(steps)
    for index in range(len(steps) - 1, -1, -1):
        flow = steps[index].flow
        result[index] = live
        dead = flow.writes | flow.definitely_deletes
        live = (live - dead) | flow.reads | (flow.maybe_keeps & live)
    return result


def _conflicts(mine: tuple, theirs: tuple, match: object) -> bool:
    for access in mine:
        for other in theirs:
            if access.mode == READ and other.mode == READ:
                continue
            if match(access, other):  # type: ignore[operator]
                return True
    return False


def resource_functions(tree: ast.Module, module: ModuleSummary) -> set[str]:
    """Module functions that return a connection, an open file or an iterator."""
    found: set[str] = set()
    for statement in tree.body:
        if not isinstance(statement, ast.FunctionDef):
            continue
        for node in ast.walk(statement):
            if (
                isinstance(node, ast.Return)
                and node.value is not None
                and _is_resource(node.value, module, found)
            ):
                found.add(statement.name)
    return found


def _is_resource(node: ast.expr, module: ModuleSummary, functions: set[str]) -> bool:
    if isinstance(node, ast.Lambda | ast.GeneratorExp):
        return True
    if not isinstance(node, ast.Call):
        return False
    callee = qualified_name(node.func, module.context.imports)
    if callee in RESOURCE_CALLS:
        return True
    if isinstance(node.func, ast.Attribute) and node.func.attr in RESOURCE_METHODS:
        return True
    return isinstance(node.func, ast.Name) and node.func.id in functions


def _resource_names(step: Step, module: ModuleSummary, functions: set[str]) -> set[str]:
    """Names a step binds to values that cannot be pickled."""
    names: set[str] = set()
    top_level = {id(statement) for statement in step.statements}
    for statement in step.statements:
        for node in ast.walk(statement):
            if isinstance(node, ast.Assign) and _is_resource(
                node.value, module, functions
            ):
                for target in node.targets:
                    names |= bound_names(target)
            elif isinstance(node, ast.withitem) and node.optional_vars is not None:
                names |= bound_names(node.optional_vars)
            elif (
                isinstance(node, ast.FunctionDef | ast.ClassDef | ast.Lambda)
                and id(node) in top_level
            ):
                names.add(getattr(node, "name", ""))
    if GLOBAL_RANDOM_STATE in step.flow.writes:
        names.add(GLOBAL_RANDOM_STATE)
    return names


def _unpicklable_flow(
    steps: list[Step], module: ModuleSummary, functions: set[str]
) -> tuple[int, int, str] | None:
    """Return (producer, consumer, name) for the first value that cannot travel."""
    for consumer_index, step in enumerate(steps):
        for name, producer in sorted(step.inputs.items()):
            producer_index = int(producer)
            if name in _resource_names(steps[producer_index], module, functions):
                return producer_index, consumer_index, name
    return None


def _name_steps(steps: list[Step]) -> None:
    used: set[str] = set()
    for number, step in enumerate(steps, start=1):
        words = re.findall(r"[A-Za-z0-9]+", step.title)[:5]
        base = _camel(" ".join(words)) if words else f"Step{number}"
        name = base
        suffix = 2
        while name in used:
            name = f"{base}{suffix}"
            suffix += 1
        used.add(name)
        step.name = name
        step.function = "step_" + _snake(re.sub(r"(?<!^)(?=[A-Z])", "_", name))


def _literal(node: ast.expr | None) -> object:
    if node is None:
        return None
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None


def _parameters(
    unit: SourceUnit, module: ModuleSummary, layout: ScriptLayout, steps: list[Step]
) -> tuple[list[Parameter], list[str]]:
    parameters: list[Parameter] = []
    warnings: list[str] = []
    imports = module.context.imports
    tree = unit.tree

    # argparse options with their defaults.
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "add_argument"
            and node.args
        ):
            continue
        flags = [_literal(a) for a in node.args]
        if not all(isinstance(flag, str) for flag in flags):
            continue
        long_flags = [f for f in flags if isinstance(f, str) and f.startswith("--")]
        keywords = {k.arg: k.value for k in node.keywords if k.arg}
        dest = _literal(keywords.get("dest"))
        if not isinstance(dest, str):
            option = long_flags[0] if long_flags else str(flags[0])
            dest = option.lstrip("-").replace("-", "_")
        action = _literal(keywords.get("action"))
        type_node = keywords.get("type")
        kind = "str"
        default = _literal(keywords.get("default"))
        if action in {"store_true", "store_false"}:
            kind = "bool"
            default = action == "store_false" if default is None else default
        elif isinstance(type_node, ast.Name) and type_node.id in {"int", "float"}:
            kind = type_node.id
        elif action is not None or "nargs" in keywords or not long_flags:
            warnings.append(
                f"option {flags[0]} (line {node.lineno}) is passed as text; check "
                "its value when you set it"
            )
        parameters.append(
            Parameter(
                _snake(dest),
                kind,
                default,
                "argparse",
                long_flags[0] if long_flags else str(flags[0]),
                node.lineno,
            )
        )

    # Environment variables.
    for node in ast.walk(tree):
        if not isinstance(node, ast.expr):
            continue
        variable: object = None
        env_default: object = None
        if isinstance(node, ast.Call) and node.args:
            callee = qualified_name(node.func, imports)
            if callee in {"os.environ.get", "os.getenv"}:
                variable = _literal(node.args[0])
                env_default = _literal(node.args[1]) if len(node.args) > 1 else None
        elif (
            isinstance(node, ast.Subscript)
            and isinstance(node.ctx, ast.Load)
            and qualified_name(node.value, imports) == "os.environ"
        ):
            variable = _literal(node.slice)
        if isinstance(variable, str) and not any(
            p.target == variable for p in parameters
        ):
            parameters.append(
                Parameter(
                    _snake(variable), "str", env_default, "env", variable, node.lineno
                )
            )

    # Literal constants that nothing else was computed from.
    used_elsewhere = _names_used_in_definitions(layout)
    path_constants = _names_used_in_paths(tree)
    for statement in layout.definitions:
        if not (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
        ):
            continue
        name = statement.targets[0].id
        value = statement.value
        if not (isinstance(value, ast.Constant) and name.isupper()):
            continue
        literal = value.value
        kind = {bool: "bool", int: "int", float: "float", str: "str"}.get(
            type(literal), ""
        )
        if not kind:
            continue
        if name in used_elsewhere or (kind == "str" and name in path_constants):
            continue
        parameters.append(
            Parameter(name.lower(), kind, literal, "constant", name, statement.lineno)
        )

    # Clock values: computed when their step runs unless the parameter is set.
    for step in steps:
        for statement in step.statements:
            if not (
                isinstance(statement, ast.Assign)
                and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name)
            ):
                continue
            name = statement.targets[0].id
            if name not in step.flow.now_names:
                continue
            clock_kind = _clock_type(statement.value, imports)
            if clock_kind is None:
                warnings.append(
                    f"{name} (line {statement.lineno}) comes from the clock; it is "
                    "computed when its step runs and cannot be set"
                )
                continue
            step.clock_names.append(name)
            parameters.append(
                Parameter(
                    _snake(name), clock_kind, None, "clock", name, statement.lineno
                )
            )

    seen: set[str] = set()
    unique: list[Parameter] = []
    for parameter in sorted(parameters, key=lambda p: p.line):
        if parameter.name in RESERVED_PARAMETERS:
            suffix = "_option" if parameter.source == "argparse" else "_value"
            parameter = dataclasses.replace(parameter, name=parameter.name + suffix)
        if parameter.name in seen:
            warnings.append(
                f"parameter {parameter.name} (line {parameter.line}) clashes with "
                "another; it is not exposed"
            )
            continue
        seen.add(parameter.name)
        unique.append(parameter)
    return unique, warnings


#: Names a parameter cannot take: Luigi's and the generated tasks' own attributes.
RESERVED_PARAMETERS = frozenset(
    """
    input output requires run complete clone deps task_id task_family param_kwargs
    on_failure on_success process_resources resources priority disabled retry_count
    worker_timeout owner_email batch_id set_status_message set_progress_percentage
    task_namespace accepts_messages to_str_params from_str_params get_params
    get_param_values initialized trigger_event event_handler get_task_family
    get_task_namespace no_unpicklable_properties state_root state_folder step_targets
    script_arguments script_environment apply_parameters script_context run_step
    workers module scheduler_host scheduler_port local_scheduler help
    """.split()
)


def _names_used_in_paths(tree: ast.Module) -> set[str]:
    """Names used to build a value: call arguments, ``+``/``/`` and f-strings.

    A string constant used that way may name a file; the DAG's file edges were
    computed from its value, so it is not offered as a parameter.
    """
    names: set[str] = set()
    for node in ast.walk(tree):
        parts: list[ast.AST] = []
        if isinstance(node, ast.Call):
            parts = [*node.args, *(k.value for k in node.keywords)]
        elif isinstance(node, ast.BinOp | ast.JoinedStr):
            parts = [node]
        for part in parts:
            names |= {n.id for n in ast.walk(part) if isinstance(n, ast.Name)}
    return names


def _names_used_in_definitions(layout: ScriptLayout) -> set[str]:
    """Names another definition computes from, or that a default argument uses."""
    names: set[str] = set()
    for statement in layout.definitions:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
            for default in [*statement.args.defaults, *statement.args.kw_defaults]:
                if default is not None:
                    names |= {
                        n.id for n in ast.walk(default) if isinstance(n, ast.Name)
                    }
            continue
        if isinstance(statement, ast.Assign | ast.AnnAssign):
            value = statement.value
            if value is not None:
                names |= {n.id for n in ast.walk(value) if isinstance(n, ast.Name)}
        elif isinstance(statement, ast.ClassDef):
            for node in statement.body:
                if isinstance(node, ast.Assign):
                    names |= {
                        n.id for n in ast.walk(node.value) if isinstance(n, ast.Name)
                    }
    return names


def _clock_type(value: ast.expr, imports: dict[str, str]) -> str | None:
    if isinstance(value, ast.Call):
        callee = qualified_name(value.func, imports)
        if callee == "datetime.date.today":
            return "date"
        if callee in {"datetime.datetime.now", "datetime.datetime.today"}:
            return "datetime"
        if callee == "time.time":
            return "float"
        if (
            isinstance(value.func, ast.Attribute)
            and value.func.attr in {"isoformat", "strftime"}
            and isinstance(value.func.value, ast.Call)
        ):
            inner = qualified_name(value.func.value.func, imports)
            if inner in {
                "datetime.date.today",
                "datetime.datetime.now",
                "datetime.datetime.today",
            }:
                return "str"
    return None


def _file_warnings(unit: SourceUnit, steps: list[Step]) -> list[str]:
    warnings = []
    for step in steps:
        for access in step.flow.files:
            if access.path is None:
                warnings.append(
                    f"line {access.line}: {access.call} {access.mode}s a path built "
                    "from data; every step that touches files is ordered around it"
                )
    return sorted(set(warnings), key=lambda text: int(text.split(":")[0][5:]))


def step_source_lines(step: Step) -> list[tuple[int, int]]:
    """Line ranges (first, last) of the step's statements, comments included."""
    ranges: list[tuple[int, int]] = []
    for block in step.blocks:
        start = block.first_line
        for statement in block.statements:
            end = statement.end_lineno or statement.lineno
            ranges.append((min(start, first_line_of(statement)), end))
            start = end + 1
    return ranges
