"""Run a training script under light instrumentation and write what it did as JSON.

Usage (in a throwaway copy of the working folder)::

    python shim.py SCRIPT EVIDENCE_JSON

This file imports nothing from ``toolkit``: it runs in the analysed script's own
interpreter. Before the script starts it patches

* ``sklearn.model_selection.train_test_split``: sizes, class shares, row hashes of
  the first array's train and test parts, index labels when it is a DataFrame;
* every scikit-learn estimator's ``fit`` / ``fit_transform`` / ``predict`` /
  ``score`` (classes are patched as their modules are imported): rows seen, index
  labels, and for a model's first fit on a DataFrame how well each column alone
  separates the target;
* the metric functions in ``sklearn.metrics``: value and whether ``y_true`` is the
  train or the test target;
* ``DataFrame.dropna`` / ``drop_duplicates`` / ``merge``, boolean row filters and
  ``pd.to_numeric(errors="coerce")``: rows or values lost per line of the script;
* ``pd.read_csv``: the frames as loaded, so entity and time columns dropped before
  the split can still be looked up by index label.

Only calls made from the script's own lines are recorded. The evidence is written
even when the script fails, then the script's exit status is passed on.
"""

from __future__ import annotations

import atexit
import functools
import importlib.abc
import importlib.machinery
import json
import os
import runpy
import sys
import threading
from typing import Any

SCRIPT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 2 else ""
EVIDENCE = sys.argv[2] if len(sys.argv) > 2 else ""
WATCHED = {
    "time": [c for c in os.environ.get("DOCTOR_TIME_COLUMNS", "").split(",") if c],
    "entity": [c for c in os.environ.get("DOCTOR_ENTITY_COLUMNS", "").split(",") if c],
}
MAX_HASHED_ROWS = 200_000
MAX_POWER_COLUMNS = 300  # columns measured alone against the target
RECORD: dict[str, list[dict[str, Any]]] = {
    "splits": [],
    "fits": [],
    "metrics": [],
    "drops": [],
    "loads": [],
}
_STATE = threading.local()
_LOADED_FRAMES: list[Any] = []
_FIT_LABELS: list[Any] = []
_SPLIT_HASHES: list[dict[str, Any]] = []


def script_line() -> int | None:
    """The line of the analysed script that made the current call."""
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_filename == SCRIPT:
            return frame.f_lineno
        frame = frame.f_back  # type: ignore[assignment]
    return None


class _Outermost:
    """Record only the outermost patched call (a Pipeline, not each of its steps)."""

    def __enter__(self) -> bool:
        depth = getattr(_STATE, "depth", 0)
        _STATE.depth = depth + 1
        return depth == 0

    def __exit__(self, *exc: object) -> None:
        _STATE.depth -= 1


def n_rows(data: Any) -> int | None:
    """The number of rows of an array, frame or sequence, if it has one."""
    try:
        return int(data.shape[0])
    except (AttributeError, IndexError, TypeError):
        try:
            return len(data)
        except TypeError:
            return None


def row_hashes(data: Any) -> list[int]:
    """One integer per row, equal for equal feature values (the index ignored)."""
    import numpy as np
    import pandas as pd

    if n_rows(data) is None or (n_rows(data) or 0) > MAX_HASHED_ROWS:
        return []
    if isinstance(data, pd.DataFrame | pd.Series):
        return [int(v) for v in pd.util.hash_pandas_object(data, index=False)]
    array = np.asarray(data)
    if array.ndim == 1:
        array = array.reshape(-1, 1)
    frame = pd.DataFrame(array)
    return [int(v) for v in pd.util.hash_pandas_object(frame, index=False)]


def labels(data: Any) -> list[Any] | None:
    """The index labels of a frame or series, None for arrays."""
    index = getattr(data, "index", None)
    if index is None:
        return None
    return list(index)


def class_shares(y: Any) -> dict[str, float] | None:
    """The share of each class in a target with few distinct values."""
    import pandas as pd

    try:
        series = pd.Series(list(y) if not hasattr(y, "ravel") else y.ravel())
    except Exception:  # noqa: BLE001 - evidence is best effort
        return None
    if series.nunique() > 20 or series.empty:
        return None
    shares = series.value_counts(normalize=True)
    return {str(key): round(float(value), 4) for key, value in shares.items()}


