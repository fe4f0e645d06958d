"""Exercises of notebook 02, Data Engineering Pipelines.

* 02.1 follow an API's ``next`` links until every order is fetched;
* 02.2 keep the latest version of each order, drop what does not count, sum by
  country;
* 02.3 load daily figures into a warehouse table so that a rerun changes nothing;
* 02.4 write the ELT version of a summary as SQL run inside the warehouse (DuckDB);
* 02.5 decide whether a cron expression fires at a given minute.

Every verifier runs the learner's code on several small inputs, edge cases included
(a last page that is not full, an order sent twice in either order, a day that
disappears from a reload, cron's day rule), and never reads the code's text.
pandas and DuckDB are imported inside the functions so that listing exercises stays
quick.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from toolkit.exercises.core import Exercise, Mismatch
from toolkit.workbook.cron import CronSchedule
from toolkit.workbook.http_source import OrdersServer
from toolkit.workbook.orders import make_customers, make_orders

if TYPE_CHECKING:
    import pandas as pd

ORDER_COLUMNS = (
    "order_id",
    "customer_id",
    "product_id",
    "ordered_at",
    "updated_at",
    "status",
    "amount",
    "country",
)

# A handful of orders with every fault of the real feed, small enough to reason
# about by hand. Order 2 was cancelled; its stale "pending" version comes *after*
# the current one. Order 3 was sent twice. Order 4 has no amount. Order 6's stale
# version comes first.
HAND_ORDERS: tuple[tuple[Any, ...], ...] = (
    (1, 1, "P001", "2026-03-01T10:00:00Z", "2026-03-01T12:00:00Z", "delivered",
     "100.00", "DE"),
    (2, 2, "P002", "2026-03-01T09:00:00Z", "2026-03-01T11:00:00Z", "cancelled",
     "50.00", "DE"),
    (2, 2, "P002", "2026-03-01T09:00:00Z", "2026-03-01T09:00:00Z", "pending",
     "50.00", "DE"),
    (3, 3, "P003", "2026-03-02T08:30:00Z", "2026-03-02T09:00:00Z", "delivered",
     "20.50", " de"),
    (3, 3, "P003", "2026-03-02T08:30:00Z", "2026-03-02T09:00:00Z", "delivered",
     "20.50", " de"),
    (4, 1, "P004", "2026-03-02T13:00:00Z", "2026-03-02T15:00:00Z", "shipped",
     None, "FR"),
    (5, 4, "P001", "2026-03-03T07:45:00Z", "2026-03-03T08:00:00Z", "delivered",
     "30.25", "fr "),
    (6, 2, "P005", "2026-03-03T16:00:00Z", "2026-03-03T16:00:00Z", "pending",
     "10.00", "IT"),
    (6, 2, "P005", "2026-03-03T16:00:00Z", "2026-03-03T18:30:00Z", "delivered",
     "10.00", "IT"),
)  # fmt: skip
HAND_CUSTOMERS: tuple[tuple[int, str], ...] = (
    (1, "consumer"),
    (2, "enterprise"),
    (3, "consumer"),
    (4, "small business"),
)


def _require_callable(answer: Any, what: str) -> None:
    if not callable(answer):
        raise Mismatch(problem=f"expected {what}, got {type(answer).__name__}")


def _hand_orders() -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(list(HAND_ORDERS), columns=list(ORDER_COLUMNS))


def _generated_orders(seed: int, n_orders: int = 300) -> pd.DataFrame:
    import pandas as pd

    records = make_orders(n_orders, seed=seed, n_customers=40)
    return pd.DataFrame(records, columns=list(ORDER_COLUMNS))


def _rows(frame: pd.DataFrame, money_column: str) -> list[tuple[Any, ...]]:
    """Return a frame's rows as tuples, money rounded to cents, numbers as int."""
    rows = []
    for row in frame.itertuples(index=False):
        values = []
        for name, value in zip(frame.columns, row, strict=True):
            if name == money_column:
                values.append(round(float(value), 2))
            elif hasattr(value, "item"):
                values.append(value.item())
            else:
                values.append(value)
        rows.append(tuple(values))
    return rows


