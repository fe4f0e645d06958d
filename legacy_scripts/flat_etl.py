"""Daily sales ETL: orders and customers in, two reports out.

Run from the folder that holds orders.csv and customers.csv.
"""

import os

import pandas as pd

MIN_AMOUNT = 5.0
OUTPUT_DIR = "out"

# Load the raw extracts
orders = pd.read_csv("orders.csv", parse_dates=["ordered_at"])
customers = pd.read_csv("customers.csv")

# Clean orders
orders.drop_duplicates(subset="order_id", inplace=True)
orders["amount"] = orders["amount"].fillna(0.0)
orders = orders[orders["amount"] >= MIN_AMOUNT]
orders["day"] = orders["ordered_at"].dt.strftime("%Y-%m-%d")

# Normalise customers
customers["segment"] = customers["segment"].str.strip().str.lower()
customers.set_index("customer_id", inplace=True)

# Daily totals
daily = orders.groupby("day", as_index=False)["amount"].sum()
daily["amount"] = daily["amount"].round(2)

# Top customers by segment
enriched = orders.join(customers, on="customer_id", how="left")
top = (
    enriched.groupby(["segment", "customer_id"], as_index=False)["amount"]
    .sum()
    .sort_values(["segment", "amount"], ascending=[True, False], kind="stable")
    .groupby("segment")
    .head(3)
)

# Write the reports
os.makedirs(OUTPUT_DIR, exist_ok=True)
daily.to_csv(os.path.join(OUTPUT_DIR, "daily_sales.csv"), index=False)
top.to_csv(os.path.join(OUTPUT_DIR, "top_customers.csv"), index=False)
print(f"wrote {len(daily)} days and {len(top)} top customers")
