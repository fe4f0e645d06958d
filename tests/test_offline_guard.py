"""The offline guard that every test session and notebook kernel runs under."""

import os
import subprocess
import sys
import textwrap

import pytest

PROBE = textwrap.dedent(
    """
    import socket
    server = socket.socket(); server.bind(("127.0.0.1", 0)); server.listen()
    local = socket.create_connection(server.getsockname(), timeout=2)
    local.close()
    try:
        socket.create_connection(("192.0.2.1", 80), timeout=2)
    except OSError as error:
        print("refused:", error)
    """
)


def test_session_environment_puts_the_guard_first_on_pythonpath() -> None:
    first = os.environ["PYTHONPATH"].split(os.pathsep)[0]

    assert first.endswith(os.path.join("tests", "offline"))


@pytest.mark.parametrize("address", ["192.0.2.1"])
def test_when_a_child_process_connects_outside_then_it_is_refused(address: str) -> None:
    completed = subprocess.run(
        [sys.executable, "-c", PROBE.replace("192.0.2.1", address)],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )

    assert "refused: offline guard" in completed.stdout
