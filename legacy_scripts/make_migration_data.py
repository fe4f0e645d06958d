"""Write the small, deterministic inputs of the migration exercises.

    python legacy_scripts/make_migration_data.py

Each script reads its inputs from its own folder, legacy_scripts/data/<script>/,
which is also the working directory to run it from.
"""

import csv
import random
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def write_csv(path, header, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def flat_etl(rng):
    folder = DATA / "flat_etl"
    customers = [
        (f"C{i:03d}", rng.choice([" Retail", "wholesale ", "Online", "RETAIL"]))
        for i in range(1, 31)
    ]
    write_csv(folder / "customers.csv", ["customer_id", "segment"], customers)
    orders = []
    for i in range(1, 241):
        amount = "" if i % 37 == 0 else f"{rng.uniform(1, 250):.2f}"
        day = 1 + rng.randrange(14)
        orders.append(
            (i, rng.choice(customers)[0], amount, f"2024-03-{day:02d} 10:{i % 60:02d}")
        )
    orders.extend(orders[10:14])  # duplicated extract lines
    write_csv(
        folder / "orders.csv",
        ["order_id", "customer_id", "amount", "ordered_at"],
        orders,
    )


def inventory_report(rng):
    folder = DATA / "inventory_report"
    stock = [
        (f"SKU-{i:03d}", rng.randrange(0, 120), rng.randrange(1, 9))
        for i in range(1, 41)
    ]
    write_csv(folder / "stock.csv", ["sku", "quantity", "daily_demand"], stock)
    moves = [
        (rng.choice(stock)[0], rng.randrange(-30, 40), f"2024-04-{1 + i % 28:02d}")
        for i in range(150)
    ]
    write_csv(folder / "moves.csv", ["sku", "quantity", "moved_on"], moves)


def sensor_cleaner(rng):
    folder = DATA / "sensor_cleaner"
    rows = []
    for sensor in ("s1", "s2", "s3"):
        for minute in range(0, 6 * 60, 10):
            value = 20 + rng.gauss(0, 1.5)
            if rng.random() < 0.03:
                value += 40
            rows.append(
                (
                    f"2024-05-01 {minute // 60:02d}:{minute % 60:02d}:00",
                    sensor,
                    f"{value:.3f}",
                )
            )
    write_csv(folder / "readings.csv", ["timestamp", "sensor", "value"], rows)


def sqlite_warehouse(rng):
    folder = DATA / "sqlite_warehouse"
    rows = [
        (
            i,
            rng.choice(["north", "south", "east"]),
            f"{rng.uniform(-1, 80):.2f}",
            f"2024-{1 + i % 4:02d}-{1 + i % 27:02d}",
        )
        for i in range(1, 201)
    ]
    write_csv(
        folder / "shipments.csv", ["id", "depot", "weight_kg", "shipped_on"], rows
    )


def combine_files(rng):
    folder = DATA / "combine_files" / "incoming"
    for day in range(1, 6):
        rows = [
            (f"M{m}", rng.choice(["a", "b"]), f"{rng.uniform(-0.5, 12):.3f}")
            for m in range(1, 9)
        ]
        write_csv(
            folder / f"meters_2024-06-{day:02d}.csv", ["meter", "site", "kwh"], rows
        )


def stateful_counters(rng):
    folder = DATA / "stateful_counters"
    kinds = ["view", "click", "purchase"]
    for name, count in (("events.csv", 120), ("events_late.csv", 30)):
        rows = [
            ("" if rng.random() < 0.05 else f"u{rng.randrange(40)}", rng.choice(kinds))
            for _ in range(count)
        ]
        write_csv(folder / name, ["user", "type"], rows)


def train_model(rng):
    folder = DATA / "train_model"
    rows = []
    for i in range(400):
        tenure = rng.randrange(1, 72)
        fee = round(rng.uniform(10, 120), 2)
        calls = rng.randrange(0, 8)
        risk = 0.04 * calls + 0.004 * fee - 0.02 * tenure + rng.gauss(0, 0.3)
        rows.append((f"K{i:04d}", tenure, fee, calls, int(risk > 0)))
    write_csv(
        folder / "customers.csv",
        ["customer_id", "tenure_months", "monthly_fee", "support_calls", "churned"],
        rows,
    )


def log_parser(rng):
    folder = DATA / "log_parser"
    folder.mkdir(parents=True, exist_ok=True)
    paths = ["/", "/login", "/api/items", "/api/cart", "/static/app.js", "/checkout"]
    lines = []
    for i in range(300):
        status = rng.choice([200] * 12 + [301, 404, 500, 503])
        size = "-" if status >= 500 else str(rng.randrange(100, 9000))
        lines.append(
            f"10.0.{i % 7}.{i % 13} - - [01/Jul/2024:12:{i % 60:02d}:00 +0000] "
            f'"GET {rng.choice(paths)} HTTP/1.1" {status} {size}'
        )
        if i % 50 == 0:
            lines.append("garbled line without a request")
    (folder / "access.log").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    for make in (
        flat_etl,
        inventory_report,
        sensor_cleaner,
        sqlite_warehouse,
        combine_files,
        stateful_counters,
        train_model,
        log_parser,
    ):
        make(random.Random(make.__name__))
