import json
from pathlib import Path

import pytest

from toolkit.cli import main

from .conftest import FIXTURES


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_migrate_json_describes_tasks_parameters_and_warnings(tmp_path, capsys):
    out = tmp_path / "dag"
    code, stdout, _ = run(
        capsys,
        "migrate",
        str(FIXTURES / "argparse_defaults.py"),
        "--out",
        str(out),
        "--json",
    )
    document = json.loads(stdout)
    assert code == 0
    assert set(document) >= {
        "script",
        "out",
        "module",
        "root_task",
        "tasks",
        "parameters",
        "warnings",
    }
    assert document["out"] == str(out)
    assert document["root_task"] == "ArgparseDefaultsPipeline"
    assert document["tasks"][1] == {
        "name": "Write",
        "lines": [9, 12],
        "requires": ["ComputeParser"],
        "inputs": ["args"],
        "outputs": [],
        "files": ["out.txt"],
    }
    assert {"name": "factor", "type": "int", "default": 3} in [
        {key: p[key] for key in ("name", "type", "default")}
        for p in document["parameters"]
    ]


def test_migrate_prints_a_table_without_json(tmp_path, capsys):
    code, stdout, _ = run(
        capsys, "migrate", str(FIXTURES / "branches.py"), "--out", str(tmp_path / "d")
    )
    assert code == 0
    assert "Join" in stdout and "Left, Right" in stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"", "is empty"),
        (b"\x00\x01binary", "binary"),
        (b"def broken(:\n", "does not parse"),
    ],
)
def test_bad_script_exits_2_with_one_line_and_writes_nothing(
    tmp_path, capsys, content, message
):
    script = tmp_path / "script.py"
    if content is not None:
        script.write_bytes(content)
    out = tmp_path / "out"
    code, stdout, stderr = run(capsys, "migrate", str(script), "--out", str(out))
    assert code == 2
    assert message in stderr
    assert len(stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_out_folder_with_foreign_files_is_refused_and_left_alone(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    code, _, stderr = run(
        capsys, "migrate", str(FIXTURES / "branches.py"), "--out", str(out)
    )
    assert code == 2
    assert "toolkit did not write" in stderr
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]


def test_migrating_again_into_its_own_folder_is_allowed(tmp_path, capsys):
    out = tmp_path / "out"
    assert (
        run(capsys, "migrate", str(FIXTURES / "branches.py"), "--out", str(out))[0] == 0
    )
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert (
        run(capsys, "migrate", str(FIXTURES / "branches.py"), "--out", str(out))[0] == 0
    )
    assert before == {p.name: p.read_bytes() for p in out.iterdir()}


def test_refused_script_lists_every_offender_and_exits_2(tmp_path, capsys):
    out = tmp_path / "out"
    code, _, stderr = run(
        capsys, "migrate", str(FIXTURES / "refused.py"), "--out", str(out)
    )
    assert code == 2
    lines = stderr.strip().splitlines()
    assert len(lines) == 5
    assert [line.split(":")[1] for line in lines[1:]] == ["1", "4", "5", "6"]
    assert all("docs/limitations/migrate-" in line for line in lines[1:])
    assert not out.exists()


def test_refused_script_with_json_prints_the_offenders(tmp_path, capsys):
    code, stdout, _ = run(
        capsys,
        "migrate",
        str(FIXTURES / "refused.py"),
        "--out",
        str(tmp_path / "o"),
        "--json",
    )
    assert code == 2
    assert [o["construct"] for o in json.loads(stdout)["refused"]] == [
        "from os.path *",
        "eval(...)",
        "exec(...)",
        "globals()",
    ]


def test_verify_json_exits_0_when_equivalent(tmp_path, workdir, capsys):
    package = tmp_path / "dag"
    run(capsys, "migrate", str(FIXTURES / "inplace_mutation.py"), "--out", str(package))
    code, stdout, _ = run(
        capsys,
        "verify",
        str(FIXTURES / "inplace_mutation.py"),
        str(package),
        "--workdir",
        str(workdir),
        "--json",
    )
    document = json.loads(stdout)
    assert code == 0
    assert document["equivalent"] is True
    assert document["files"] == [{"path": "result.csv", "status": "equal"}]
    assert document["legacy_seconds"] > 0 and document["dag_seconds"] > 0


def test_verify_exits_1_when_the_dag_fails(tmp_path, workdir, capsys):
    package = tmp_path / "dag"
    run(capsys, "migrate", str(FIXTURES / "inplace_mutation.py"), "--out", str(package))
    steps = package / "inplace_mutation_steps.py"
    steps.write_text(
        steps.read_text().replace('frame["doubled"]', 'frame["missing"]["x"]')
    )
    code, stdout, _ = run(
        capsys,
        "verify",
        str(FIXTURES / "inplace_mutation.py"),
        str(package),
        "--workdir",
        str(workdir),
    )
    assert code == 1
    assert "the DAG exited 30" in stdout


def test_verify_with_a_missing_workdir_exits_2(tmp_path, capsys):
    package = tmp_path / "dag"
    run(capsys, "migrate", str(FIXTURES / "branches.py"), "--out", str(package))
    code, _, stderr = run(
        capsys,
        "verify",
        str(FIXTURES / "branches.py"),
        str(package),
        "--workdir",
        str(tmp_path / "nowhere"),
    )
    assert code == 2
    assert "not a folder" in stderr


def test_help_has_examples_for_both_commands(capsys):
    for command in ("migrate", "verify"):
        try:
            code = main([command, "--help"])
        except SystemExit as exit_info:
            code = exit_info.code
        assert code == 0
        assert "Example" in capsys.readouterr().out


def test_default_out_is_migrated_under_the_workbook(monkeypatch, tmp_path):
    from toolkit.migrate import service

    monkeypatch.setattr(service, "workbook_root", lambda: tmp_path)
    assert (
        service.default_out(Path("x/flat_etl.py")) == tmp_path / "migrated" / "flat_etl"
    )


def test_out_folder_with_a_user_file_named_like_ours_is_refused(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "pipeline.py").write_text("print('my own pipeline')\n")
    code, _, stderr = run(
        capsys, "migrate", str(FIXTURES / "branches.py"), "--out", str(out)
    )
    assert code == 2
    assert "first: pipeline.py" in stderr
    assert (out / "pipeline.py").read_text() == "print('my own pipeline')\n"
