import json
import socket
import urllib.error
import urllib.request

import pytest

from toolkit.workbook.http_source import OrdersServer

RECORDS = [
    {"order_id": n, "ordered_at": f"2026-03-{1 + n % 5:02d}T10:00:00Z"}
    for n in range(23)
]


def get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.load(response)


def get_error(url: str) -> tuple[int, dict]:
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(url, timeout=5)
    return caught.value.code, json.load(caught.value)


@pytest.fixture
def server():
    with OrdersServer(RECORDS, default_page_size=5, max_page_size=10) as running:
        yield running


def test_when_following_next_links_then_every_record_arrives_once_in_order(server):
    url, received, pages = f"{server.url}/orders", [], 0
    while url:
        body = get(url)
        received.extend(body["data"])
        url, pages = body["next"], pages + 1
    assert received == RECORDS
    assert pages == 5


def test_when_page_is_last_then_next_is_null_and_page_is_partial(server):
    body = get(f"{server.url}/orders?page=5")
    assert body["next"] is None
    assert [r["order_id"] for r in body["data"]] == [20, 21, 22]
    assert body["total"] == 23


def test_when_page_is_past_the_end_then_data_is_empty(server):
    body = get(f"{server.url}/orders?page=9")
    assert body["data"] == [] and body["next"] is None


def test_when_page_size_exceeds_the_cap_then_it_is_clamped(server):
    body = get(f"{server.url}/orders?page_size=1000")
    assert body["page_size"] == 10 and len(body["data"]) == 10
    assert "page_size=10" in body["next"]


def test_when_since_is_given_then_only_later_orders_are_served(server):
    body = get(f"{server.url}/orders?since=2026-03-04&page_size=10")
    days = {record["ordered_at"][:10] for record in body["data"]}
    assert days <= {"2026-03-04", "2026-03-05"}
    assert body["total"] == sum(r["ordered_at"] >= "2026-03-04" for r in RECORDS)
    assert body["next"] is None or "since=2026-03-04" in body["next"]


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("page=0", "page"),
        ("page=abc", "page"),
        ("page_size=-3", "page_size"),
        ("since=March", "since"),
    ],
)
def test_when_a_parameter_is_malformed_then_400_names_it(server, query, named):
    status, body = get_error(f"{server.url}/orders?{query}")
    assert status == 400
    assert body["error"].startswith(named)


def test_when_path_is_unknown_then_404_suggests_the_endpoints(server):
    status, body = get_error(f"{server.url}/customers")
    assert status == 404 and "/orders" in body["error"]


def test_when_requests_are_served_then_they_are_counted(server):
    get(f"{server.url}/health")
    get(f"{server.url}/orders")
    assert server.requests_served == 2


def test_when_the_request_budget_is_spent_then_429_says_so():
    with OrdersServer(RECORDS, request_budget=2) as server:
        get(f"{server.url}/orders")
        get(f"{server.url}/orders?page=2")
        status, body = get_error(f"{server.url}/orders?page=3")
    assert status == 429 and "budget of 2" in body["error"]


def test_when_stopped_then_the_port_is_free_and_stop_is_repeatable():
    server = OrdersServer(RECORDS).start()
    port = int(server.url.rsplit(":", 1)[1])
    server.stop()
    server.stop()
    assert not server.running
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0


def test_when_not_started_then_url_explains_what_to_do():
    with pytest.raises(RuntimeError, match="start"):
        _ = OrdersServer(RECORDS).url


def test_when_page_sizes_disagree_then_value_error():
    with pytest.raises(ValueError, match="page_size"):
        OrdersServer(RECORDS, default_page_size=50, max_page_size=10)
