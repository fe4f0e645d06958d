"""Read classic five-field cron expressions and compute when they fire next.

A cron expression is five fields separated by spaces::

    minute  hour  day-of-month  month  day-of-week
    0-59    0-23  1-31          1-12   0-7 (0 and 7 are Sunday)

Each field is a comma-separated list of items; an item is ``*`` (every value),
a number ``5``, a range ``1-5``, or any of those with a step: ``*/15`` (every 15th
value from the lowest), ``8-18/2``, ``5/20`` (from 5 to the highest, every 20th).
The macros ``@hourly``, ``@daily`` (``@midnight``), ``@weekly``, ``@monthly`` and
``@yearly`` (``@annually``) stand for their usual expressions. Month and weekday
names (``JAN``, ``MON``) are not supported: use numbers.

How a moment is matched:

1. minute, hour and month must each be in their field's set;
2. the day follows the rule of Vixie cron, the most common implementation: when
   day-of-month and day-of-week are *both* restricted (neither field starts with
   ``*``), a day matches if **either** matches, so ``0 9 1 * 1`` fires at 09:00 on
   the 1st of the month *and* on every Monday; otherwise both must match.

How the next run is found (:meth:`CronSchedule.next_run`): start at the next whole
minute after the given moment, then repeat: if the month does not match, jump to the
first minute of the next month; else if the day does not match, jump to the next
midnight; else if the hour does not match, jump to the next whole hour; else if the
minute does not match, step one minute; else that minute is the answer. The search
gives up after :data:`SEARCH_YEARS` years (``0 0 30 2 *``, 30 February, never fires).

Times are wall-clock times of the datetime given (naive or aware). Real cron uses the
machine's local time zone; around daylight-saving changes, implementations differ in
whether a skipped or repeated hour fires, so schedule important jobs in UTC.

Example::

    schedule = CronSchedule.parse("*/15 9-17 * * 1-5")
    schedule.next_runs(datetime(2026, 3, 6, 17, 50), count=2)
    # [datetime(2026, 3, 9, 9, 0), datetime(2026, 3, 9, 9, 15)]
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from toolkit.errors import UserInputError, explain

log = logging.getLogger(__name__)

SEARCH_YEARS = 10

FIELD_NAMES = ("minute", "hour", "day of month", "month", "day of week")
FIELD_RANGES = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 7))

MACROS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}


@dataclass(frozen=True)
class CronSchedule:
    """A parsed cron expression: the allowed values of each field.

    Weekdays are numbered as cron numbers them: 0 is Sunday, 6 is Saturday (a 7 in
    the expression is stored as 0).
    """

    expression: str
    minutes: frozenset[int]
    hours: frozenset[int]
    days_of_month: frozenset[int]
    months: frozenset[int]
    days_of_week: frozenset[int]
    day_of_month_restricted: bool
    day_of_week_restricted: bool

    @classmethod
    def parse(cls, expression: str) -> CronSchedule:
        """Parse a five-field expression or a macro such as ``@daily``.

        Raises:
            UserInputError: naming the field and the item that cannot be read.
        """
        text = expression.strip()
        expanded = MACROS.get(text.lower(), text)
        fields = expanded.split()
        if len(fields) != len(FIELD_NAMES):
            raise UserInputError(
                explain(
                    f"cron expression {expression!r} has {len(fields)} fields",
                    "5 fields: minute hour day-of-month month day-of-week",
                    "'*/15 * * * *' (every 15 minutes) or a macro such as @daily",
                )
            )

        sets = [
            parse_field(field, name, low, high)
            for field, name, (low, high) in zip(
                fields, FIELD_NAMES, FIELD_RANGES, strict=True
            )
        ]
        days_of_week = frozenset(day % 7 for day in sets[4])
        return cls(
            expression=text,
            minutes=sets[0],
            hours=sets[1],
            days_of_month=sets[2],
            months=sets[3],
            days_of_week=days_of_week,
            day_of_month_restricted=not fields[2].startswith("*"),
            day_of_week_restricted=not fields[4].startswith("*"),
        )

    def day_matches(self, moment: datetime) -> bool:
        """Whether the schedule may fire on ``moment``'s day (the Vixie rule)."""
        in_month = moment.day in self.days_of_month
        in_week = cron_weekday(moment) in self.days_of_week
        if self.day_of_month_restricted and self.day_of_week_restricted:
            return in_month or in_week
        return in_month and in_week

    def matches(self, moment: datetime) -> bool:
        """Whether the schedule fires in ``moment``'s minute (seconds ignored)."""
        return (
            moment.minute in self.minutes
            and moment.hour in self.hours
            and moment.month in self.months
            and self.day_matches(moment)
        )

    def next_run(self, after: datetime) -> datetime:
        """Return the first minute strictly after ``after`` at which it fires.

        Raises:
            UserInputError: if it does not fire within :data:`SEARCH_YEARS` years.
        """
        moment = after.replace(second=0, microsecond=0) + timedelta(minutes=1)
        last_year = after.year + SEARCH_YEARS

        while moment.year <= last_year:
            if moment.month not in self.months:
                moment = _first_of_next_month(moment)
            elif not self.day_matches(moment):
                moment = _next_midnight(moment)
            elif moment.hour not in self.hours:
                moment = moment.replace(minute=0) + timedelta(hours=1)
            elif moment.minute not in self.minutes:
                moment += timedelta(minutes=1)
            else:
                return moment

        raise UserInputError(
            explain(
                f"cron expression {self.expression!r} never fires in the "
                f"{SEARCH_YEARS} years after {after:%Y-%m-%d}",
                "a day that exists (no 30 February, no 31 April)",
                "checking the day-of-month and month fields",
            )
        )

    def next_runs(self, after: datetime, count: int) -> list[datetime]:
        """Return the next ``count`` moments strictly after ``after``."""
        runs: list[datetime] = []
        moment = after
        for _ in range(count):
            moment = self.next_run(moment)
            runs.append(moment)
        return runs