def _compare_tables(
    case: str,
    expected: pd.DataFrame,
    actual: Any,
    money_column: str,
) -> None:
    """Raise Mismatch naming the first difference between two result tables."""
    import pandas as pd

    if not isinstance(actual, pd.DataFrame):
        raise Mismatch(
            problem=f"{case}: expected a pandas DataFrame, got {type(actual).__name__}"
        )
    if list(actual.columns) != list(expected.columns):
        raise Mismatch(
            expected=list(expected.columns),
            actual=list(actual.columns),
            problem=f"{case}: the columns should be {list(expected.columns)}, "
            f"got {list(actual.columns)}",
        )
    want, got = _rows(expected, money_column), _rows(actual, money_column)
    if want == got:
        return
    if sorted(want, key=repr) == sorted(got, key=repr):
        raise Mismatch(
            problem=f"{case}: the rows are right but in the wrong order; sort by "
            f"{money_column} from highest to lowest. Expected {want}"
        )
    advice = ""
    if "orders" in expected.columns and "orders" in actual.columns:
        want_total, got_total = (
            int(expected["orders"].sum()),
            int(actual["orders"].sum()),
        )
        if got_total > want_total:
            advice = (
                f" ({got_total} orders counted instead of {want_total}: is each order "
                "counted once, in its latest version?)"
            )
    raise Mismatch(
        expected=want, actual=got, problem=f"{case}: expected {want}, got {got}{advice}"
    )


# 02.1 · Page through an API ----------------------------------------------------


def _small_records(count: int) -> list[dict[str, Any]]:
    return [
        {"order_id": 500 + number, "amount": f"{number * 1.5:.2f}"}
        for number in range(count)
    ]


def _verify_page_through(fetch_all_orders: Any) -> None:
    _require_callable(fetch_all_orders, "a function fetch_all_orders(base_url)")

    for count in (37, 40, 0):
        records = _small_records(count)
        server = OrdersServer(
            records, default_page_size=10, max_page_size=10, request_budget=60
        )
        with server:
            got = fetch_all_orders(server.url)
        where = f"with {count} orders served 10 per page"

        if not isinstance(got, list):
            raise Mismatch(
                problem=f"{where}: expected a list, got {type(got).__name__}"
            )
        if got == records:
            continue
        got_ids = [r.get("order_id") if isinstance(r, dict) else r for r in got]
        want_ids = [r["order_id"] for r in records]
        missing = [order_id for order_id in want_ids if order_id not in got_ids]
        if len(got) == 10 and count > 10:
            detail = "only the first page arrived: follow the 'next' link"
        elif missing and missing == want_ids[: len(missing)]:
            detail = f"the first {len(missing)} orders are missing"
        elif missing and missing == want_ids[-len(missing) :]:
            detail = f"the last {len(missing)} orders are missing (the last page)"
        elif len(got) > len(records):
            detail = "some orders arrived more than once"
        else:
            detail = f"orders {missing[:5]} are missing"
        raise Mismatch(
            problem=f"{where}: got {len(got)} records, expected {count}; {detail}"
        )


def _reference_page_through() -> Any:
    import json
    import urllib.request

    def fetch_all_orders(base_url: str) -> list[dict[str, Any]]:
        orders: list[dict[str, Any]] = []
        url: str | None = f"{base_url}/orders"
        while url:  # the last page says "next": null
            with urllib.request.urlopen(url, timeout=10) as response:
                page = json.load(response)
            orders.extend(page["data"])
            url = page["next"]
        return orders

    return fetch_all_orders


def _get_json(url: str) -> dict[str, Any]:
    import json
    import urllib.request

    with urllib.request.urlopen(url, timeout=10) as response:
        document: dict[str, Any] = json.load(response)
    return document


def _wrong_first_page_only() -> Any:
    def fetch_all_orders(base_url: str) -> list[dict[str, Any]]:
        return list(_get_json(f"{base_url}/orders")["data"])

    return fetch_all_orders


def _wrong_page_count_rounds_down() -> Any:
    def fetch_all_orders(base_url: str) -> list[dict[str, Any]]:
        first = _get_json(f"{base_url}/orders")
        pages = first["total"] // first["page_size"]  # forgets the partial page
        orders = list(first["data"])
        for page in range(2, pages + 1):
            orders.extend(_get_json(f"{base_url}/orders?page={page}")["data"])
        return orders

    return fetch_all_orders


