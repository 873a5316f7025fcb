"""Repeat rules: what a manager types (``repeat every 2 weeks until 2027-03-01``), RFC 5545 RRULE text, expansion.

A rule is expanded by ``dateutil.rrule`` on the community's *wall clock*
(naive local times), and only then is each occurrence given the zone
(``zoneinfo``) and turned into UTC: a weekly 18:00 stays 18:00 across a DST
change while its UTC offset moves. The expanded rule is cached (dateutil's own
cache, one rule object per series version), so a tick never re-expands from the
first occurrence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from dateutil import rrule as du

from rituals.dates import Words

FREQS = {"DAILY": du.DAILY, "WEEKLY": du.WEEKLY, "MONTHLY": du.MONTHLY}
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
MAX_COUNT = 500  # a typo like x1000 must not make a thousand reminders
MAX_INTERVAL = 52
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "last": -1}
_UNITS = {"day": "DAILY", "days": "DAILY", "week": "WEEKLY", "weeks": "WEEKLY", "month": "MONTHLY", "months": "MONTHLY"}
_SIMPLE = {"daily": "DAILY", "weekly": "WEEKLY", "fortnightly": "WEEKLY", "biweekly": "WEEKLY", "monthly": "MONTHLY"}
_COUNT = re.compile(r"^(?:x(\d+)|(\d+)x|count\s+(\d+)|(\d+)\s+times)$", re.IGNORECASE)


class RepeatError(ValueError):
    """What is wrong with a repeat clause: ``reason`` is a catalog key suffix, ``word`` what was typed."""

    def __init__(self, reason: str, word: str = "") -> None:
        super().__init__(reason, word)
        self.reason, self.word = reason, word


@dataclass(frozen=True, slots=True)
class Repeat:
    """A repeat rule the bot understands: every ``interval`` days/weeks/months, optionally the nth weekday of the
    month, ending on a local date (inclusive) or after a number of occurrences (or never)."""

    freq: str  # DAILY | WEEKLY | MONTHLY
    interval: int = 1
    nth: int | None = None  # MONTHLY only: 1..4 or -1 (last), with ``weekday``
    weekday: int | None = None  # 0 = Monday
    until: date | None = None
    count: int | None = None

    def rrule_text(self, tz: ZoneInfo) -> str:
        """RFC 5545 RRULE value. UNTIL is UTC (RFC 5545 asks so when DTSTART has a zone): the end of the local day."""
        parts = [f"FREQ={self.freq}"]
        if self.interval != 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.nth is not None and self.weekday is not None:
            parts.append(f"BYDAY={self.nth}{DAYS[self.weekday]}")
        if self.until is not None:
            last = datetime.combine(self.until, time(23, 59, 59), tzinfo=tz).astimezone(UTC)
            parts.append(f"UNTIL={last:%Y%m%dT%H%M%SZ}")
        if self.count is not None:
            parts.append(f"COUNT={self.count}")
        return ";".join(parts)

    @classmethod
    def from_rrule(cls, text: str, tz: ZoneInfo) -> Repeat:
        """Read back what ``rrule_text`` wrote (UNTIL as the local date of the last allowed start)."""
        fields = dict(p.split("=", 1) for p in text.split(";") if "=" in p)
        nth = weekday = None
        if "BYDAY" in fields:
            m = re.fullmatch(r"([+-]?\d)([A-Z]{2})", fields["BYDAY"])
            if m is None:
                raise ValueError(f"unsupported BYDAY {fields['BYDAY']!r}")
            nth, weekday = int(m.group(1)), DAYS.index(m.group(2))
        until = None
        if "UNTIL" in fields:
            until = datetime.strptime(fields["UNTIL"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC).astimezone(tz).date()
        count = int(fields["COUNT"]) if "COUNT" in fields else None
        return cls(fields["FREQ"], int(fields.get("INTERVAL", "1")), nth, weekday, until, count)


def parse_repeat(text: str, words: Words) -> tuple[Repeat | None, str]:
    """Take a leading ``repeat ...`` clause off ``text`` (what follows the date and time); returns it and the rest.

    ``repeat weekly``, ``repeat daily``, ``repeat monthly``, ``repeat every 2 weeks``, ``repeat fortnightly``,
    ``repeat monthly first thursday`` (also second, third, fourth, last; weekday names in the community's
    language too), then optionally ``until 2027-03-01`` or ``x10`` / ``count 10`` / ``10 times``.
    Raises ``RepeatError`` naming the word it could not read.
    """
    tokens = text.split()
    if not tokens or tokens[0].lower() != "repeat":
        return None, text
    i = 1

    def word(k: int) -> str:
        return tokens[k].lower().strip(",") if k < len(tokens) else ""

    first = word(i)
    if not first:
        raise RepeatError("how", "")
    interval, freq = 1, ""
    if first in _SIMPLE:
        freq, i = _SIMPLE[first], i + 1
        interval = 2 if first in ("fortnightly", "biweekly") else 1
    elif first == "every":
        n = word(i + 1)
        if n.isdigit() and word(i + 2) in _UNITS:
            interval, freq, i = int(n), _UNITS[word(i + 2)], i + 3
        elif n in _UNITS:
            freq, i = _UNITS[n], i + 2
        else:
            raise RepeatError("how", " ".join(tokens[i : i + 3]))
    else:
        raise RepeatError("how", first)
    if not 1 <= interval <= MAX_INTERVAL:
        raise RepeatError("interval", str(interval))
    nth = weekday = None
    if freq == "MONTHLY" and word(i) in _ORDINALS:
        days = dict(words.weekdays)
        day = word(i + 1).rstrip(".")
        if day not in days:
            raise RepeatError("weekday", day)
        nth, weekday, i = _ORDINALS[word(i)], days[day], i + 2
    until = count = None
    while True:
        w = word(i)
        if w == "until":
            try:
                until = date.fromisoformat(word(i + 1))
            except ValueError:
                raise RepeatError("until", word(i + 1)) from None
            i += 2
        elif (m := _COUNT.match(w)) or (m := _COUNT.match(f"{w} {word(i + 1)}")):
            count = int(next(g for g in m.groups() if g))
            i += 1 if _COUNT.match(w) else 2
            if not 1 <= count <= MAX_COUNT:
                raise RepeatError("count", str(count))
        else:
            break
    if until is not None and count is not None:
        raise RepeatError("both")
    return Repeat(freq, interval, nth, weekday, until, count), " ".join(tokens[i:])


@lru_cache(maxsize=32768)
def _rule(rrule_text: str, first_local: datetime) -> du.rrule:
    """The dateutil rule on the wall clock (naive), with its cache on: later calls reuse what was expanded."""
    fields = dict(p.split("=", 1) for p in rrule_text.split(";") if "=" in p)
    until = None
    if "UNTIL" in fields:  # the local wall time of the last allowed start; computed by ``Series``
        until = datetime.strptime(fields.pop("UNTIL"), "%Y%m%dT%H%M%S")
    byweekday = None
    if "BYDAY" in fields:
        m = re.fullmatch(r"([+-]?\d)([A-Z]{2})", fields["BYDAY"])
        assert m is not None
        byweekday = du.weekday(DAYS.index(m.group(2)), int(m.group(1)))
    return du.rrule(
        FREQS[fields["FREQ"]],
        dtstart=first_local,
        interval=int(fields.get("INTERVAL", "1")),
        byweekday=byweekday,
        count=int(fields["COUNT"]) if "COUNT" in fields else None,
        until=until,
        cache=True,
    )


@dataclass(frozen=True, slots=True)
class Series:
    """A rule anchored at its first start, in a zone: the original starts of its occurrences, in UTC."""

    rrule: str
    first: datetime  # UTC: the first occurrence
    tz: ZoneInfo

    def _local_rule(self) -> du.rrule:
        first_local = self.first.astimezone(self.tz).replace(tzinfo=None)
        fields = [p for p in self.rrule.split(";") if not p.startswith("UNTIL=")]
        for p in self.rrule.split(";"):
            if p.startswith("UNTIL="):
                until = datetime.strptime(p[6:], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC).astimezone(self.tz)
                fields.append(f"UNTIL={until.replace(tzinfo=None):%Y%m%dT%H%M%S}")
        return _rule(";".join(fields), first_local)

    def _utc(self, local: datetime) -> datetime:
        # Wall time first, zone second: fold=0 puts a time skipped in spring an hour later, a repeated one first.
        return local.replace(tzinfo=self.tz).astimezone(UTC)

    def _local(self, when: datetime) -> datetime:
        return when.astimezone(self.tz).replace(tzinfo=None)

    def between(self, start: datetime, end: datetime) -> list[datetime]:
        """Original starts in [start, end), UTC."""
        a, b = self._local(start) - timedelta(hours=3), self._local(end) + timedelta(hours=3)  # DST slack, trimmed below
        return [u for d in self._local_rule().between(a, b, inc=True) if start <= (u := self._utc(d)) < end]

    def after(self, when: datetime) -> datetime | None:
        """The first original start at or after ``when``."""
        for d in self._local_rule().xafter(self._local(when) - timedelta(hours=3), inc=True):
            if (u := self._utc(d)) >= when:
                return u
        return None

    def on(self, day: date) -> datetime | None:
        """The original start on this local date, if the rule has one."""
        found = self.between(
            datetime.combine(day, time(0), tzinfo=self.tz), datetime.combine(day + timedelta(days=1), time(0), tzinfo=self.tz)
        )
        return found[0] if found else None

    def last(self) -> datetime | None:
        """The last original start, when the rule ends (None: it repeats forever)."""
        rule = self._local_rule()
        if "UNTIL=" not in self.rrule and "COUNT=" not in self.rrule:
            return None
        found = rule[-1] if rule.count() else None
        return self._utc(found) if found is not None else None

    def before(self, when: datetime) -> list[datetime]:
        """Original starts before ``when`` (for splitting a series edited mid-way)."""
        return self.between(self.first, when)


def first_on_or_after(repeat: Repeat, start: datetime, tz: ZoneInfo) -> datetime | None:
    """Where a series typed as ``start`` really begins: the first date the rule allows (``monthly first thursday``
    typed on a Monday begins on the next first Thursday), at the typed wall time."""
    if repeat.nth is None:
        return start
    local = start.astimezone(tz).replace(tzinfo=None)
    open_ended = Repeat(repeat.freq, repeat.interval, repeat.nth, repeat.weekday)
    nxt = _rule(open_ended.rrule_text(tz), local.replace(day=1)).after(local, inc=True)
    return nxt.replace(tzinfo=tz).astimezone(UTC) if nxt is not None else None
