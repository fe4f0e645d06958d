"""A migrated DAG against Luigi's central scheduler, with two workers."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from toolkit.migrate.service import migrate_script

from .conftest import FIXTURES

LUIGID = Path(sys.executable).with_name("luigid")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "luigid exited early"
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"luigid did not listen on port {port}")


@pytest.fixture
def luigid(tmp_path):
    if not LUIGID.exists():
        pytest.skip("luigid is not installed beside this Python")
    port = free_port()
    folder = tmp_path / "luigid"
    (folder / "logs").mkdir(parents=True)
    process = subprocess.Popen(
        [
            str(LUIGID),
            "--address",
            "127.0.0.1",
            "--port",
            str(port),
            "--state-path",
            str(folder / "state.pickle"),
            "--logdir",
            str(folder / "logs"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=folder,
    )
    try:
        wait_for_port(port, process)
        yield port
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)  # it ignored SIGTERM
            process.wait()


@pytest.mark.slow
def test_two_workers_run_independent_branches_through_luigid(tmp_path, luigid):
    package = tmp_path / "package"
    migrate_script(FIXTURES / "branches.py", package)
    work = tmp_path / "work"
    work.mkdir()
    legacy = tmp_path / "legacy"
    legacy.mkdir()
    subprocess.run(
        [sys.executable, str(FIXTURES / "branches.py")], cwd=legacy, check=True
    )

    completed = subprocess.run(
        [
            sys.executable,
            str(package / "pipeline.py"),
            "--scheduler-host",
            "127.0.0.1",
            "--scheduler-port",
            str(luigid),
            "--workers",
            "2",
            "--state-root",
            str(tmp_path / "state"),
        ],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert completed.returncode == 0, completed.stderr[-2000:]
    assert "local scheduler" not in completed.stderr.lower()
    assert (work / "joined.txt").read_text() == (legacy / "joined.txt").read_text()
    scheduler_log = (tmp_path / "luigid" / "logs" / "luigi-server.log").read_text()
    assert "Join" in scheduler_log or "Join" in completed.stderr