def _wrong_drops_first_page() -> Any:
    def fetch_all_orders(base_url: str) -> list[dict[str, Any]]:
        orders: list[dict[str, Any]] = []
        url = _get_json(f"{base_url}/orders")["next"]  # reads page 1 only for 'next'
        while url:
            page = _get_json(url)
            orders.extend(page["data"])
            url = page["next"]
        return orders

    return fetch_all_orders


# 02.2 · Clean, filter, aggregate -----------------------------------------------


def _verify_revenue_by_country(revenue_by_country: Any) -> None:
    import pandas as pd

    _require_callable(revenue_by_country, "a function revenue_by_country(raw)")
    reference = _reference_revenue_by_country()

    hand = _hand_orders()
    untouched = hand.copy()
    got = revenue_by_country(hand)
    if not hand.equals(untouched):
        raise Mismatch(
            problem="the raw frame was changed in place; work on a copy (raw data "
            "is never modified, so the step can be rerun)"
        )
    _compare_tables("the hand-made orders", reference(hand), got, "revenue")

    for seed in (3, 8):
        orders = _generated_orders(seed)
        _compare_tables(
            f"300 generated orders (seed {seed})",
            reference(orders),
            revenue_by_country(orders),
            "revenue",
        )

    cancelled = hand.assign(status="cancelled")
    got = revenue_by_country(cancelled)
    if not isinstance(got, pd.DataFrame) or len(got) != 0:
        raise Mismatch(
            problem="when every order is cancelled, expected an empty table, got "
            f"{got!r}"
        )


def _reference_revenue_by_country() -> Any:
    import pandas as pd

    def revenue_by_country(raw: pd.DataFrame) -> pd.DataFrame:
        latest = raw.sort_values("updated_at", kind="stable").drop_duplicates(
            "order_id", keep="last"
        )
        counted = latest[(latest["status"] != "cancelled") & latest["amount"].notna()]
        counted = counted.assign(
            amount=pd.to_numeric(counted["amount"]),
            country=counted["country"].str.strip().str.upper(),
        )
        summary = counted.groupby("country", as_index=False).agg(
            orders=("order_id", "count"), revenue=("amount", "sum")
        )
        summary["revenue"] = summary["revenue"].round(2)
        return summary.sort_values(
            ["revenue", "country"], ascending=[False, True]
        ).reset_index(drop=True)

    return revenue_by_country


