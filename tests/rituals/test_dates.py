"""The forgiving date parser and wall-clock arithmetic across DST (Europe/Budapest)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rituals.dates import DateError, last_weekly_slot, parse_when, wall_to_utc, words_for
from tests.rituals.conftest import MONDAY, TZ, local


@pytest.mark.parametrize(
    ("text", "start", "rest"),
    [
        ("2026-12-03 18:00 Repair café | Library hall, 2nd floor", local(2026, 12, 3, 18), "Repair café | Library hall, 2nd floor"),
        ("2026-12-03T18:00 Repair café", local(2026, 12, 3, 18), "Repair café"),
        ("3.12.2026 18:00 Repair café", local(2026, 12, 3, 18), "Repair café"),
        ("tomorrow 18:00 Dinner", local(2026, 12, 1, 18), "Dinner"),
        ("today 20:15 Late one", local(2026, 11, 30, 20, 15), "Late one"),
        ("fri 19:30 Games", local(2026, 12, 4, 19, 30), "Games"),
        ("Friday at 7:30pm Games", local(2026, 12, 4, 19, 30), "Games"),
        ("mon 08:00 Early", local(2026, 12, 7, 8), "Early"),  # Monday 08:00 has passed today: next week
        ("mon 11:00 Later today", local(2026, 11, 30, 11), "Later today"),
    ],
)
def test_forgiving_formats(text: str, start: datetime, rest: str) -> None:
    when = parse_when(text, MONDAY, TZ)
    assert when.start == start.astimezone(UTC)
    assert when.start.tzinfo is UTC
    assert when.rest == rest


def test_end_time_and_overnight_end() -> None:
    when = parse_when("2026-12-03 18:00-20:30 Repair café", MONDAY, TZ)
    assert (when.start, when.end) == (local(2026, 12, 3, 18).astimezone(UTC), local(2026, 12, 3, 20, 30).astimezone(UTC))
    late = parse_when("sat 22:00-01:00 Party", MONDAY, TZ)
    assert late.end == local(2026, 12, 6, 1).astimezone(UTC)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("next thursday evening", "bad"),
        ("2026-02-30 10:00 Impossible day", "bad"),
        ("2026-12-03 25:00 Impossible hour", "bad"),
        ("2026-12-03 Repair café", "no_time"),
        ("2025-06-01 10:00 Long ago", "past"),
        ("today 09:00 An hour ago", "past"),
        ("", "bad"),
    ],
)
def test_bad_dates_say_why(text: str, reason: str) -> None:
    with pytest.raises(DateError) as err:
        parse_when(text, MONDAY, TZ)
    assert err.value.reason == reason


def test_dst_wall_times() -> None:
    # Spring forward (29 March 2026, 02:00 -> 03:00): 18:00 is UTC+2 after, UTC+1 before.
    assert wall_to_utc(date(2026, 3, 28), time(18), TZ) == datetime(2026, 3, 28, 17, tzinfo=UTC)
    assert wall_to_utc(date(2026, 3, 29), time(18), TZ) == datetime(2026, 3, 29, 16, tzinfo=UTC)
    # 02:30 does not exist that night: it lands at 03:30 summer time.
    assert wall_to_utc(date(2026, 3, 29), time(2, 30), TZ) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    # "tomorrow 18:00" typed on the Saturday means 18:00 on the clock after the change.
    saturday_noon = datetime(2026, 3, 28, 11, tzinfo=UTC)
    assert parse_when("tomorrow 18:00 x", saturday_noon, TZ).start == datetime(2026, 3, 29, 16, tzinfo=UTC)


def test_weekly_slot_follows_the_wall_clock() -> None:
    ten = time(10)
    day, slot = last_weekly_slot(datetime(2026, 3, 27, 12, tzinfo=UTC), TZ, 0, ten)
    assert (day, slot) == (date(2026, 3, 23), datetime(2026, 3, 23, 9, tzinfo=UTC))  # CET
    day, slot = last_weekly_slot(datetime(2026, 3, 30, 8, 0, tzinfo=UTC), TZ, 0, ten)
    assert (day, slot) == (date(2026, 3, 30), datetime(2026, 3, 30, 8, tzinfo=UTC))  # CEST: an hour earlier in UTC
    day, _ = last_weekly_slot(datetime(2026, 3, 30, 7, 59, tzinfo=UTC), TZ, 0, ten)
    assert day == date(2026, 3, 23)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40) | st.from_regex(r"\d{1,5}[-./]\d{1,3}[-./]\d{0,5}[ T]\d{1,3}[:.]\d{1,3}(-\d{1,2}:\d\d)? \w*", fullmatch=True))
def test_anything_else_is_a_date_error_never_a_crash(text: str) -> None:
    try:
        when = parse_when(text, MONDAY, TZ)
    except DateError as err:
        assert err.reason in ("bad", "past", "no_time")
    else:
        assert when.start > MONDAY and (when.end is None or when.end > when.start)


@pytest.mark.parametrize(
    ("language", "today", "tomorrow", "text", "start"),
    [
        ("ru", "сегодня", "завтра", "Завтра 18:00 Ужин", local(2026, 12, 1, 18)),
        ("ru", "сегодня", "завтра", "пт 19:30 Игры", local(2026, 12, 4, 19, 30)),
        ("hu", "ma|ma este", "holnap", "péntek 19:30 Társas", local(2026, 12, 4, 19, 30)),
        ("pl", "dziś|dzisiaj", "jutro", "pt. 19:30 Gry", local(2026, 12, 4, 19, 30)),
        ("zh_Hans", "今天|今晚", "明天", "明天18:00 聚会", local(2026, 12, 1, 18)),
        ("it", "oggi|stasera", "domani", "stasera 21:00 Cena", local(2026, 11, 30, 21)),
        ("uk", "сьогодні", "завтра", "fri 19:30 English works everywhere", local(2026, 12, 4, 19, 30)),
    ],
)
def test_the_communitys_own_day_words(language: str, today: str, tomorrow: str, text: str, start: datetime) -> None:
    assert parse_when(text, MONDAY, TZ, words_for(language, today, tomorrow)).start == start.astimezone(UTC)
