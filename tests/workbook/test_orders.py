from collections import Counter

import pytest

from toolkit.workbook.orders import (
    COUNTRIES,
    make_customers,
    make_orders,
    make_products,
)


@pytest.fixture(scope="module")
def orders() -> list[dict]:
    return make_orders(n_orders=5_000, seed=11)


def test_when_seed_repeats_then_records_are_identical():
    assert make_orders(300, seed=3) == make_orders(300, seed=3)


def test_when_seed_changes_then_records_differ():
    assert make_orders(300, seed=3) != make_orders(300, seed=4)


def test_when_generated_then_each_order_id_appears_at_least_once(orders):
    ids = {record["order_id"] for record in orders}
    assert ids == set(range(100_001, 100_001 + 5_000))


def test_when_generated_then_some_orders_come_in_two_versions(orders):
    versions = Counter(
        (record["order_id"], record["updated_at"], record["status"])
        for record in orders
    )
    ids_with_versions = Counter(order_id for order_id, _, _ in versions)
    re_sent = [order_id for order_id, count in ids_with_versions.items() if count > 1]
    assert 0.01 * 5_000 < len(re_sent) < 0.06 * 5_000


def test_when_generated_then_stale_versions_are_older_and_pending(orders):
    by_id: dict[int, list[dict]] = {}
    for record in orders:
        by_id.setdefault(record["order_id"], []).append(record)
    for versions in by_id.values():
        distinct = {(r["updated_at"], r["status"]) for r in versions}
        if len(distinct) == 2:
            oldest = min(distinct)
            assert oldest[1] == "pending"


def test_when_generated_then_stale_versions_come_both_before_and_after(orders):
    positions = {"stale first": 0, "stale last": 0}
    previous = None
    for record in orders:
        if previous and previous["order_id"] == record["order_id"]:
            if previous["updated_at"] < record["updated_at"]:
                positions["stale first"] += 1
            elif previous["updated_at"] > record["updated_at"]:
                positions["stale last"] += 1
        previous = record
    assert positions["stale first"] > 0 and positions["stale last"] > 0


def test_when_generated_then_exact_duplicates_exist(orders):
    rows = Counter(tuple(sorted(record.items())) for record in orders)
    assert any(count > 1 for count in rows.values())


def test_when_generated_then_amounts_are_decimal_strings_or_missing(orders):
    amounts = [record["amount"] for record in orders]
    missing = sum(amount is None for amount in amounts)
    assert 0 < missing < 0.05 * len(amounts)
    for amount in amounts:
        if amount is not None:
            assert isinstance(amount, str)
            assert float(amount) > 0 and len(amount.split(".")[1]) == 2


def test_when_generated_then_messy_country_codes_clean_to_known_codes(orders):
    codes = {record["country"] for record in orders}
    assert codes - set(COUNTRIES), "expected some messy codes"
    assert {code.strip().upper() for code in codes} <= set(COUNTRIES)


def test_when_generated_then_order_ids_grow_with_time(orders):
    first_seen: dict[int, str] = {}
    for record in orders:
        first_seen.setdefault(record["order_id"], record["ordered_at"])
    moments = [first_seen[order_id] for order_id in sorted(first_seen)]
    assert moments == sorted(moments)
    assert moments[0] >= "2026-03-01" and moments[-1] < "2026-03-15"


def test_when_customer_count_is_shared_then_every_order_has_its_customer():
    customers = make_customers(50, seed=5)
    orders = make_orders(400, seed=5, n_customers=50)
    known = {customer["customer_id"] for customer in customers}
    assert {record["customer_id"] for record in orders} <= known


def test_when_products_are_listed_then_ids_are_unique_and_priced():
    products = make_products()
    assert len({product["product_id"] for product in products}) == len(products)
    assert all(product["unit_price"] > 0 for product in products)


def test_when_no_orders_are_asked_then_list_is_empty():
    assert make_orders(0, seed=1) == []


def test_when_order_count_is_negative_then_value_error_names_it():
    with pytest.raises(ValueError, match="n_orders"):
        make_orders(-1, seed=1)
