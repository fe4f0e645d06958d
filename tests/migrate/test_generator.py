import py_compile
import subprocess
import sys

import pytest

from toolkit.analysis.source import load_source
from toolkit.migrate.generator import render
from toolkit.migrate.planner import plan_migration
from toolkit.migrate.service import migrate_script

from .conftest import FIXTURES, LEGACY, LEGACY_SCRIPTS, MIGRATED, ROOT, load_pipeline

BEHAVIOURS = (
    "inplace_mutation.py",
    "helper_mutation.py",
    "file_flow.py",
    "sqlite_flow.py",
    "loop_step.py",
    "argparse_defaults.py",
    "env_vars.py",
    "markers.py",
    "notebook_etl.ipynb",
    "main_guard_body.py",
)


@pytest.mark.parametrize("script", LEGACY_SCRIPTS)
def test_reference_migration_is_regenerated_byte_for_byte(script, tmp_path):
    migrate_script(LEGACY / f"{script}.py", tmp_path / script)
    generated = sorted(p.name for p in (tmp_path / script).iterdir())
    reference = sorted(
        p.name for p in (MIGRATED / script).iterdir() if p.name != "__pycache__"
    )
    assert generated == reference
    for name in generated:
        assert (tmp_path / script / name).read_bytes() == (
            MIGRATED / script / name
        ).read_bytes(), name


@pytest.mark.parametrize("name", BEHAVIOURS)
def test_same_input_renders_byte_identical_files(name):
    first = render(plan_migration(load_source(FIXTURES / name))).files
    second = render(plan_migration(load_source(FIXTURES / name))).files
    assert first == second


@pytest.mark.parametrize("name", BEHAVIOURS)
def test_generated_code_compiles_and_is_formatted(name, tmp_path):
    out = tmp_path / "package"
    migrate_script(FIXTURES / name, out)
    python_files = sorted(out.glob("*.py"))
    assert len(python_files) == 2
    for path in python_files:
        py_compile.compile(str(path), doraise=True)
    ruff = ROOT / ".venv" / "bin" / "ruff"
    if not ruff.exists():
        pytest.skip("ruff is not installed in the project venv")
    checked = subprocess.run(
        [str(ruff), "format", "--check", "--isolated", *map(str, python_files)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_every_generated_file_opens_with_the_source_header(tmp_path):
    out = tmp_path / "package"
    result = migrate_script(FIXTURES / "inplace_mutation.py", out)
    for name in result.files:
        text = (out / name).read_text()
        if name.endswith(".json"):
            assert '"script": "inplace_mutation.py"' in text
            continue
        assert result.plan.sha256 in "\n".join(text.splitlines()[:2]), name
        assert "toolkit 0.1.0" in text.splitlines()[0]


def test_generated_pipeline_does_not_import_the_toolkit(tmp_path):
    out = tmp_path / "package"
    migrate_script(FIXTURES / "helper_mutation.py", out)
    for path in out.glob("*.py"):
        assert "toolkit" not in {
            line.split()[1].split(".")[0]
            for line in path.read_text().splitlines()
            if line.startswith(("import ", "from "))
        }


def test_generated_pipeline_loads_in_luigi_with_its_tasks(tmp_path, luigi_registry):
    out = tmp_path / "package"
    migrate_script(FIXTURES / "branches.py", out)
    module = load_pipeline(out)
    root = module.BranchesPipeline(state_root=str(tmp_path / "state"))
    required = {task.task_family for task in root.requires()}
    assert required == {"Join"}
    join = module.Join(state_root=str(tmp_path / "state"))
    assert set(join.requires()) == {"left", "right"}
    assert luigi_registry.get_task_cls("Join") is module.Join


def test_readme_draws_the_dag_in_mermaid_and_maps_tasks_to_lines(tmp_path):
    out = tmp_path / "package"
    migrate_script(FIXTURES / "branches.py", out)
    readme = (out / "README.md").read_text()
    assert "```mermaid\nflowchart TD" in readme
    assert "    Left --> Join" in readme and "    Right --> Join" in readme
    assert "| `Join` | 11-13 | Left, Right | left, right | — |" in readme


def test_luigi_cfg_sets_retcodes_checks_completion_and_retries(tmp_path):
    out = tmp_path / "package"
    migrate_script(FIXTURES / "branches.py", out)
    config = (out / "luigi.cfg").read_text()
    assert "[retcode]" in config and "task_failed = 30" in config
    assert "check_complete_on_run = true" in config
    assert "retry_count = 3" in config


def test_importing_the_pipeline_does_not_read_the_clock(tmp_path, luigi_registry):
    out = tmp_path / "package"
    migrate_script(LEGACY / "sensor_cleaner.py", out)
    module = load_pipeline(out)
    assert module.ScriptParameters.run_date._default is None
    steps_source = (out / "sensor_cleaner_steps.py").read_text()
    preamble = steps_source.split("\ndef ")[0]
    assert "date.today()" not in preamble
    assert sys.modules.get("sensor_cleaner_steps") is None


def test_importing_the_pipeline_loads_its_luigi_cfg(tmp_path, luigi_registry):
    import luigi.configuration

    migrate_script(FIXTURES / "branches.py", tmp_path / "package")
    load_pipeline(tmp_path / "package")
    config = luigi.configuration.get_config()
    assert config.get("worker", "check_complete_on_run") == "true"
