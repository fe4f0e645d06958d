"""The lifecycle the workbook's small HTTP servers share, on loopback only.

The orders API (:mod:`toolkit.workbook.http_source`) and the model server
(:mod:`toolkit.workbook.model_server`) answer different routes but start, serve
and stop the same way, which lives here:

1. The constructor refuses a host that is not a loopback address (``127.0.0.1``,
   ``::1``, ``localhost``): a workbook server never listens beyond this machine.
2. ``start()`` binds ``(host, port)``; port 0 lets the operating system pick a
   free one. A standard-library ``ThreadingHTTPServer`` answers each request in a
   daemon thread and ``serve_forever`` runs in another daemon thread, polling for
   shutdown every 50 ms, so a notebook cell returns at once and a forgotten
   server never keeps Python alive. Starting a running server does nothing.
3. ``url`` is then e.g. ``http://127.0.0.1:53817`` (``http://[::1]:53817`` for
   IPv6); before ``start()`` it raises, since there is no port yet.
4. ``stop()`` shuts the server down, joins its thread and frees the port; stopping
   twice is harmless. The class is also a context manager.

A subclass names itself (``name``, used in logs and the thread name) and builds
its request handler in :meth:`LoopbackServer.make_handler`, usually a subclass of
:class:`JSONRequestHandler`, which writes JSON answers and sends the standard
library's per-request log lines to this module's logger at DEBUG level.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import socket
import threading
from abc import ABC, abstractmethod
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self

from toolkit.errors import explain

log = logging.getLogger(__name__)

LOOPBACK_HOST = "127.0.0.1"
POLL_INTERVAL_SECONDS = 0.05


def is_loopback(host: str) -> bool:
    """Whether ``host`` is ``localhost`` or a loopback IP address."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class JSONRequestHandler(BaseHTTPRequestHandler):
    """A request handler that answers in JSON and logs at DEBUG level."""

    def send_json(self, status: HTTPStatus, document: dict[str, Any]) -> None:
        """Answer with ``status`` and ``document`` as a JSON body.

        Values JSON cannot represent (dates, decimals) are written as strings.
        """
        payload = json.dumps(document, default=str).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Send the standard library's request log line to DEBUG."""
        log.debug("%s - " + format, self.address_string(), *args)


class _IPv6ThreadingHTTPServer(ThreadingHTTPServer):
    address_family = socket.AF_INET6


class LoopbackServer(ABC):
    """Serve HTTP on a loopback address from a background thread.

    Args:
        host: A loopback address; anything else is refused with ``ValueError``.
        port: 0 lets the operating system pick a free port (see :attr:`url`).
    """

    name = "loopback server"

    def __init__(self, host: str = LOOPBACK_HOST, port: int = 0) -> None:
        if not is_loopback(host):
            raise ValueError(
                explain(
                    f"host {host!r}",
                    "a loopback address: workbook servers never leave this machine",
                    f"host={LOOPBACK_HOST!r}",
                )
            )
        self.host = host
        self.port = port
        self.requests_served = 0
        self._counter_lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @abstractmethod
    def make_handler(self) -> type[BaseHTTPRequestHandler]:
        """Build the request handler class that answers for this server."""

    @property
    def url(self) -> str:
        """The base URL, e.g. ``http://127.0.0.1:53817``, once started."""
        if self._httpd is None:
            raise RuntimeError("the server is not running; call start() first")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self._httpd.server_port}"

    @property
    def running(self) -> bool:
        """Whether the server is accepting requests."""
        return self._httpd is not None

    def start(self) -> Self:
        """Bind the port and serve from a daemon thread; return ``self``."""
        if self._httpd is not None:
            return self

        server_class = (
            _IPv6ThreadingHTTPServer if ":" in self.host else ThreadingHTTPServer
        )
        self._httpd = server_class((self.host, self.port), self.make_handler())
        self._httpd.daemon_threads = True

        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": POLL_INTERVAL_SECONDS},
            name=f"{self.name} on port {self._httpd.server_port}",
            daemon=True,
        )
        self._thread.start()
        log.info("%s serving at %s", self.name, self.url)
        return self

    def stop(self) -> None:
        """Stop serving and free the port; stopping twice is harmless."""
        if self._httpd is None:
            return

        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

        log.info("%s stopped after %d requests", self.name, self.requests_served)
        self._httpd = None
        self._thread = None

    def count_request(self) -> int:
        """Add one to :attr:`requests_served` (thread-safe); return the new count."""
        with self._counter_lock:
            self.requests_served += 1
            return self.requests_served

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
