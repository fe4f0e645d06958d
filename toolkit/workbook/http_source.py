"""A small JSON API on loopback that serves order records one page at a time.

Notebooks use it as the "API" source of an extract step without touching the
network. It is a :class:`~toolkit.workbook.loopback.LoopbackServer`, a
standard-library HTTP server running in a background thread:

1. ``OrdersServer(records)`` holds the records; ``start()`` binds
   ``127.0.0.1`` on a free port (the operating system picks it) and serves in a
   daemon thread; ``url`` is then e.g. ``http://127.0.0.1:53817``.
2. ``GET /orders?page=1&page_size=100`` answers with one page::

       {"data": [...], "page": 1, "page_size": 100, "total": 2031,
        "next": "http://127.0.0.1:53817/orders?page=2&page_size=100"}

   Pages count from 1. ``page_size`` defaults to ``default_page_size`` and is
   clamped to ``max_page_size``, as real APIs do, so a client must follow ``next``
   (``null`` on the last page) instead of asking for everything at once.
   ``since=YYYY-MM-DD`` keeps records whose ``ordered_at`` is on or after that day,
   for incremental extracts.
3. ``GET /health`` answers ``{"status": "ok"}``. A malformed parameter gets a 400
   and an unknown path a 404, both with a JSON ``error`` message. With a
   ``request_budget``, every request past the budget gets a 429 (too many
   requests), as a rate-limited API answers a client stuck in a loop.
4. ``stop()`` shuts the server down and frees the port; the class is also a
   context manager.

Example::

    with OrdersServer(make_orders(500, seed=7)) as server:
        first_page = json.load(urllib.request.urlopen(f"{server.url}/orders"))
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from toolkit.workbook.loopback import JSONRequestHandler, LoopbackServer


class _BadRequest(ValueError):
    """A query parameter the API cannot use (answered with a 400)."""


class OrdersServer(LoopbackServer):
    """Serve ``records`` as a paginated JSON API on ``127.0.0.1``.

    Args:
        records: JSON-ready dicts, served in the order given.
        default_page_size: Records per page when the client does not ask.
        max_page_size: The most records one page holds, whatever the client asks.
        request_budget: How many requests are answered before every further one
            gets a 429; ``None`` for no limit.
    """

    name = "orders API"

    def __init__(
        self,
        records: Sequence[dict[str, Any]],
        default_page_size: int = 100,
        max_page_size: int = 500,
        request_budget: int | None = None,
    ) -> None:
        if not 1 <= default_page_size <= max_page_size:
            raise ValueError(
                "need 1 <= default_page_size <= max_page_size, got "
                f"{default_page_size} and {max_page_size}"
            )
        super().__init__()
        self.records = list(records)
        self.default_page_size = default_page_size
        self.max_page_size = max_page_size
        self.request_budget = request_budget

    def make_handler(self) -> type[BaseHTTPRequestHandler]:
        """Build the handler that answers ``/orders`` and ``/health``."""
        return _make_handler(self)

    def page(self, query: dict[str, list[str]]) -> dict[str, Any]:
        """Answer one ``/orders`` request given its parsed query string.

        Raises:
            ValueError: for a page or page size that is not a positive integer, or
                a ``since`` that is not a date; the server answers it with a 400.
        """
        page = _positive_int(query, "page", 1)
        page_size = min(
            _positive_int(query, "page_size", self.default_page_size),
            self.max_page_size,
        )
        since = _date_or_none(query, "since")

        selected = self.records
        if since is not None:
            selected = [r for r in selected if str(r["ordered_at"])[:10] >= since]

        first = (page - 1) * page_size
        data = selected[first : first + page_size]
        has_more = first + page_size < len(selected)
        next_url = None
        if has_more:
            params: dict[str, Any] = {"page": page + 1, "page_size": page_size}
            if since is not None:
                params["since"] = since
            next_url = f"{self.url}/orders?{urlencode(params)}"
        return {
            "data": data,
            "page": page,
            "page_size": page_size,
            "total": len(selected),
            "next": next_url,
        }

    def _count_request(self) -> bool:
        """Count a request; return whether it is within the budget."""
        served = self.count_request()
        return self.request_budget is None or served <= self.request_budget


def _positive_int(query: dict[str, list[str]], name: str, default: int) -> int:
    values = query.get(name)
    if not values:
        return default
    text = values[-1]
    if not text.isdigit() or int(text) < 1:
        raise _BadRequest(f"{name} must be a positive integer, got {text!r}")
    return int(text)


def _date_or_none(query: dict[str, list[str]], name: str) -> str | None:
    values = query.get(name)
    if not values:
        return None
    try:
        return date.fromisoformat(values[-1]).isoformat()
    except ValueError:
        raise _BadRequest(
            f"{name} must be a date like 2026-03-01, got {values[-1]!r}"
        ) from None


def _make_handler(server: OrdersServer) -> type[BaseHTTPRequestHandler]:
    class OrdersHandler(JSONRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - name required by http.server
            if not server._count_request():
                self.send_json(
                    HTTPStatus.TOO_MANY_REQUESTS,
                    {"error": f"request budget of {server.request_budget} spent"},
                )
                return
            parts = urlsplit(self.path)
            if parts.path == "/health":
                self.send_json(HTTPStatus.OK, {"status": "ok"})
                return
            if parts.path != "/orders":
                self.send_json(
                    HTTPStatus.NOT_FOUND,
                    {"error": f"no endpoint {parts.path!r}; try /orders or /health"},
                )
                return
            try:
                body = server.page(parse_qs(parts.query))
            except _BadRequest as error:
                self.send_json(HTTPStatus.BAD_REQUEST, {"error": str(error)})
                return
            self.send_json(HTTPStatus.OK, body)

    return OrdersHandler
