import json
import socket
import threading
import urllib.error
import urllib.request
from datetime import date
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler

import pytest

from toolkit.workbook.loopback import JSONRequestHandler, LoopbackServer, is_loopback


class EchoServer(LoopbackServer):
    """Answers every GET with its path and the day it was served, counting them."""

    name = "echo server"

    def make_handler(self) -> type[BaseHTTPRequestHandler]:
        owner = self

        class EchoHandler(JSONRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                owner.count_request()
                self.send_json(
                    HTTPStatus.OK, {"path": self.path, "served_on": date(2026, 3, 1)}
                )

        return EchoHandler


def get(url: str) -> tuple[int, str, dict]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=5) as response:
        return response.status, response.headers["Content-Type"], json.load(response)


def port_of(server: LoopbackServer) -> int:
    return int(server.url.rsplit(":", 1)[1])


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def test_when_started_then_it_answers_json_at_its_url():
    with EchoServer() as server:
        status, content_type, answer = get(f"{server.url}/hello")

    assert status == 200
    assert content_type == "application/json"
    assert answer == {"path": "/hello", "served_on": "2026-03-01"}


def test_when_started_twice_then_it_keeps_one_port_and_one_thread():
    server = EchoServer().start()
    try:
        first_url = server.url
        threads_before = threading.active_count()

        assert server.start() is server
        assert server.url == first_url
        assert threading.active_count() == threads_before
    finally:
        server.stop()


def test_when_stopped_twice_then_port_is_free_and_server_not_running():
    server = EchoServer().start()
    port = port_of(server)

    server.stop()
    server.stop()

    assert not server.running
    assert port_is_free(port)


def test_when_stopped_then_it_can_start_again():
    server = EchoServer().start()
    server.stop()

    server.start()
    try:
        status, _, _ = get(f"{server.url}/again")
    finally:
        server.stop()

    assert status == 200


def test_when_not_started_then_url_says_to_call_start():
    with pytest.raises(RuntimeError, match=r"not running; call start\(\) first"):
        _ = EchoServer().url


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.com", ""])
def test_when_host_is_not_loopback_then_constructor_refuses_it(host):
    with pytest.raises(ValueError, match="expected a loopback address"):
        EchoServer(host=host)


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", True),
        ("127.5.5.5", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("localhost.example.com", False),
    ],
)
def test_when_host_is_checked_then_only_loopback_addresses_pass(host, expected):
    assert is_loopback(host) is expected


def test_when_host_is_ipv6_loopback_then_url_brackets_it():
    try:
        server = EchoServer(host="::1").start()
    except OSError as error:
        pytest.skip(f"no IPv6 loopback on this machine: {error}")
    try:
        url = server.url
        status, _, answer = get(f"{url}/six")
    finally:
        server.stop()

    assert url == f"http://[::1]:{url.rsplit(':', 1)[1]}"
    assert (status, answer["path"]) == (200, "/six")


def test_when_context_exits_then_server_is_stopped_and_port_freed():
    with EchoServer() as server:
        assert server.running
        port = port_of(server)

    assert not server.running
    assert port_is_free(port)


def test_when_context_body_raises_then_server_still_stops():
    with pytest.raises(KeyError), EchoServer() as server:
        port = port_of(server)
        raise KeyError("boom")

    assert not server.running
    assert port_is_free(port)


def test_when_requests_arrive_concurrently_then_every_one_is_counted():
    with EchoServer() as server:
        workers = [
            threading.Thread(target=get, args=(f"{server.url}/{n}",)) for n in range(8)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=10)

    assert server.requests_served == 8


def test_when_subclass_builds_no_handler_then_it_cannot_be_created():
    with pytest.raises(TypeError, match="make_handler"):
        LoopbackServer()  # type: ignore[abstract]
