"""A tiny HTTP model server on loopback, started and stopped from a notebook.

It is the smallest honest version of "deploy a model behind an endpoint": a
:class:`~toolkit.workbook.loopback.LoopbackServer` (a standard-library
``ThreadingHTTPServer``) bound to ``127.0.0.1`` on a port the operating system
picks, serving from a background thread:

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

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import Any

from toolkit.workbook.loopback import LOOPBACK_HOST, JSONRequestHandler, LoopbackServer

log = logging.getLogger(__name__)

Record = dict[str, Any]
PredictFunction = Callable[[list[Record]], Sequence[Any]]

MAX_BODY_BYTES = 1_000_000


class ModelServer(LoopbackServer):
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
        host: str = LOOPBACK_HOST,
        port: int = 0,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(host, port)
        self.name = f"model {model_version}"
        self.predict = predict
        self.model_version = model_version
        self.metadata = dict(metadata or {})

    def make_handler(self) -> type[BaseHTTPRequestHandler]:
        """Build the handler that answers ``/health`` and ``/predict``."""
        return _make_handler(self)

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

        self.count_request()
        return HTTPStatus.OK, {
            "model_version": self.model_version,
            "predictions": predictions,
        }


def _client_error(message: str) -> tuple[HTTPStatus, dict[str, Any]]:
    return HTTPStatus.BAD_REQUEST, {"error": message}


def _make_handler(server: ModelServer) -> type[BaseHTTPRequestHandler]:
    """Build a request handler class bound to one :class:`ModelServer`."""

    class ModelRequestHandler(JSONRequestHandler):
        server_version = "WorkbookModelServer/1"

        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            if self.path.rstrip("/") == "/health":
                self.send_json(HTTPStatus.OK, server.health())
            else:
                self.send_json(HTTPStatus.NOT_FOUND, {"error": f"no route {self.path}"})

        def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
            if self.path.rstrip("/") != "/predict":
                self.send_json(HTTPStatus.NOT_FOUND, {"error": f"no route {self.path}"})
                return
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY_BYTES:
                self.send_json(
                    HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                    {"error": f"body over {MAX_BODY_BYTES} bytes"},
                )
                return
            status, document = server.answer_predict(self.rfile.read(length))
            self.send_json(status, document)

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
