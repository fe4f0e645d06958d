"""Run workbook notebooks with papermill, never in place.

Steps for a run:

1. Check every ``-p NAME=VALUE`` against the parameters the chosen notebooks declare
   (papermill itself only warns about unknown names) and convert each value to the
   declared type, so ``-p seed=abc`` is refused before anything runs.
2. For each notebook, merge the profile's values and the user's values (the user
   wins), give a ``workdir`` parameter a folder of its own inside the run folder, and
   execute it with papermill into ``runs/<timestamp>/`` with the notebooks folder as
   the working directory, so relative paths behave as in JupyterLab.
3. Record status and seconds per notebook, name the failing cell when one fails, and
   write ``summary.json`` beside the executed notebooks.
"""

from __future__ import annotations

import ast
import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from toolkit.errors import UserInputError, explain
from toolkit.io import atomic_write_json
from toolkit.notebooks.catalog import PROFILES, NotebookInfo
from toolkit.paths import notebooks_dir, runs_dir

log = logging.getLogger(__name__)

KERNEL_NAME = "python3"
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR"]
"""The kernel listens on loopback only; its warning about unencrypted TCP is noise."""


@dataclass
class NotebookOutcome:
    """How one notebook's run ended."""

    notebook: str
    status: str
    seconds: float
    output: str
    parameters: dict[str, Any]
    error: str | None = None


@dataclass
class RunSummary:
    """The outcome of a whole run, as written to ``summary.json``."""

    out: str
    profile: str
    notebooks: list[NotebookOutcome]

    @property
    def failed(self) -> bool:
        """Whether any notebook failed."""
        return any(outcome.status != "ok" for outcome in self.notebooks)

    def to_json(self) -> dict[str, Any]:
        """Return the summary as a JSON-ready document."""
        return {
            "out": self.out,
            "profile": self.profile,
            "failed": self.failed,
            "notebooks": [asdict(outcome) for outcome in self.notebooks],
        }


def parse_assignments(assignments: list[str]) -> dict[str, str]:
    """Split ``NAME=VALUE`` strings; raise a one-line error on anything else."""
    parsed: dict[str, str] = {}
    for assignment in assignments:
        name, separator, value = assignment.partition("=")
        if not separator or not name.isidentifier():
            raise UserInputError(
                explain(
                    f"parameter {assignment!r}",
                    "NAME=VALUE with a Python identifier as NAME",
                    "-p seed=7",
                )
            )
        parsed[name] = value
    return parsed


def convert_value(name: str, raw: str, type_name: str) -> Any:
    """Convert a command-line value to the type a notebook declares for it."""
    converters: dict[str, Callable[[str], Any]] = {
        "int": int,
        "float": float,
        "str": str,
        "bool": _to_bool,
    }
    converter = converters.get(type_name, _literal_or_text)
    try:
        return converter(raw)
    except ValueError as error:
        raise UserInputError(
            explain(
                f"-p {name}={raw!r} is not a valid {type_name}",
                f"a value of type {type_name}",
                "'toolkit notebooks list' to see each parameter's type and default",
            )
        ) from error


