"""The helpers every generated pipeline.py carries: atomic writes, value storage."""

import pandas as pd
import pytest

from toolkit.migrate.service import migrate_script

from .conftest import FIXTURES, load_pipeline


@pytest.fixture
def pipeline(tmp_path, luigi_registry):
    out = tmp_path / "package"
    migrate_script(FIXTURES / "branches.py", out)
    return load_pipeline(out)


def test_atomic_path_keeps_the_full_suffix_and_renames_on_success(pipeline, tmp_path):
    destination = tmp_path / "out" / "table.csv.gz"
    with pipeline.atomic_path(destination) as temporary:
        assert temporary.name.endswith(".csv.gz")
        assert temporary.parent == destination.parent
        temporary.write_text("data")
    assert destination.read_text() == "data"
    assert [p.name for p in destination.parent.iterdir()] == ["table.csv.gz"]


def test_atomic_path_leaves_nothing_when_the_write_fails(pipeline, tmp_path):
    folder = tmp_path / "values"
    with pytest.raises(RuntimeError):
        with pipeline.atomic_path(folder / "table.parquet") as temporary:
            temporary.write_text("half")
            raise RuntimeError("stopped")
    assert list(folder.iterdir()) == []


def test_frame_that_round_trips_is_saved_as_parquet(pipeline, tmp_path):
    frame = pd.DataFrame({"b": [1.5, 2.5], "a": ["x", "y"]}, index=[10, 20])
    name, kind = pipeline.save_value(frame, tmp_path, "frame")
    assert (name, kind) == ("frame.parquet", "parquet")
    back = pipeline.load_value(tmp_path, {"file": name, "format": kind})
    pd.testing.assert_frame_equal(back, frame)


def test_frame_that_would_change_through_parquet_is_pickled(pipeline, tmp_path):
    frame = pd.DataFrame({"mixed": [1, "a"]})  # Parquet cannot hold mixed types
    name, kind = pipeline.save_value(frame, tmp_path, "frame")
    assert (name, kind) == ("frame.pickle", "pickle")
    assert not (tmp_path / "frame.parquet").exists()
    back = pipeline.load_value(tmp_path, {"file": name, "format": kind})
    pd.testing.assert_frame_equal(back, frame)


def test_values_that_are_not_frames_are_pickled(pipeline, tmp_path):
    value = {"counts": [1, 2, 3], "label": "x"}
    name, kind = pipeline.save_value(value, tmp_path, "summary")
    assert kind == "pickle"
    assert pipeline.load_value(tmp_path, {"file": name, "format": kind}) == value
