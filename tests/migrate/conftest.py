"""Shared set-up for migration tests: fixtures, an isolated Luigi registry."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parents[2]
LEGACY = ROOT / "legacy_scripts"
MIGRATED = ROOT / "migrated"
LEGACY_SCRIPTS = (
    "flat_etl",
    "inventory_report",
    "sensor_cleaner",
    "sqlite_warehouse",
    "combine_files",
    "stateful_counters",
    "train_model",
    "log_parser",
)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A working folder holding the fixtures' input data."""
    folder = tmp_path / "work"
    folder.mkdir()
    shutil.copy(FIXTURES / "numbers.csv", folder / "numbers.csv")
    return folder


@pytest.fixture
def luigi_registry():
    """Give each test its own Luigi task registry, instance cache and config.

    Importing a generated pipeline adds its luigi.cfg to Luigi's configuration;
    the configuration is reset afterwards so no other test sees it.
    """
    from luigi.configuration.cfg_parser import LuigiConfigParser
    from luigi.task_register import Register

    saved = list(Register._reg)
    saved_paths = list(LuigiConfigParser._config_paths)
    Register.clear_instance_cache()
    modules = set(sys.modules)
    yield Register
    Register._reg[:] = saved
    Register.clear_instance_cache()
    LuigiConfigParser._config_paths[:] = saved_paths
    LuigiConfigParser._instance = None
    for name in set(sys.modules) - modules:
        if name.startswith("generated_pipeline_") or name.endswith("_steps"):
            del sys.modules[name]


def load_pipeline(package: Path):
    """Import a generated pipeline.py under a unique module name."""
    name = f"generated_pipeline_{package.name}_{abs(hash(str(package)))}"
    spec = importlib.util.spec_from_file_location(name, package / "pipeline.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def run_in_process(package: Path, state: Path, **parameters):
    """Build the pipeline's root with the local scheduler; return the Luigi result."""
    import luigi

    module = load_pipeline(package)
    root_name = json.loads((package / "migration.json").read_text())["root_task"]
    root = getattr(module, root_name)(state_root=str(state), **parameters)
    return luigi.build([root], local_scheduler=True, detailed_summary=True, workers=1)
