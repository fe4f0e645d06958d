"""Seeded synthetic shop data: orders, customers, products and countries.

The notebooks extract, clean and load this data, so it carries the faults real
sources carry, each on purpose and each reproducible from the seed:

1. **Re-sent orders.** About 3 % of orders appear twice: a stale version (status
   ``pending``, an earlier ``updated_at``) and the current one. The two versions come
   in either order, so "keep the last row" is only right after sorting by
   ``updated_at``.
2. **Exact duplicates.** About 1 % of records are sent twice, byte for byte (a
   retried page).
3. **Missing amounts.** About 2 % of orders have ``amount`` set to ``None``.
4. **Text where numbers belong.** ``amount`` is a decimal string such as
   ``"59.80"``, as many APIs send money to avoid floating-point rounding.
5. **Messy codes.** About 10 % of country codes come lower-case or padded with
   spaces (``" de"``, ``"fr "``).

Orders are spread over ``days`` days from ``start`` (UTC timestamps ending in
``Z``); ``order_id`` grows with ``ordered_at``. Customers carry no names or contact
details: nothing here is personal data.

Example::

    orders = make_orders(n_orders=1_000, seed=7)
    customers = make_customers(n_customers=200, seed=7)
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

DEFAULT_START = date(2026, 3, 1)
DEFAULT_DAYS = 14
FIRST_ORDER_ID = 100_001

COUNTRIES: dict[str, dict[str, str]] = {
    "DE": {"name": "Germany", "region": "Central Europe"},
    "PL": {"name": "Poland", "region": "Central Europe"},
    "FR": {"name": "France", "region": "Western Europe"},
    "NL": {"name": "Netherlands", "region": "Western Europe"},
    "ES": {"name": "Spain", "region": "Southern Europe"},
    "IT": {"name": "Italy", "region": "Southern Europe"},
    "SE": {"name": "Sweden", "region": "Northern Europe"},
    "DK": {"name": "Denmark", "region": "Northern Europe"},
}
COUNTRY_WEIGHTS = (30, 8, 20, 10, 10, 12, 6, 4)

SEGMENTS = ("consumer", "small business", "enterprise")
SEGMENT_WEIGHTS = (70, 22, 8)

STATUSES = ("delivered", "shipped", "pending", "cancelled")
STATUS_WEIGHTS = (60, 20, 12, 8)

# category -> (product name, unit price in EUR)
CATALOG: dict[str, tuple[tuple[str, float], ...]] = {
    "footwear": (("Trail shoe", 119.0), ("City sneaker", 79.5), ("Rain boot", 54.0)),
    "outerwear": (("Shell jacket", 189.0), ("Down vest", 99.0), ("Rain poncho", 24.9)),
    "camping": (("Two-person tent", 249.0), ("Sleeping bag", 129.0), ("Stove", 45.5)),
    "accessories": (("Cap", 19.9), ("Wool socks", 14.5), ("Headlamp", 34.0)),
    "bags": (("Day pack", 69.0), ("Duffel", 89.0), ("Hip pack", 29.9)),
}

STALE_VERSION_RATE = 0.03
EXACT_DUPLICATE_RATE = 0.01
MISSING_AMOUNT_RATE = 0.02
MESSY_COUNTRY_RATE = 0.10


def make_products() -> list[dict[str, Any]]:
    """Return the product catalog: ``product_id``, ``name``, ``category``, price."""
    products = []
    number = 1
    for category, items in CATALOG.items():
        for name, unit_price in items:
            products.append(
                {
                    "product_id": f"P{number:03d}",
                    "name": name,
                    "category": category,
                    "unit_price": unit_price,
                }
            )
            number += 1
    return products


def make_customers(
    n_customers: int, seed: int, start: date = DEFAULT_START
) -> list[dict[str, Any]]:
    """Return customers with a segment, a country code and a sign-up date.

    Args:
        n_customers: How many customers (ids ``1..n_customers``).
        seed: Seed of the random generator; same seed, same customers.
        start: The first order day; everyone signed up in the two years before it.
    """
    if n_customers < 1:
        raise ValueError(f"n_customers must be at least 1, got {n_customers}")
    rng = random.Random(f"customers-{seed}")
    codes = list(COUNTRIES)

    customers = []
    for customer_id in range(1, n_customers + 1):
        signed_up = start - timedelta(days=rng.randint(1, 730))
        customers.append(
            {
                "customer_id": customer_id,
                "segment": rng.choices(SEGMENTS, SEGMENT_WEIGHTS)[0],
                "country": rng.choices(codes, COUNTRY_WEIGHTS)[0],
                "signup_date": signed_up.isoformat(),
            }
        )
    return customers


def default_customer_count(n_orders: int) -> int:
    """Return a customer count that gives each customer a handful of orders."""
    return max(20, n_orders // 8)


def make_orders(
    n_orders: int,
    seed: int,
    start: date = DEFAULT_START,
    days: int = DEFAULT_DAYS,
    n_customers: int | None = None,
) -> list[dict[str, Any]]:
    """Return order records as an API would send them, faults included.

    Args:
        n_orders: How many distinct orders; the list is a little longer because of
            re-sent and duplicated records.
        seed: Seed of the random generator; same arguments, same records.
        start: The first day of orders (UTC).
        days: How many days the orders span.
        n_customers: Customer ids are drawn from ``1..n_customers``; default
            :func:`default_customer_count`. Pass the same value to
            :func:`make_customers` so every order has its customer.

    Returns:
        JSON-ready dicts with ``order_id``, ``customer_id``, ``product_id``,
        ``ordered_at``, ``updated_at``, ``status``, ``amount`` (a decimal string or
        ``None``) and ``country``.
    """
    if n_orders < 0:
        raise ValueError(f"n_orders must be 0 or more, got {n_orders}")
    if days < 1:
        raise ValueError(f"days must be at least 1, got {days}")
    n_customers = n_customers or default_customer_count(n_orders)
    rng = random.Random(f"orders-{seed}")
    customers = make_customers(n_customers, seed, start)
    products = make_products()
    first_moment = datetime(start.year, start.month, start.day, tzinfo=UTC)
    span_seconds = days * 24 * 3600

    # Step 1: one clean record per order, ids growing with time.
    moments = sorted(rng.randrange(span_seconds) for _ in range(n_orders))
    clean: list[dict[str, Any]] = []
    for offset, seconds in enumerate(moments):
        customer = customers[rng.randrange(n_customers)]
        product = products[rng.randrange(len(products))]
        quantity = rng.choices((1, 2, 3, 4), (70, 20, 7, 3))[0]
        discount = rng.choice((1.0, 1.0, 1.0, 0.9, 0.8))
        ordered_at = first_moment + timedelta(seconds=seconds)
        updated_at = ordered_at + timedelta(minutes=rng.randint(1, 48 * 60))
        clean.append(
            {
                "order_id": FIRST_ORDER_ID + offset,
                "customer_id": customer["customer_id"],
                "product_id": product["product_id"],
                "ordered_at": _iso(ordered_at),
                "updated_at": _iso(updated_at),
                "status": rng.choices(STATUSES, STATUS_WEIGHTS)[0],
                "amount": f"{product['unit_price'] * quantity * discount:.2f}",
                "country": customer["country"],
            }
        )

    # Step 2: damage some records the way real feeds do.
    for record in clean:
        if rng.random() < MISSING_AMOUNT_RATE:
            record["amount"] = None
        if rng.random() < MESSY_COUNTRY_RATE:
            record["country"] = _mess_up(record["country"], rng)

    # Step 3: interleave stale versions and exact duplicates.
    records: list[dict[str, Any]] = []
    for record in clean:
        versions = [record]
        if rng.random() < STALE_VERSION_RATE:
            stale = dict(record, status="pending", updated_at=record["ordered_at"])
            versions.append(stale)
            rng.shuffle(versions)
        if rng.random() < EXACT_DUPLICATE_RATE:
            versions.append(dict(versions[-1]))
        records.extend(versions)
    return records


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _mess_up(code: str, rng: random.Random) -> str:
    return rng.choice((code.lower(), f" {code}", f"{code} ", f" {code.lower()}"))
