"""Parse a web server access log with csv and re only (no pandas)."""

import csv
import re
from collections import Counter

LOG_FILE = "access.log"
LINE = re.compile(
    r'(?P<ip>\S+) \S+ \S+ \[(?P<when>[^\]]+)\] "(?P<method>\S+) (?P<path>\S+)[^"]*" '
    r"(?P<status>\d{3}) (?P<size>\d+|-)"
)

# Parse
requests = []
bad_lines = 0
with open(LOG_FILE) as handle:
    for raw in handle:
        match = LINE.match(raw)
        if match is None:
            bad_lines += 1
            continue
        requests.append(match.groupdict())

# Count statuses and paths
statuses = Counter(request["status"] for request in requests)
paths = Counter(request["path"] for request in requests)
errors = [r for r in requests if r["status"].startswith("5")]

# Write statuses
with open("status_counts.csv", "w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["status", "count"])
    for status, total in sorted(statuses.items()):
        writer.writerow([status, total])

# Write top paths and errors
with open("top_paths.csv", "w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["path", "count"])
    ranked = sorted(paths.items(), key=lambda item: (-item[1], item[0]))
    for path, total in ranked[:5]:
        writer.writerow([path, total])
with open("errors.txt", "w") as handle:
    for request in errors:
        handle.write(f"{request['when']} {request['path']} {request['status']}\n")
    handle.write(f"unparsed lines: {bad_lines}\n")