def _summarise_by_country(kept: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    kept = kept[(kept["status"] != "cancelled") & kept["amount"].notna()]
    kept = kept.assign(
        amount=pd.to_numeric(kept["amount"]),
        country=kept["country"].str.strip().str.upper(),
    )
    summary = kept.groupby("country", as_index=False).agg(
        orders=("order_id", "count"), revenue=("amount", "sum")
    )
    summary["revenue"] = summary["revenue"].round(2)
    return summary.sort_values(
        ["revenue", "country"], ascending=[False, True]
    ).reset_index(drop=True)


def _wrong_drop_exact_duplicates_only() -> Any:
    def revenue_by_country(raw: pd.DataFrame) -> pd.DataFrame:
        return _summarise_by_country(raw.drop_duplicates())

    return revenue_by_country


def _wrong_keep_last_without_sorting() -> Any:
    def revenue_by_country(raw: pd.DataFrame) -> pd.DataFrame:
        return _summarise_by_country(raw.drop_duplicates("order_id", keep="last"))

    return revenue_by_country


def _wrong_filter_before_dedup() -> Any:
    def revenue_by_country(raw: pd.DataFrame) -> pd.DataFrame:
        live = raw[raw["status"] != "cancelled"]  # the stale 'pending' survives
        latest = live.sort_values("updated_at").drop_duplicates("order_id", keep="last")
        return _summarise_by_country(latest)

    return revenue_by_country


def _wrong_country_not_normalised() -> Any:
    import pandas as pd

    def revenue_by_country(raw: pd.DataFrame) -> pd.DataFrame:
        latest = raw.sort_values("updated_at").drop_duplicates("order_id", keep="last")
        kept = latest[(latest["status"] != "cancelled") & latest["amount"].notna()]
        kept = kept.assign(amount=pd.to_numeric(kept["amount"]))
        summary = kept.groupby("country", as_index=False).agg(
            orders=("order_id", "count"), revenue=("amount", "sum")
        )
        summary["revenue"] = summary["revenue"].round(2)
        return summary.sort_values(
            ["revenue", "country"], ascending=[False, True]
        ).reset_index(drop=True)

    return revenue_by_country


# 02.3 · Load idempotently ------------------------------------------------------

DAILY_REVENUE_DDL = """
CREATE TABLE daily_revenue (
    order_date DATE NOT NULL,
    category VARCHAR NOT NULL,
    orders BIGINT NOT NULL,
    revenue DOUBLE NOT NULL,
    PRIMARY KEY (order_date, category)
)
"""


def _daily_frame(rows: list[tuple[str, str, int, float]]) -> pd.DataFrame:
    import pandas as pd

    frame = pd.DataFrame(rows, columns=["order_date", "category", "orders", "revenue"])
    frame["order_date"] = pd.to_datetime(frame["order_date"])
    return frame


def _table_rows(connection: Any) -> list[tuple[str, str, int, float]]:
    fetched = connection.execute(
        "SELECT CAST(order_date AS VARCHAR), category, orders, revenue "
        "FROM daily_revenue ORDER BY order_date, category"
    ).fetchall()
    return [
        (day, category, int(n), round(float(r), 2)) for day, category, n, r in fetched
    ]


def _verify_load_idempotently(load_daily_revenue: Any) -> None:
    import duckdb

    _require_callable(
        load_daily_revenue, "a function load_daily_revenue(connection, frame)"
    )
    existing = [
        ("2026-03-01", "bags", 3, 210.0),
        ("2026-03-01", "camping", 1, 249.0),
        ("2026-03-02", "bags", 2, 138.0),
        ("2026-03-02", "camping", 2, 378.0),
        ("2026-03-03", "bags", 1, 69.0),
    ]
    # 2 March is reloaded with corrected figures and no camping orders any more
    # (they were cancelled); 4 March is new.
    reload = [
        ("2026-03-02", "bags", 2, 129.0),
        ("2026-03-04", "camping", 1, 45.5),
        ("2026-03-04", "footwear", 2, 238.0),
    ]
    expected = sorted([row for row in existing if row[0] != "2026-03-02"] + reload)

    with duckdb.connect() as connection:
        connection.execute(DAILY_REVENUE_DDL)
        connection.register("existing_frame", _daily_frame(existing))
        connection.execute("INSERT INTO daily_revenue SELECT * FROM existing_frame")
        connection.unregister("existing_frame")

        load_daily_revenue(connection, _daily_frame(reload))
        after_first = _table_rows(connection)
        if after_first != expected:
            _explain_load(existing, reload, expected, after_first)

        load_daily_revenue(connection, _daily_frame(reload))
        after_second = _table_rows(connection)
        if after_second != expected:
            raise Mismatch(
                problem="the first load was right but loading the same frame again "
                f"changed the table: {len(after_first)} rows became "
                f"{len(after_second)}. A rerun must leave the table as it was"
            )

        load_daily_revenue(connection, _daily_frame([]))
        if _table_rows(connection) != expected:
            raise Mismatch(
                problem="loading an empty frame changed the table; with nothing to "
                "load, nothing should change"
            )


def _explain_load(
    existing: list[tuple[str, str, int, float]],
    reload: list[tuple[str, str, int, float]],
    expected: list[tuple[str, str, int, float]],
    got: list[tuple[str, str, int, float]],
) -> None:
    untouched_days = {row[0] for row in existing} - {row[0] for row in reload}
    lost = [row for row in expected if row[0] in untouched_days and row not in got]
    if lost:
        raise Mismatch(
            problem=f"rows of days the frame does not contain were lost: {lost}. "
            "Replace only the days being loaded"
        )
    stale = [row for row in got if row not in expected]
    if ("2026-03-02", "camping", 2, 378.0) in stale:
        raise Mismatch(
            problem="2 March still has its old camping row, which the reload no "
            "longer contains: an upsert keeps rows the new data dropped. Delete "
            "the reloaded days first, then insert"
        )
    raise Mismatch(
        expected=expected, actual=got, problem=f"expected {expected}, got {got}"
    )


def _reference_load_idempotently() -> Any:
    def load_daily_revenue(connection: Any, frame: Any) -> None:
        connection.register("incoming", frame)
        connection.execute("BEGIN TRANSACTION")
        try:
            connection.execute(
                "DELETE FROM daily_revenue WHERE order_date IN "
                "(SELECT DISTINCT CAST(order_date AS DATE) FROM incoming)"
            )
            connection.execute(
                "INSERT INTO daily_revenue "
                "SELECT CAST(order_date AS DATE), category, orders, revenue "
                "FROM incoming"
            )
            connection.execute("COMMIT")
        except Exception:
            connection.execute("ROLLBACK")
            raise
        finally:
            connection.unregister("incoming")

    return load_daily_revenue


def _wrong_append() -> Any:
    def load_daily_revenue(connection: Any, frame: Any) -> None:
        connection.register("incoming", frame)
        connection.execute("INSERT INTO daily_revenue SELECT * FROM incoming")

    return load_daily_revenue


def _wrong_replace_table() -> Any:
    def load_daily_revenue(connection: Any, frame: Any) -> None:
        connection.register("incoming", frame)
        connection.execute("DELETE FROM daily_revenue")
        connection.execute("INSERT INTO daily_revenue SELECT * FROM incoming")

    return load_daily_revenue


def _wrong_upsert() -> Any:
    def load_daily_revenue(connection: Any, frame: Any) -> None:
        connection.register("incoming", frame)
        connection.execute(
            "INSERT INTO daily_revenue SELECT * FROM incoming "
            "ON CONFLICT DO UPDATE SET orders = excluded.orders, "
            "revenue = excluded.revenue"
        )

    return load_daily_revenue


# 02.4 · Push the transform into the warehouse (ELT) ---------------------------


def _raw_tables(connection: Any, orders: pd.DataFrame, customers: pd.DataFrame) -> None:
    connection.execute("DROP TABLE IF EXISTS raw_orders")
    connection.execute("DROP TABLE IF EXISTS raw_customers")
    connection.execute(
        "CREATE TABLE raw_orders (order_id BIGINT, customer_id BIGINT, "
        "product_id VARCHAR, ordered_at VARCHAR, updated_at VARCHAR, "
        "status VARCHAR, amount VARCHAR, country VARCHAR)"
    )
    connection.execute(
        "CREATE TABLE raw_customers (customer_id BIGINT, segment VARCHAR)"
    )
    connection.register("orders_frame", orders)
    connection.register("customers_frame", customers)
    connection.execute("INSERT INTO raw_orders SELECT * FROM orders_frame")
    connection.execute(
        "INSERT INTO raw_customers SELECT customer_id, segment FROM customers_frame"
    )
    connection.unregister("orders_frame")
    connection.unregister("customers_frame")


def _expected_by_segment(orders: pd.DataFrame, customers: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    latest = orders.sort_values("updated_at", kind="stable").drop_duplicates(
        "order_id", keep="last"
    )
    kept = latest[(latest["status"] != "cancelled") & latest["amount"].notna()]
    kept = kept.assign(amount=pd.to_numeric(kept["amount"])).merge(
        customers[["customer_id", "segment"]], on="customer_id"
    )
    summary = kept.groupby("segment", as_index=False).agg(
        orders=("order_id", "count"), revenue=("amount", "sum")
    )
    summary["revenue"] = summary["revenue"].round(2)
    return summary.sort_values(
        ["revenue", "segment"], ascending=[False, True]
    ).reset_index(drop=True)


def _verify_elt_sql(sql: Any) -> None:
    import duckdb
    import pandas as pd

    if not isinstance(sql, str) or not sql.strip():
        raise Mismatch(
            problem=f"expected the SQL query as a string, got {type(sql).__name__}"
        )

    hand_customers = pd.DataFrame(
        list(HAND_CUSTOMERS), columns=["customer_id", "segment"]
    )
    cases = [("the hand-made orders", _hand_orders(), hand_customers)]
    for seed in (4, 9):
        customers = pd.DataFrame(make_customers(40, seed=seed))
        cases.append(
            (f"300 generated orders (seed {seed})", _generated_orders(seed), customers)
        )

    for case, orders, customers in cases:
        with duckdb.connect() as connection:
            _raw_tables(connection, orders, customers)
            try:
                got = connection.execute(sql).df()
            except duckdb.Error as error:
                first_line = str(error).splitlines()[0]
                raise Mismatch(
                    problem=f"DuckDB could not run the query: {first_line}"
                ) from None
        _compare_tables(case, _expected_by_segment(orders, customers), got, "revenue")


def _reference_elt_sql() -> str:
    return """
    WITH ranked AS (
        SELECT *,
               ROW_NUMBER() OVER (
                   PARTITION BY order_id ORDER BY updated_at DESC
               ) AS version_rank
        FROM raw_orders
    ),
    latest AS (
        SELECT * FROM ranked WHERE version_rank = 1
    )
    SELECT c.segment,
           COUNT(*) AS orders,
           ROUND(SUM(CAST(o.amount AS DECIMAL(12, 2))), 2) AS revenue
    FROM latest AS o
    JOIN raw_customers AS c ON c.customer_id = o.customer_id
    WHERE o.status <> 'cancelled' AND o.amount IS NOT NULL
    GROUP BY c.segment
    ORDER BY revenue DESC, c.segment
    """


def _wrong_elt_no_dedup() -> str:
    return """
    SELECT c.segment, COUNT(*) AS orders,
           ROUND(SUM(CAST(o.amount AS DECIMAL(12, 2))), 2) AS revenue
    FROM raw_orders AS o JOIN raw_customers AS c USING (customer_id)
    WHERE o.status <> 'cancelled' AND o.amount IS NOT NULL
    GROUP BY c.segment ORDER BY revenue DESC, c.segment
    """


def _wrong_elt_distinct_rows() -> str:
    return """
    SELECT c.segment, COUNT(*) AS orders,
           ROUND(SUM(CAST(o.amount AS DECIMAL(12, 2))), 2) AS revenue
    FROM (SELECT DISTINCT * FROM raw_orders) AS o
    JOIN raw_customers AS c USING (customer_id)
    WHERE o.status <> 'cancelled' AND o.amount IS NOT NULL
    GROUP BY c.segment ORDER BY revenue DESC, c.segment
    """


def _wrong_elt_filter_before_latest() -> str:
    return """
    WITH latest AS (
        SELECT *, ROW_NUMBER() OVER (
            PARTITION BY order_id ORDER BY updated_at DESC) AS version_rank
        FROM raw_orders
        WHERE status <> 'cancelled' AND amount IS NOT NULL
    )
    SELECT c.segment, COUNT(*) AS orders,
           ROUND(SUM(CAST(o.amount AS DECIMAL(12, 2))), 2) AS revenue
    FROM latest AS o JOIN raw_customers AS c USING (customer_id)
    WHERE o.version_rank = 1
    GROUP BY c.segment ORDER BY revenue DESC, c.segment
    """


# 02.5 · Read a cron schedule ---------------------------------------------------

CRON_CASES: tuple[tuple[str, datetime], ...] = (
    ("*/15 * * * *", datetime(2026, 3, 4, 10, 45)),
    ("*/15 * * * *", datetime(2026, 3, 4, 10, 50)),
    ("0 9-17 * * 1-5", datetime(2026, 3, 2, 9, 0)),  # Monday
    ("0 9-17 * * 1-5", datetime(2026, 3, 7, 9, 0)),  # Saturday
    ("0 9-17 * * 1-5", datetime(2026, 3, 2, 18, 0)),
    ("30 2 1,15 * *", datetime(2026, 3, 15, 2, 30)),
    ("30 2 1,15 * *", datetime(2026, 3, 16, 2, 30)),
    ("0 0 * * 0", datetime(2026, 3, 8, 0, 0)),  # Sunday
    ("0 0 * * 7", datetime(2026, 3, 8, 0, 0)),  # Sunday again
    ("0 0 * * 6", datetime(2026, 3, 8, 0, 0)),
    ("0 12 1 * 1", datetime(2026, 3, 2, 12, 0)),  # Monday the 2nd: either day rule
    ("0 12 1 * 1", datetime(2026, 3, 1, 12, 0)),  # Sunday the 1st
    ("0 12 1 * 1", datetime(2026, 3, 3, 12, 0)),
    ("0 12 */2 * 1", datetime(2026, 3, 2, 12, 0)),  # starts with *: both must hold
    ("0 12 */2 * 1", datetime(2026, 3, 9, 12, 0)),
    ("5-59/20 * * * *", datetime(2026, 3, 4, 1, 25)),
    ("5-59/20 * * * *", datetime(2026, 3, 4, 1, 20)),
    ("10/25 * * * *", datetime(2026, 3, 4, 1, 35)),
    ("0 8 * 3 1-5", datetime(2026, 3, 6, 8, 0)),  # Friday in March
    ("0 8 * 3 1-5", datetime(2026, 4, 6, 8, 0)),  # April
    ("59 23 31 12 *", datetime(2026, 12, 31, 23, 59)),
    ("0 0 1 1 *", datetime(2027, 1, 1, 0, 0)),
)


def _verify_cron_matches(cron_matches: Any) -> None:
    _require_callable(cron_matches, "a function cron_matches(expression, moment)")
    for expression, moment in CRON_CASES:
        expected = CronSchedule.parse(expression).matches(moment)
        got = cron_matches(expression, moment)
        if not isinstance(got, bool):
            raise Mismatch(
                problem=f"cron_matches({expression!r}, ...) returned "
                f"{type(got).__name__}; expected True or False"
            )
        if got != expected:
            raise Mismatch(
                problem=f"cron_matches({expression!r}, {moment:%A %Y-%m-%d %H:%M}) "
                f"returned {got}, expected {expected}"
            )


def _reference_cron_matches() -> Any:
    def allowed(field: str, low: int, high: int) -> set[int]:
        values: set[int] = set()
        for item in field.split(","):
            base, slash, step = item.partition("/")
            if base == "*":
                first, last = low, high
            elif "-" in base:
                first, last = (int(part) for part in base.split("-"))
            else:
                first = int(base)
                last = high if slash else first  # "10/25" runs to the end
            values.update(range(first, last + 1, int(step or 1)))
        return values

    def cron_matches(expression: str, moment: datetime) -> bool:
        minute, hour, day, month, weekday = expression.split()
        cron_day_of_week = moment.isoweekday() % 7  # cron: Sunday = 0 (or 7)
        in_month = moment.day in allowed(day, 1, 31)
        in_week = cron_day_of_week in {d % 7 for d in allowed(weekday, 0, 7)}
        if day.startswith("*") or weekday.startswith("*"):
            day_ok = in_month and in_week
        else:  # both restricted: either one is enough
            day_ok = in_month or in_week
        return (
            moment.minute in allowed(minute, 0, 59)
            and moment.hour in allowed(hour, 0, 23)
            and moment.month in allowed(month, 1, 12)
            and day_ok
        )

    return cron_matches


def _cron_variant(
    weekday_of: Callable[[datetime], int], either_day: bool, step_from_zero: bool
) -> Callable[[str, datetime], bool]:
    def allowed(field: str, low: int, high: int) -> set[int]:
        values: set[int] = set()
        for item in field.split(","):
            base, slash, step = item.partition("/")
            if base == "*":
                first, last = low, high
            elif "-" in base:
                first, last = (int(part) for part in base.split("-"))
            else:
                first = int(base)
                last = high if slash else first
            stride = int(step or 1)
            if step_from_zero:
                values.update(v for v in range(first, last + 1) if v % stride == 0)
            else:
                values.update(range(first, last + 1, stride))
        return values

    def cron_matches(expression: str, moment: datetime) -> bool:
        minute, hour, day, month, weekday = expression.split()
        in_month = moment.day in allowed(day, 1, 31)
        in_week = weekday_of(moment) in {d % 7 for d in allowed(weekday, 0, 7)}
        restricted = not day.startswith("*") and not weekday.startswith("*")
        day_ok = (
            (in_month or in_week)
            if either_day and restricted
            else (in_month and in_week)
        )
        return (
            moment.minute in allowed(minute, 0, 59)
            and moment.hour in allowed(hour, 0, 23)
            and moment.month in allowed(month, 1, 12)
            and day_ok
        )

    return cron_matches


def _wrong_cron_python_weekday() -> Any:
    return _cron_variant(datetime.weekday, either_day=True, step_from_zero=False)


def _wrong_cron_days_always_and() -> Any:
    return _cron_variant(
        lambda moment: moment.isoweekday() % 7, either_day=False, step_from_zero=False
    )


def _wrong_cron_step_from_zero() -> Any:
    return _cron_variant(
        lambda moment: moment.isoweekday() % 7, either_day=True, step_from_zero=True
    )


EXERCISES = (
    Exercise(
        id="02.1",
        title="Page through an API",
        verify=_verify_page_through,
        hints=(
            "Each page is JSON with 'data' (the orders) and 'next' (the URL of the "
            "next page, or null on the last one). Keep requesting until 'next' is "
            "null, and keep the data of every page, the first one included.",
            "Start with url = f'{base_url}/orders' and an empty list; in a "
            "'while url:' loop open the URL with urllib.request.urlopen, "
            "json.load the response, extend the list with page['data'] and set "
            "url = page['next'].",
        ),
        reference=_reference_page_through,
        wrong_answers=(
            _wrong_first_page_only,
            _wrong_page_count_rounds_down,
            _wrong_drops_first_page,
        ),
    ),
    Exercise(
        id="02.2",
        title="Clean, filter, aggregate",
        verify=_verify_revenue_by_country,
        hints=(
            "Order matters: first keep the latest version of each order (an order "
            "sent twice may have changed status), then drop cancelled orders and "
            "missing amounts, then convert and group.",
            "raw.sort_values('updated_at').drop_duplicates('order_id', "
            "keep='last'); filter status != 'cancelled' and amount.notna(); "
            "pd.to_numeric the amount, .str.strip().str.upper() the country; "
            "groupby('country', as_index=False).agg(orders=('order_id', 'count'), "
            "revenue=('amount', 'sum')); round, sort by revenue descending, "
            "reset_index(drop=True).",
        ),
        reference=_reference_revenue_by_country,
        wrong_answers=(
            _wrong_drop_exact_duplicates_only,
            _wrong_keep_last_without_sorting,
            _wrong_filter_before_dedup,
            _wrong_country_not_normalised,
        ),
    ),
    Exercise(
        id="02.3",
        title="Load idempotently",
        verify=_verify_load_idempotently,
        hints=(
            "Think of each day as a partition that a load replaces whole: remove "
            "what the table holds for the days in the frame, then insert the "
            "frame, inside one transaction. Days not in the frame stay as they are.",
            "connection.register('incoming', frame); BEGIN TRANSACTION; DELETE "
            "FROM daily_revenue WHERE order_date IN (SELECT DISTINCT "
            "CAST(order_date AS DATE) FROM incoming); INSERT INTO daily_revenue "
            "SELECT ... FROM incoming; COMMIT (ROLLBACK if anything fails).",
        ),
        reference=_reference_load_idempotently,
        wrong_answers=(_wrong_append, _wrong_replace_table, _wrong_upsert),
    ),
    Exercise(
        id="02.4",
        title="Push the transform into the warehouse (ELT)",
        verify=_verify_elt_sql,
        hints=(
            "Do in SQL what 02.2 did in pandas: pick the latest version of each "
            "order first (a window function numbers the versions of each "
            "order_id), then filter, join raw_customers, group by segment.",
            "WITH ranked AS (SELECT *, ROW_NUMBER() OVER (PARTITION BY order_id "
            "ORDER BY updated_at DESC) AS version_rank FROM raw_orders) SELECT "
            "c.segment, COUNT(*) AS orders, ROUND(SUM(CAST(amount AS "
            "DECIMAL(12, 2))), 2) AS revenue FROM ranked JOIN raw_customers c "
            "USING (customer_id) WHERE version_rank = 1 AND status <> 'cancelled' "
            "AND amount IS NOT NULL GROUP BY c.segment ORDER BY revenue DESC",
        ),
        reference=_reference_elt_sql,
        wrong_answers=(
            _wrong_elt_no_dedup,
            _wrong_elt_distinct_rows,
            _wrong_elt_filter_before_latest,
        ),
    ),
    Exercise(
        id="02.5",
        title="Read a cron schedule",
        verify=_verify_cron_matches,
        hints=(
            "Turn each field into the set of values it allows (minute 0-59, hour "
            "0-23, day 1-31, month 1-12, weekday 0-7), then check the moment's "
            "parts against the sets. Mind two traps: cron's Sunday is 0 (and 7), "
            "and the day rule when both day fields are restricted.",
            "For an item split on '/': '*' is low..high, 'a-b' is a..b, 'a' alone "
            "is just a (or a..high when a step follows); add range(first, last + 1, "
            "step). The weekday is moment.isoweekday() % 7. If day-of-month or "
            "day-of-week starts with '*', both must match; otherwise either.",
        ),
        reference=_reference_cron_matches,
        wrong_answers=(
            _wrong_cron_python_weekday,
            _wrong_cron_days_always_and,
            _wrong_cron_step_from_zero,
        ),
    ),
)
