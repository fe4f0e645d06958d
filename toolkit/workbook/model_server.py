"""A tiny HTTP model server on loopback, started and stopped from a notebook.

It is the smallest honest version of "deploy a model behind an endpoint": a
standard-library ``ThreadingHTTPServer`` bound to ``127.0.0.1`` on a port the
operating system picks, serving from a background thread:

* ``GET /health`` answers ``{"status": "ok", "model_version": ...}``, what a load
  balancer or an orchestrator probes before sending traffic.
* ``POST /predict`` takes ``{"instances": [{column: value, ...}, ...]}``, calls the
  ``predict`` function it was given with that list of records, and answers
  ``{"model_version": ..., "predictions": [...]}``. Every answer names the model
  version, so a caller (and a log) always knows which model produced it.

Errors come back as JSON too: 400 when the body is not JSON, has no list of
instances, or ``predict`` raises ``ValueError`` or ``KeyError`` (bad input); 404
for another path; 413 for a body over the size limit; 500 when ``predict`` fails in
another way (the message stays in the server's log, not in the answer).

Example::

    with ModelServer(predict, model_version="1.0.0") as server:
        answer = post_json(f"{server.url}/predict", {"instances": rows})

It is a teaching server: one process, no authentication, no TLS, and it only binds
loopback addresses. Production serving adds those (and a proper WSGI/ASGI server).
"""

from __future__ import annotations

import ipaddress
import json
import logging
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from toolkit.errors import explain

log = logging.getLogger(__name__)

Record = dict[str, Any]
PredictFunction = Callable[[list[Record]], Sequence[Any]]

MAX_BODY_BYTES = 1_000_000


class ModelServer:
    """Serve a predict function over HTTP on loopback, in a background thread.

    Args:
        predict: Takes a list of records (dicts), returns one prediction per record;
            each prediction must be JSON-serialisable.
        model_version: Echoed in every answer.
        host: A loopback address; anything else is refused.
        port: 0 lets the operating system pick a free port (see :attr:`url`).
        metadata: Extra JSON-serialisable facts ``/health`` reports.
    """

    def __init__(
        self,
        predict: PredictFunction,
        model_version: str,
        host: str = "127.0.0.1",
        port: int = 0,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        if not _is_loopback(host):
            raise ValueError(
                explain(
                    f"host {host!r}",
                    "a loopback address: the workbook never exposes a model",
                    "host='127.0.0.1'",
                )
            )
        self.predict = predict
        self.model_version = model_version
        self.host = host
        self.port = port
        self.metadata = dict(metadata or {})
        self.requests_served = 0
        self._counter_lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The base URL, e.g. ``http://127.0.0.1:54321``, once started."""
        if self._httpd is None:
            raise RuntimeError("the server is not running; call start() first")
        return f"http://{self.host}:{self._httpd.server_port}"

    @property
    def running(self) -> bool:
        """Whether the server is accepting requests."""
        return self._httpd is not None

    def start(self) -> ModelServer:
        """Bind the port and serve from a daemon thread; return ``self``."""
        if self._httpd is not None:
            return self
        handler = _make_handler(self)
        self._httpd = ThreadingHTTPServer((self.host, self.port), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"model-server-{self.model_version}",
            daemon=True,
        )
        self._thread.start()
        log.info("serving model %s at %s", self.model_version, self.url)
        return self

    def stop(self) -> None:
        """Stop serving and release the port; safe to call twice."""
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        log.info("stopped model %s", self.model_version)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> ModelServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def health(self) -> dict[str, Any]:
        """The document ``GET /health`` answers."""
        return {
            "status": "ok",
            "model_version": self.model_version,
            "requests_served": self.requests_served,
            **self.metadata,
        }

    def answer_predict(self, body: bytes) -> tuple[HTTPStatus, dict[str, Any]]:
        """Turn a ``/predict`` request body into a status and a JSON document."""
        try:
            document = json.loads(body or b"null")
        except json.JSONDecodeError as error:
            return _client_error(f"the body is not JSON ({error.msg})")
        except UnicodeDecodeError:
            return _client_error("the body is not JSON (not UTF-8 text)")

        instances = document.get("instances") if isinstance(document, dict) else None
        if not isinstance(instances, list) or not all(
            isinstance(instance, dict) for instance in instances
        ):
            return _client_error('expected {"instances": [{column: value, ...}, ...]}')

        try:
            predictions = list(self.predict(instances))
        except (ValueError, KeyError) as error:
            return _client_error(f"the model refused the input: {error}")
        except Exception:
            log.exception("predict failed for model %s", self.model_version)
            return HTTPStatus.INTERNAL_SERVER_ERROR, {
                "error": "the model failed; see the server log",
                "model_version": self.model_version,
            }

        with self._counter_lock:
            self.requests_served += 1
        return HTTPStatus.OK, {
            "model_version": self.model_version,
            "predictions": predictions,
        }


def _client_error(message: str) -> tuple[HTTPStatus, dict[str, Any]]:
    return HTTPStatus.BAD_REQUEST, {"error": message}


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _make_handler(server: ModelServer) -> type[BaseHTTPRequestHandler]:
    """Build a request handler class bound to one :class:`ModelServer`."""

    class ModelRequestHandler(BaseHTTPRequestHandler):
        server_version = "WorkbookModelServer/1"

        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            if self.path.rstrip("/") == "/health":
                self._send(HTTPStatus.OK, server.health())
            else:
                self._send(HTTPStatus.NOT_FOUND, {"error": f"no route {self.path}"})

        def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
            if self.path.rstrip("/") != "/predict":
                self._send(HTTPStatus.NOT_FOUND, {"error": f"no route {self.path}"})
                return
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY_BYTES:
                self._send(
                    HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                    {"error": f"body over {MAX_BODY_BYTES} bytes"},
                )
                return
            status, document = server.answer_predict(self.rfile.read(length))
            self._send(status, document)

        def _send(self, status: HTTPStatus, document: dict[str, Any]) -> None:
            payload = json.dumps(document, default=str).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            log.debug("%s - " + format, self.address_string(), *args)

    return ModelRequestHandler


def _loopback_opener() -> urllib.request.OpenerDirector:
    """An opener that ignores proxy settings: loopback never goes through a proxy."""
    return urllib.request.build_opener(urllib.request.ProxyHandler({}))


def get_json(url: str, timeout: float = 5.0) -> tuple[int, dict[str, Any]]:
    """GET ``url``; return the status code and the decoded JSON answer."""
    request = urllib.request.Request(url, method="GET")
    return _exchange(request, timeout)


def post_json(
    url: str, document: Any, timeout: float = 5.0
) -> tuple[int, dict[str, Any]]:
    """POST ``document`` as JSON to ``url``; return the status and the JSON answer.

    Error statuses (4xx, 5xx) are returned, not raised, so a caller can show them.
    """
    body = json.dumps(document, default=str).encode("utf-8")
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/json"}
    )
    return _exchange(request, timeout)


def _exchange(
    request: urllib.request.Request, timeout: float
) -> tuple[int, dict[str, Any]]:
    try:
        with _loopback_opener().open(request, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")