def lookup_columns(part: Any, columns: list[str]) -> dict[str, Any]:
    """Values of ``columns`` for the rows of ``part``, from itself or a loaded frame."""
    import pandas as pd

    found: dict[str, Any] = {}
    if not isinstance(part, pd.DataFrame | pd.Series):
        return found
    for column in columns:
        if isinstance(part, pd.DataFrame) and column in part.columns:
            found[column] = part[column]
            continue
        for frame in reversed(_LOADED_FRAMES):
            if column not in frame.columns:
                continue
            unique = frame[~frame.index.duplicated()]
            if not part.index.isin(unique.index).all():
                continue
            found[column] = unique[column].reindex(part.index)
            break
    return found


def describe_split(train: Any, test: Any, y_train: Any, y_test: Any, line: Any) -> None:
    """Record sizes, class shares, overlap, time order and entities of one split."""
    import pandas as pd

    train_hashes = row_hashes(train)
    test_hashes = row_hashes(test)
    train_set = set(train_hashes)
    shared = sum(1 for value in test_hashes if value in train_set)
    entry: dict[str, Any] = {
        "line": line,
        "train_rows": n_rows(train),
        "test_rows": n_rows(test),
        "test_rows_in_train": shared if test_hashes else None,
        "train_classes": class_shares(y_train) if y_train is not None else None,
        "test_classes": class_shares(y_test) if y_test is not None else None,
        "time": {},
        "entity": {},
    }
    train_values = lookup_columns(train, WATCHED["time"] + WATCHED["entity"])
    test_values = lookup_columns(test, WATCHED["time"] + WATCHED["entity"])
    for column in WATCHED["time"]:
        if column in train_values and column in test_values:
            train_time = pd.to_datetime(train_values[column], errors="coerce")
            test_time = pd.to_datetime(test_values[column], errors="coerce")
            latest = train_time.max()
            earlier = int((test_time < latest).sum())
            entry["time"][column] = {
                "test_rows_before_latest_train": earlier,
                "latest_train": str(latest),
                "earliest_test": str(test_time.min()),
            }
    for column in WATCHED["entity"]:
        if column in train_values and column in test_values:
            train_ids = set(train_values[column].dropna())
            test_ids = set(test_values[column].dropna())
            entry["entity"][column] = {
                "test_values": len(test_ids),
                "also_in_train": len(test_ids & train_ids),
            }
    RECORD["splits"].append(entry)
    _SPLIT_HASHES.append(
        {
            "train": train_set,
            "test": set(test_hashes),
            "train_labels": set(labels(train) or []),
            "test_labels": set(labels(test) or []),
            "y_train": row_hashes(y_train) if y_train is not None else [],
            "y_test": row_hashes(y_test) if y_test is not None else [],
        }
    )


def which_side(data: Any, key: str = "y") -> str | None:
    """Whether ``data`` is the train or the test part of the latest split."""
    if not _SPLIT_HASHES:
        return None
    hashes = row_hashes(data)
    latest = _SPLIT_HASHES[-1]
    if key == "y":
        if hashes and hashes == latest["y_train"]:
            return "train"
        if hashes and hashes == latest["y_test"]:
            return "test"
        return None
    present = set(hashes)
    if present and present <= latest["train"] and not present <= latest["test"]:
        return "train"
    if present and present <= latest["test"]:
        return "test"
    return None


def patched_split(original: Any) -> Any:
    """Wrap ``train_test_split`` so each split made by the script is described."""

    @functools.wraps(original)
    def train_test_split(*arrays: Any, **options: Any) -> Any:
        with _Outermost() as outermost:
            parts = original(*arrays, **options)
            line = script_line() if outermost else None
            if line is not None and len(parts) >= 2:
                try:
                    y_train = parts[2] if len(parts) >= 4 else None
                    y_test = parts[3] if len(parts) >= 4 else None
                    describe_split(parts[0], parts[1], y_train, y_test, line)
                except Exception as error:  # noqa: BLE001 - evidence is best effort
                    RECORD["splits"].append({"line": line, "error": repr(error)})
        return parts

    return train_test_split


