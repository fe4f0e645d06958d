import random
from datetime import UTC, datetime, timedelta

import pytest

from toolkit.errors import UserInputError
from toolkit.workbook.cron import MACROS, CronSchedule, cron_weekday, parse_field

MONDAY = datetime(2026, 3, 2)


def brute_force_next(schedule: CronSchedule, after: datetime) -> datetime:
    moment = after.replace(second=0, microsecond=0) + timedelta(minutes=1)
    for _ in range(60 * 24 * 400):
        if schedule.matches(moment):
            return moment
        moment += timedelta(minutes=1)
    raise AssertionError("no run within 400 days")


@pytest.mark.parametrize(
    ("text", "low", "high", "expected"),
    [
        ("*", 0, 5, {0, 1, 2, 3, 4, 5}),
        ("*/15", 0, 59, {0, 15, 30, 45}),
        ("1-10/3", 0, 59, {1, 4, 7, 10}),
        ("5/20", 0, 59, {5, 25, 45}),
        ("1,3,5-6", 0, 7, {1, 3, 5, 6}),
        ("7", 0, 7, {7}),
    ],
)
def test_when_field_is_parsed_then_values_are_expanded(text, low, high, expected):
    assert parse_field(text, "minute", low, high) == expected


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("* * * *", "has 4 fields"),
        ("60 * * * *", "'60' in the minute field"),
        ("* 24 * * *", "'24' in the hour field"),
        ("* * 0 * *", "day of month"),
        ("* * * 13 *", "month"),
        ("* * * * 8", "day of week"),
        ("*/0 * * * *", "'\\*/0'"),
        ("5-1 * * * *", "runs backwards"),
        ("* * * JAN *", "'JAN' in the month field"),
    ],
)
def test_when_expression_is_malformed_then_error_names_the_field(expression, message):
    with pytest.raises(UserInputError, match=message):
        CronSchedule.parse(expression)


def test_when_weekday_is_7_then_it_means_sunday():
    assert CronSchedule.parse("0 0 * * 7").days_of_week == {0}


def test_when_converting_weekdays_then_sunday_is_zero():
    assert cron_weekday(MONDAY) == 1
    assert cron_weekday(MONDAY - timedelta(days=1)) == 0


def test_when_both_day_fields_are_restricted_then_either_matches():
    schedule = CronSchedule.parse("0 9 1 * 1")
    assert schedule.matches(datetime(2026, 3, 1, 9, 0))  # the 1st, a Sunday
    assert schedule.matches(datetime(2026, 3, 2, 9, 0))  # a Monday, the 2nd
    assert not schedule.matches(datetime(2026, 3, 3, 9, 0))


def test_when_a_day_field_starts_with_a_star_then_both_must_match():
    schedule = CronSchedule.parse("0 9 */2 * 1")
    assert schedule.matches(datetime(2026, 3, 9, 9, 0))  # Monday the 9th
    assert not schedule.matches(datetime(2026, 3, 2, 9, 0))  # Monday the 2nd
    assert not schedule.matches(datetime(2026, 3, 3, 9, 0))  # Tuesday the 3rd


def test_when_asking_for_next_runs_then_weekday_business_hours_are_respected():
    schedule = CronSchedule.parse("*/15 9-17 * * 1-5")
    runs = schedule.next_runs(datetime(2026, 3, 6, 17, 50), count=3)
    assert runs == [
        datetime(2026, 3, 9, 9, 0),
        datetime(2026, 3, 9, 9, 15),
        datetime(2026, 3, 9, 9, 30),
    ]


def test_when_after_is_exactly_a_run_then_the_next_one_is_strictly_later():
    schedule = CronSchedule.parse("@hourly")
    assert schedule.next_run(datetime(2026, 3, 1, 10, 0, 0)) == datetime(
        2026, 3, 1, 11, 0
    )


def test_when_schedule_crosses_a_year_then_next_run_is_in_the_new_year():
    schedule = CronSchedule.parse("@yearly")
    assert schedule.next_run(datetime(2026, 12, 31, 23, 59)) == datetime(2027, 1, 1)


def test_when_day_is_29_february_then_next_run_is_the_next_leap_year():
    schedule = CronSchedule.parse("0 0 29 2 *")
    assert schedule.next_run(datetime(2026, 3, 1)) == datetime(2028, 2, 29)


def test_when_day_never_exists_then_next_run_says_so():
    with pytest.raises(UserInputError, match="never fires"):
        CronSchedule.parse("0 0 30 2 *").next_run(datetime(2026, 1, 1))


def test_when_datetime_is_aware_then_runs_keep_its_time_zone():
    run = CronSchedule.parse("30 2 * * *").next_run(datetime(2026, 3, 1, tzinfo=UTC))
    assert run == datetime(2026, 3, 1, 2, 30, tzinfo=UTC)


EXPRESSIONS = [
    "*/7 * * * *",
    "0 */5 * * *",
    "15 9-17/3 * * 1-5",
    "0 0 1,15 * *",
    "0 12 * 2,8 0",
    "30 6 13 * 5",
    "45 23 31 * *",
    "0 0 * * 6,7",
    "5/20 1 * * *",
    "@weekly",
    "@monthly",
]


@pytest.mark.parametrize("expression", EXPRESSIONS)
def test_when_compared_with_a_minute_by_minute_scan_then_next_run_agrees(expression):
    schedule = CronSchedule.parse(expression)
    rng = random.Random(expression)
    for _ in range(5):
        after = datetime(2026, 1, 1) + timedelta(minutes=rng.randrange(500_000))
        assert schedule.next_run(after) == brute_force_next(schedule, after)


@pytest.mark.parametrize("expression", [*EXPRESSIONS, "0 9 1 * 1", "0 9 */2 * 1"])
def test_when_compared_with_cronsim_then_next_runs_agree(expression):
    cronsim = pytest.importorskip("cronsim")
    after = datetime(2026, 2, 20, 7, 31)
    ours = CronSchedule.parse(expression).next_runs(after, count=12)
    simulator = cronsim.CronSim(MACROS.get(expression, expression), after)
    theirs = [next(simulator) for _ in range(12)]
    assert ours == theirs