def _to_bool(raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in {"true", "1", "yes"}:
        return True
    if lowered in {"false", "0", "no"}:
        return False
    raise ValueError(raw)


def _literal_or_text(raw: str) -> Any:
    try:
        return ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        return raw


def resolve_parameters(
    notebooks: list[NotebookInfo], assignments: dict[str, str]
) -> dict[str, dict[str, Any]]:
    """Return, per notebook name, the user's values converted to its declared types.

    Raises:
        UserInputError: for a name no chosen notebook declares, or a malformed value.
    """
    for name in assignments:
        if not any(notebook.parameter(name) for notebook in notebooks):
            known = sorted({p.name for n in notebooks for p in n.parameters})
            raise UserInputError(
                explain(
                    f"unknown parameter {name!r}",
                    f"one of {', '.join(known) or '(none declared)'}",
                    "'toolkit notebooks list' to see each notebook's parameters",
                )
            )

    per_notebook: dict[str, dict[str, Any]] = {}
    for notebook in notebooks:
        values: dict[str, Any] = {}
        for name, raw in assignments.items():
            declared = notebook.parameter(name)
            if declared:
                values[name] = convert_value(name, raw, declared.type)
        per_notebook[notebook.name] = values
    return per_notebook


def new_run_folder(out: Path | None) -> Path:
    """Create the folder a run writes into; refuse the notebooks folder itself."""
    if out is None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        out = runs_dir() / stamp
        suffix = 1
        while out.exists():
            suffix += 1
            out = runs_dir() / f"{stamp}-{suffix}"

    resolved = out.resolve()
    source = notebooks_dir().resolve()
    if resolved == source or source in resolved.parents:
        raise UserInputError(
            explain(
                f"--out {out} is inside {source}",
                "a folder outside notebooks/ (notebooks are never run in place)",
                "the default, runs/<timestamp>/",
            )
        )
    resolved.mkdir(parents=True, exist_ok=True)
    return resolved


def describe_failure(error: Exception) -> str:
    """Name the failing cell of a papermill execution error in one line."""
    cell_index = getattr(error, "cell_index", None)
    ename = getattr(error, "ename", type(error).__name__)
    evalue = str(getattr(error, "evalue", error)).strip().splitlines()
    source = str(getattr(error, "source", "")).strip().splitlines()
    where = f"cell {cell_index}" if cell_index is not None else "a cell"
    if source:
        where += f" ({source[0][:60]})"
    return f"{where} raised {ename}: {evalue[0] if evalue else ''}".rstrip(": ")


def run_notebooks(
    notebooks: list[NotebookInfo],
    assignments: dict[str, str],
    profile: str = "full",
    out: Path | None = None,
    on_start: Callable[[NotebookInfo], None] | None = None,
    on_done: Callable[[NotebookOutcome], None] | None = None,
    cell_timeout: int = 600,
) -> RunSummary:
    """Execute ``notebooks`` with papermill and return what happened to each.

    Args:
        notebooks: The notebooks to run, in order.
        assignments: ``NAME -> raw value`` from ``-p`` options.
        profile: ``ci`` (small and fast) or ``full`` (the notebook's defaults).
        out: The run folder; default ``runs/<timestamp>/``.
        on_start: Called before each notebook starts (the CLI's progress bar).
        on_done: Called with each notebook's outcome when it ends.
        cell_timeout: Seconds one cell may run before the notebook fails.
    """
    import papermill

    if profile not in PROFILES:
        raise UserInputError(
            explain(
                f"profile {profile!r}", f"one of {', '.join(PROFILES)}", "--profile ci"
            )
        )
    user_values = resolve_parameters(notebooks, assignments)
    folder = new_run_folder(out)
    summary = RunSummary(out=str(folder), profile=profile, notebooks=[])

    for notebook in notebooks:
        if on_start:
            on_start(notebook)
        values = notebook.profile_values(profile) | user_values[notebook.name]
        if (
            notebook.parameter("workdir")
            and "workdir" not in user_values[notebook.name]
        ):
            values["workdir"] = str(folder / f"{notebook.name}_work")
        output = folder / notebook.path.name

        started = time.perf_counter()
        status, error_text = "ok", None
        try:
            papermill.execute_notebook(
                str(notebook.path),
                str(output),
                parameters=values,
                cwd=str(notebook.path.parent),
                kernel_name=KERNEL_NAME,
                progress_bar=False,
                execution_timeout=cell_timeout,
                extra_arguments=KERNEL_ARGUMENTS,
            )
        except Exception as error:  # a failing notebook is a result, not a crash
            status, error_text = "failed", describe_failure(error)
            log.warning("%s failed: %s", notebook.name, error_text)
        seconds = round(time.perf_counter() - started, 2)

        outcome = NotebookOutcome(
            notebook=notebook.name,
            status=status,
            seconds=seconds,
            output=str(output),
            parameters=values,
            error=error_text,
        )
        summary.notebooks.append(outcome)
        atomic_write_json(folder / "summary.json", summary.to_json())
        if on_done:
            on_done(outcome)
    return summary
