"""Count events per type with module-level state shared by several functions."""

import csv
import json

STATS = {"rows": 0, "skipped": 0}
SEEN_USERS = set()
TOTALS = {}


def read_events(path):
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


def count(events):
    for event in events:
        STATS["rows"] += 1
        if not event["user"]:
            STATS["skipped"] += 1
            continue
        SEEN_USERS.add(event["user"])
        TOTALS[event["type"]] = TOTALS.get(event["type"], 0) + 1


def report():
    return {
        "stats": STATS,
        "users": len(SEEN_USERS),
        "totals": dict(sorted(TOTALS.items())),
    }


events = read_events("events.csv")
count(events)

later = read_events("events_late.csv")
count(later)

result = report()
with open("event_counts.json", "w") as handle:
    json.dump(result, handle, indent=2)
