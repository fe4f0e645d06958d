"""Inventory report: which products need reordering.

Functions called from main(); one helper changes the stock table in place.
"""

import json
from pathlib import Path

import pandas as pd

STOCK_FILE = "stock.csv"
MOVES_FILE = "moves.csv"
REPORT_DIR = Path("report")
SAFETY_DAYS = 7


def load_stock():
    stock = pd.read_csv(STOCK_FILE)
    return stock


def load_moves():
    return pd.read_csv(MOVES_FILE)


def apply_moves(stock, moves):
    """Add the net movement of each product to its quantity (in place)."""
    net = moves.groupby("sku")["quantity"].sum()
    stock["quantity"] = stock["quantity"] + stock["sku"].map(net).fillna(0)
    stock["quantity"] = stock["quantity"].astype(int)


def flag_reorders(stock):
    demand = stock["daily_demand"] * SAFETY_DAYS
    stock["reorder"] = stock["quantity"] < demand


def summarise(stock):
    return {
        "products": int(len(stock)),
        "to_reorder": sorted(stock.loc[stock["reorder"], "sku"].tolist()),
        "units_on_hand": int(stock["quantity"].sum()),
    }


def save(stock, summary):
    REPORT_DIR.mkdir(exist_ok=True)
    stock.to_csv(REPORT_DIR / "inventory.csv", index=False)
    with open(REPORT_DIR / "reorder.json", "w") as handle:
        json.dump(summary, handle, indent=2, sort_keys=True)


def main():
    stock = load_stock()
    moves = load_moves()
    apply_moves(stock, moves)
    flag_reorders(stock)
    summary = summarise(stock)
    save(stock, summary)


if __name__ == "__main__":
    main()
