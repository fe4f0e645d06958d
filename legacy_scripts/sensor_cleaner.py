"""Clean sensor readings: drop outliers, smooth, resample per hour.

python sensor_cleaner.py --threshold 3.5 --window 3
"""

import argparse
import os
from datetime import date

import pandas as pd

UNITS = os.environ.get("SENSOR_UNITS", "celsius")
RUN_DATE = date.today().isoformat()


def parse_args():
    parser = argparse.ArgumentParser(description="Clean sensor readings.")
    parser.add_argument("--input", default="readings.csv", help="raw readings")
    parser.add_argument("--output", default="clean_readings.csv")
    parser.add_argument("--threshold", type=float, default=3.0)
    parser.add_argument("--window", type=int, default=3)
    parser.add_argument("--hourly", action="store_true")
    return parser.parse_args()


args = parse_args()

# Read and drop outliers
readings = pd.read_csv(args.input, parse_dates=["timestamp"])
mean = readings.groupby("sensor")["value"].transform("mean")
std = readings.groupby("sensor")["value"].transform("std")
readings = readings[(readings["value"] - mean).abs() <= args.threshold * std].copy()

# Convert units
if UNITS == "fahrenheit":
    readings["value"] = readings["value"] * 9 / 5 + 32

# Smooth each sensor
readings.sort_values(["sensor", "timestamp"], inplace=True)
readings["smooth"] = readings.groupby("sensor")["value"].transform(
    lambda values: values.rolling(args.window, min_periods=1).mean()
)

# Write
readings["units"] = UNITS
readings["run_date"] = RUN_DATE
if args.hourly:
    readings = (
        readings.set_index("timestamp")
        .groupby("sensor")["smooth"]
        .resample("1h")
        .mean()
        .reset_index()
    )
readings.to_csv(args.output, index=False, float_format="%.6f")