def single_column_power(X: Any, y: Any) -> dict[str, float]:
    """ROC AUC of each numeric column alone against a binary target, folded at 0.5."""
    import numpy as np
    import pandas as pd

    if not isinstance(X, pd.DataFrame):
        return {}
    target = pd.Series(np.asarray(y).ravel())
    if target.nunique() != 2:
        return {}
    power: dict[str, float] = {}
    for column in list(X.columns)[:MAX_POWER_COLUMNS]:
        values = pd.to_numeric(X[column], errors="coerce")
        if values.isna().any() or values.nunique() < 2:
            continue
        auc = float(_ORIGINAL_METRICS["roc_auc_score"](target, values.to_numpy()))
        power[str(column)] = round(max(auc, 1 - auc), 4)
    return dict(sorted(power.items(), key=lambda item: -item[1])[:5])


def wrap_method(owner: type, name: str) -> None:
    """Replace ``owner.name`` by a version that records the script's calls."""
    original = owner.__dict__.get(name)
    if original is None or getattr(original, "_doctor", False):
        return

    @functools.wraps(original)
    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        with _Outermost() as outermost:
            result = original(self, *args, **kwargs)
            if outermost:
                line = script_line()
                if line is not None:
                    record_call(self, name, args, kwargs, result, line)
            return result

    method._doctor = True  # type: ignore[attr-defined]
    setattr(owner, name, method)


def record_call(
    estimator: Any, name: str, args: Any, kwargs: Any, result: Any, line: int
) -> None:
    """Record one estimator call: rows seen, split side, column power."""
    data = args[0] if args else kwargs.get("X")
    y = args[1] if len(args) > 1 else kwargs.get("y")
    entry: dict[str, Any] = {
        "line": line,
        "estimator": type(estimator).__name__,
        "object": id(estimator),
        "method": name,
        "rows": n_rows(data),
    }
    if name in {"fit", "fit_transform", "fit_predict"}:
        fit_labels = labels(data)
        entry["fit_index"] = len(_FIT_LABELS)
        _FIT_LABELS.append(set(fit_labels) if fit_labels is not None else None)
        entry["side"] = which_side(data, key="X")
        if (
            y is not None
            and hasattr(estimator, "predict")
            and not any(fit.get("power") for fit in RECORD["fits"])
        ):
            try:
                entry["power"] = single_column_power(data, y)
            except Exception:  # noqa: BLE001
                entry["power"] = {}
        RECORD["fits"].append(entry)
    elif name == "score":
        entry["value"] = float(result)
        entry["side"] = which_side(y) if y is not None else None
        RECORD["metrics"].append({**entry, "metric": "score"})


class _PatchOnImport(importlib.abc.MetaPathFinder):
    """Patch estimator classes in every ``sklearn`` module as it is imported."""

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        if not fullname.startswith("sklearn"):
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        original_exec = loader.exec_module

        def exec_module(module: Any) -> None:
            original_exec(module)
            patch_module(module)

        loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


METHODS = ("fit", "fit_transform", "fit_predict", "score")


def patch_module(module: Any) -> None:
    """Patch the estimator classes defined in ``module``."""
    for value in list(vars(module).values()):
        if isinstance(value, type) and value.__module__ == module.__name__:
            if any(method in value.__dict__ for method in METHODS):
                for method in METHODS:
                    wrap_method(value, method)


_ORIGINAL_METRICS: dict[str, Any] = {}


def record_metric(name: str, args: Any, kwargs: Any, result: Any, line: int) -> None:
    """Record one metric value and which split ``y_true`` came from."""
    y_true = args[0] if args else kwargs.get("y_true")
    value = None
    try:
        value = float(result)
    except (TypeError, ValueError):
        pass
    RECORD["metrics"].append(
        {
            "line": line,
            "metric": name,
            "value": value,
            "side": which_side(y_true),
            "rows": n_rows(y_true),
        }
    )


def patched_metric(name: str, original: Any) -> Any:
    """Wrap a metric function so the script's calls are recorded."""

    @functools.wraps(original)
    def metric(*args: Any, **kwargs: Any) -> Any:
        with _Outermost() as outermost:
            result = original(*args, **kwargs)
            line = script_line() if outermost else None
            if line is not None:
                record_metric(name, args, kwargs, result, line)
        return result

    return metric


