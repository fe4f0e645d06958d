import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from toolkit.migrate.service import migrate_script

from .conftest import FIXTURES, run_in_process


def migrate(name: str, tmp_path: Path) -> Path:
    out = tmp_path / "package"
    migrate_script(FIXTURES / name, out)
    return out


def run_script(name: str, folder: Path, *arguments: str, **environment: str):
    return subprocess.run(
        [sys.executable, str(FIXTURES / name), *arguments],
        cwd=folder,
        env=dict(os.environ, **environment),
        capture_output=True,
        text=True,
        check=True,
    )


def run_dag(package: Path, folder: Path, *arguments: str, **environment: str):
    return subprocess.run(
        [sys.executable, str(package / "pipeline.py"), *arguments],
        cwd=folder,
        env=dict(os.environ, **environment),
        capture_output=True,
        text=True,
        check=False,
    )


def ran(result) -> set[str]:
    from luigi.execution_summary import _summary_dict

    return {task.task_family for task in _summary_dict(result.worker)["completed"]}


def copy_of(folder: Path, name: str) -> Path:
    target = folder.parent / name
    shutil.copytree(folder, target)
    return target


@pytest.mark.parametrize(
    "name",
    [
        "inplace_mutation.py",
        "helper_mutation.py",
        "file_flow.py",
        "loop_step.py",
        "main_guard_body.py",
        "conditional_rebind.py",
        "loop_variable_read_later.py",
        "conditional_delete.py",
        "clean_sys_exit.py",
    ],
)
def test_dag_writes_what_the_script_writes(
    name, tmp_path, workdir, luigi_registry, monkeypatch
):
    package = migrate(name, tmp_path)
    legacy = copy_of(workdir, "legacy")
    run_script(name, legacy)

    monkeypatch.chdir(workdir)
    result = run_in_process(package, tmp_path / "state")

    assert result.scheduling_succeeded
    produced = sorted(p.name for p in workdir.iterdir())
    assert produced == sorted(p.name for p in legacy.iterdir())
    for path in legacy.iterdir():
        assert (workdir / path.name).read_bytes() == path.read_bytes()


def test_when_sqlite_tables_flow_between_steps_then_the_total_matches(
    tmp_path, workdir, luigi_registry, monkeypatch
):
    package = migrate("sqlite_flow.py", tmp_path)
    monkeypatch.chdir(workdir)
    result = run_in_process(package, tmp_path / "state")
    assert result.scheduling_succeeded
    assert (workdir / "total.txt").read_text() == "6\n"


def test_notebook_migrates_and_runs(tmp_path, workdir, luigi_registry, monkeypatch):
    package = migrate("notebook_etl.ipynb", tmp_path)
    monkeypatch.chdir(workdir)
    result = run_in_process(package, tmp_path / "state")
    assert result.scheduling_succeeded
    assert (
        workdir / "result.csv"
    ).read_text() == "value,label\n10.0,a\n30.0,c\n40.0,d\n"


def test_second_run_does_nothing(tmp_path, workdir, luigi_registry, monkeypatch):
    package = migrate("inplace_mutation.py", tmp_path)
    monkeypatch.chdir(workdir)
    first = run_in_process(package, tmp_path / "state")
    second = run_in_process(package, tmp_path / "state")
    assert ran(first) == {
        "Load",
        "DropMissingValuesInPlace",
        "Write",
        "InplaceMutationPipeline",
    }
    assert ran(second) == set()


def test_dataframes_travel_as_parquet_and_other_values_as_pickle(
    tmp_path, workdir, luigi_registry, monkeypatch
):
    package = migrate("helper_mutation.py", tmp_path)
    monkeypatch.chdir(workdir)
    run_in_process(package, tmp_path / "state")
    state_files = {p.name for p in (tmp_path / "state").rglob("*") if p.is_file()}
    assert "table.parquet" in state_files
    assert not any(name.startswith(".") for name in state_files)


