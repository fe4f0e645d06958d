"""Combine the daily meter exports in incoming/ into one table and a summary."""

import glob
import os

import pandas as pd

frames = []
for path in sorted(glob.glob("incoming/meters_*.csv")):
    frame = pd.read_csv(path)
    frame["source_file"] = os.path.basename(path)
    frames.append(frame)

combined = pd.concat(frames, ignore_index=True)
combined["kwh"] = combined["kwh"].clip(lower=0)

summary = combined.groupby("meter", as_index=False).agg(
    days=("source_file", "nunique"), kwh=("kwh", "sum")
)

os.makedirs("combined", exist_ok=True)
combined.to_parquet("combined/readings.parquet", index=False)
summary.to_csv("combined/summary.csv", index=False)

for site, rows in combined.groupby("site"):
    rows.to_csv(f"combined/site_{site}.csv", index=False)