def patch_pandas() -> None:
    """Count rows lost by pandas steps and keep the frames as loaded."""
    import pandas as pd

    frame_type = pd.DataFrame

    def counted(name: str) -> None:
        original = getattr(frame_type, name)

        @functools.wraps(original)
        def method(self: Any, *args: Any, **kwargs: Any) -> Any:
            with _Outermost() as outermost:
                result = original(self, *args, **kwargs)
            line = script_line() if outermost else None
            if line is not None and isinstance(result, frame_type):
                lost = len(self) - len(result)
                RECORD["drops"].append(
                    {"line": line, "step": name, "rows_before": len(self), "lost": lost}
                )
            return result

        setattr(frame_type, name, method)

    for name in ("dropna", "drop_duplicates", "merge"):
        counted(name)

    original_getitem = frame_type.__getitem__

    def getitem(self: Any, key: Any) -> Any:
        with _Outermost() as outermost:
            result = original_getitem(self, key)
        if (
            outermost
            and isinstance(result, frame_type)
            and str(getattr(key, "dtype", "")) == "bool"
            and len(result) < len(self)
        ):
            line = script_line()
            if line is not None:
                RECORD["drops"].append(
                    {
                        "line": line,
                        "step": "filter",
                        "rows_before": len(self),
                        "lost": len(self) - len(result),
                    }
                )
        return result

    frame_type.__getitem__ = getitem

    original_to_numeric = pd.to_numeric

    @functools.wraps(original_to_numeric)
    def to_numeric(arg: Any, *args: Any, **kwargs: Any) -> Any:
        with _Outermost() as outermost:
            result = original_to_numeric(arg, *args, **kwargs)
        line = script_line() if outermost else None
        if line is not None and kwargs.get("errors") == "coerce":
            try:
                before = int(pd.isna(arg).sum())
                after = int(pd.isna(result).sum())
                RECORD["drops"].append(
                    {
                        "line": line,
                        "step": "to_numeric",
                        "rows_before": n_rows(arg),
                        "lost": after - before,
                    }
                )
            except (TypeError, ValueError):
                pass
        return result

    pd.to_numeric = to_numeric

    original_read_csv = pd.read_csv

    @functools.wraps(original_read_csv)
    def read_csv(*args: Any, **kwargs: Any) -> Any:
        with _Outermost() as outermost:
            result = original_read_csv(*args, **kwargs)
        line = script_line() if outermost else None
        if line is not None and isinstance(result, frame_type):
            _LOADED_FRAMES.append(result.copy())
            RECORD["loads"].append(
                {"line": line, "rows": len(result), "columns": len(result.columns)}
            )
        return result

    pd.read_csv = read_csv


def install() -> None:
    """Patch pandas and scikit-learn before the script imports them."""
    sys.meta_path.insert(0, _PatchOnImport())
    for name in [m for m in sys.modules if m.startswith("sklearn")]:
        patch_module(sys.modules[name])
    patch_pandas()

    import sklearn.metrics
    import sklearn.model_selection

    sklearn.model_selection.train_test_split = patched_split(
        sklearn.model_selection.train_test_split
    )
    for name in dir(sklearn.metrics):
        if name.endswith(("_score", "_error", "_loss")) or name in {
            "matthews_corrcoef"
        }:
            original = getattr(sklearn.metrics, name)
            if callable(original):
                _ORIGINAL_METRICS[name] = original
                setattr(sklearn.metrics, name, patched_metric(name, original))
    import sklearn.base

    patch_module(sklearn.base)


def write_evidence() -> None:
    """Write everything recorded to the evidence file."""
    for fit in RECORD["fits"]:
        index = fit.pop("fit_index", None)
        fit_labels = _FIT_LABELS[index] if index is not None else None
        if fit_labels and _SPLIT_HASHES:
            test_labels = _SPLIT_HASHES[0]["test_labels"]
            if test_labels:
                fit["test_rows_seen"] = len(test_labels & fit_labels)
                fit["test_labels"] = len(test_labels)
    with open(EVIDENCE, "w", encoding="utf-8") as handle:
        json.dump(RECORD, handle, default=str)


def main() -> None:
    """Install the patches and run the script as ``__main__``."""
    install()
    atexit.register(write_evidence)
    sys.argv = [SCRIPT]
    sys.path.insert(0, os.path.dirname(SCRIPT))
    runpy.run_path(SCRIPT, run_name="__main__")


if __name__ == "__main__":
    main()