def test_when_argparse_parameter_is_set_then_the_script_sees_it(tmp_path, workdir):
    package = migrate("argparse_defaults.py", tmp_path)
    legacy = copy_of(workdir, "legacy")
    run_script("argparse_defaults.py", legacy, "--factor", "5", "--loud")

    completed = run_dag(
        package, workdir, "--factor", "5", "--loud", "--state-root", str(tmp_path / "s")
    )

    assert completed.returncode == 0, completed.stderr[-2000:]
    assert (workdir / "out.txt").read_text() == (legacy / "out.txt").read_text()
    assert (workdir / "out.txt").read_text() == "RUN: 10"


def test_when_environment_parameter_is_set_or_inherited_then_script_sees_it(
    tmp_path, workdir, luigi_registry, monkeypatch
):
    package = migrate("env_vars.py", tmp_path)
    monkeypatch.chdir(workdir)
    monkeypatch.setenv("AUDIENCE", "team")
    result = run_in_process(package, tmp_path / "state", greeting="hi")
    assert result.scheduling_succeeded
    assert (workdir / "out.txt").read_text() == "hi, team\n"
    assert os.environ.get("GREETING") is None


def test_when_a_step_fails_then_the_command_exits_non_zero(tmp_path, workdir):
    package = migrate("failing_step.py", tmp_path)
    completed = run_dag(package, workdir, "--state-root", str(tmp_path / "state"))
    assert completed.returncode == 30
    assert "this step always fails" in completed.stderr


@pytest.mark.slow
def test_run_killed_half_way_resumes_with_only_the_remaining_tasks(tmp_path, workdir):
    package = migrate("resumable.py", tmp_path)
    state = tmp_path / "state"
    (workdir / "pause").write_text("")
    process = subprocess.Popen(
        [sys.executable, str(package / "pipeline.py"), "--state-root", str(state)],
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not list(state.glob("*/First_*/manifest.json")):
            assert time.monotonic() < deadline, "the first task never finished"
            assert process.poll() is None, "the pipeline stopped early"
            time.sleep(0.1)
        time.sleep(0.5)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    assert not (workdir / "second.txt").exists()

    (workdir / "pause").unlink()
    resumed = run_dag(package, workdir, "--state-root", str(state))

    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert "running   First(" not in resumed.stderr
    assert "running   SecondWaitsWhileAPause(" in resumed.stderr
    assert "running   Third(" in resumed.stderr
    legacy = tmp_path / "legacy"
    legacy.mkdir()
    run_script("resumable.py", legacy)
    for name in ("first.txt", "second.txt", "third.txt"):
        assert (workdir / name).read_text() == (legacy / name).read_text()


def test_luigi_command_line_runs_the_module_like_the_script(tmp_path, workdir):
    package = migrate("file_flow.py", tmp_path)
    luigi_command = Path(sys.executable).with_name("luigi")
    if not luigi_command.exists():
        pytest.skip("the luigi command is not installed beside this Python")
    environment = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join([str(package), os.environ.get("PYTHONPATH", "")]),
    )
    completed = subprocess.run(
        [
            str(luigi_command),
            "--module",
            "pipeline",
            "FileFlowPipeline",
            "--local-scheduler",
            "--state-root",
            str(tmp_path / "state"),
        ],
        cwd=workdir,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert (workdir / "result.csv").read_text().splitlines()[1:] == [
        "2.0,a",
        "4.0,c",
        "5.0,d",
    ]


def test_generated_pipeline_runs_with_the_toolkit_unimportable(tmp_path, workdir):
    package = migrate("helper_mutation.py", tmp_path)
    runner = (
        "import runpy, sys\n"
        "sys.modules['toolkit'] = None  # any 'import toolkit' now fails\n"
        f"sys.argv = ['pipeline.py', '--state-root', {str(tmp_path / 'state')!r}]\n"
        f"runpy.run_path({str(package / 'pipeline.py')!r}, run_name='__main__')\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", runner],
        cwd=workdir,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert (workdir / "result.csv").exists()
