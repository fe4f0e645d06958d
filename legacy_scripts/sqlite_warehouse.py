"""Load shipments into a SQLite warehouse and aggregate them with SQL."""

import csv
import sqlite3

DB_PATH = "warehouse.db"


def connect():
    return sqlite3.connect(DB_PATH)


# ---- staging ------------------------------------------------------------------
conn = connect()
conn.execute("DROP TABLE IF EXISTS staging_shipments")
conn.execute(
    "CREATE TABLE staging_shipments "
    "(id INTEGER, depot TEXT, weight_kg REAL, shipped_on TEXT)"
)
with open("shipments.csv", newline="") as handle:
    rows = [
        (int(r["id"]), r["depot"], float(r["weight_kg"]), r["shipped_on"])
        for r in csv.DictReader(handle)
    ]
conn.executemany("INSERT INTO staging_shipments VALUES (?, ?, ?, ?)", rows)
conn.commit()
conn.close()

# ---- facts --------------------------------------------------------------------
conn = connect()
conn.execute("DROP TABLE IF EXISTS fact_shipments")
conn.execute(
    """
    CREATE TABLE fact_shipments AS
    SELECT id, UPPER(depot) AS depot, weight_kg, shipped_on,
           substr(shipped_on, 1, 7) AS month
    FROM staging_shipments
    WHERE weight_kg > 0
    """
)
conn.commit()
conn.close()

# ---- monthly summary ----------------------------------------------------------
conn = connect()
conn.execute("DROP TABLE IF EXISTS monthly_depot")
conn.execute(
    """
    CREATE TABLE monthly_depot AS
    SELECT month, depot, COUNT(*) AS shipments, ROUND(SUM(weight_kg), 3) AS kg
    FROM fact_shipments
    GROUP BY month, depot
    ORDER BY month, depot
    """
)
conn.commit()
summary = conn.execute("SELECT * FROM monthly_depot ORDER BY 1, 2").fetchall()
conn.close()

# ---- export -------------------------------------------------------------------
with open("monthly_depot.csv", "w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["month", "depot", "shipments", "kg"])
    writer.writerows(summary)