def cron_weekday(moment: datetime) -> int:
    """Return cron's weekday number of ``moment``: 0 = Sunday … 6 = Saturday.

    Python's ``weekday()`` counts from Monday = 0; cron counts from Sunday = 0.
    """
    return moment.isoweekday() % 7


def parse_field(text: str, name: str, low: int, high: int) -> frozenset[int]:
    """Return the values one field allows, e.g. ``"1-10/3"`` → ``{1, 4, 7, 10}``.

    Args:
        text: The field as written in the expression.
        name: The field's name, for error messages.
        low: The smallest value the field accepts.
        high: The largest value the field accepts.

    Raises:
        UserInputError: naming the field and the item that cannot be read.
    """
    values: set[int] = set()
    for item in text.split(","):
        values.update(_parse_item(item, name, low, high))
    return frozenset(values)


def _parse_item(item: str, name: str, low: int, high: int) -> range:
    base, slash, step_text = item.partition("/")
    step = _number(step_text, name, item, 1, high - low + 1) if slash else 1

    if base == "*":
        first, last = low, high
    elif "-" in base:
        first_text, _, last_text = base.partition("-")
        first = _number(first_text, name, item, low, high)
        last = _number(last_text, name, item, low, high)
        if first > last:
            raise UserInputError(
                explain(
                    f"range {item!r} in the {name} field runs backwards",
                    "a range written low-high",
                    f"'{last}-{first}'",
                )
            )
    else:
        first = _number(base, name, item, low, high)
        last = high if slash else first
    return range(first, last + 1, step)


def _number(text: str, name: str, item: str, low: int, high: int) -> int:
    if not text.isdigit() or not low <= int(text) <= high:
        raise UserInputError(
            explain(
                f"{item!r} in the {name} field",
                f"numbers from {low} to {high}, '*', ranges a-b and steps /n",
                "checking the field against 'minute hour day month weekday'",
            )
        )
    return int(text)


def _first_of_next_month(moment: datetime) -> datetime:
    year, month = divmod(moment.month, 12)
    return moment.replace(
        year=moment.year + year, month=month + 1, day=1, hour=0, minute=0
    )


def _next_midnight(moment: datetime) -> datetime:
    return moment.replace(hour=0, minute=0) + timedelta(days=1)
