"""Dates in card profiles: absolute (`2031-03-31`) or relative to a reference time (`-2y`, `-3h`, `+1y6mo`).

Why relative: a profile such as "certificate issued 3 hours ago" or "a 14-year-old" must stay true whatever day
the suite runs and whatever the simulated clock says, so the profile stores the offset and the PKI resolves it
against the reference time it is given.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from ras_common.jst import JST

_TOKEN = re.compile(r"([+-]?)(\d+)(y|mo|w|d|h|min|s)")
_UNITS = {"w": "weeks", "d": "days", "h": "hours", "min": "minutes", "s": "seconds"}


def is_relative(text: str) -> bool:
    return bool(text) and text[0] in "+-"


def _add_months(moment: dt.datetime, months: int) -> dt.datetime:
    total = moment.year * 12 + (moment.month - 1) + months
    year, month = divmod(total, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def parse_relative(text: str, reference: dt.datetime) -> dt.datetime:
    """`-5y10d` = five years and ten days before `reference`; a sign carries to the following tokens."""
    pos, sign, moment = 0, 1, reference
    if not is_relative(text):
        raise ValueError("a relative date starts with + or -")
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match:
            raise ValueError(f"cannot read {text[pos:]!r} (units: y, mo, w, d, h, min, s)")
        if match.group(1):
            sign = -1 if match.group(1) == "-" else 1
        amount = sign * int(match.group(2))
        unit = match.group(3)
        if unit == "y":
            moment = _add_months(moment, 12 * amount)
        elif unit == "mo":
            moment = _add_months(moment, amount)
        else:
            moment = moment + dt.timedelta(**{_UNITS[unit]: amount})
        pos = match.end()
    return moment


def resolve(value: str | dt.date | dt.datetime, reference: dt.datetime) -> dt.datetime:
    """A profile date as an aware UTC datetime. Plain dates mean midnight JST of that day."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=JST).astimezone(dt.UTC)
    text = str(value).strip()
    if is_relative(text):
        return parse_relative(text, reference.astimezone(dt.UTC))
    try:
        day = dt.date.fromisoformat(text)
        return dt.datetime(day.year, day.month, day.day, tzinfo=JST).astimezone(dt.UTC)
    except ValueError:
        moment = dt.datetime.fromisoformat(text)
        return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def resolve_date(value: str | dt.date | dt.datetime, reference: dt.datetime) -> dt.date:
    """A profile date as a calendar day in Japan (birth dates, card expiry)."""
    return resolve(value, reference).astimezone(JST).date()


def check(value: object) -> str | None:
    """None when `value` is a usable profile date, else a short reason."""
    if isinstance(value, dt.date | dt.datetime):
        return None
    if not isinstance(value, str) or not value.strip():
        return "must be a date (YYYY-MM-DD) or an offset such as -2y, -3h, +1y6mo"
    try:
        resolve(value, dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    except (ValueError, OverflowError) as exc:
        return f"is not a date or offset ({exc})"
    return None


def birthday_in(year: int, birth: dt.date) -> dt.date:
    """The birthday in `year`; 29 February becomes 28 February in common years."""
    if birth.month == 2 and birth.day == 29 and not calendar.isleap(year):
        return dt.date(year, 2, 28)
    return birth.replace(year=year)


def nth_birthday_after(birth: dt.date, after: dt.date, n: int) -> dt.date:
    """The n-th birthday strictly after the day `after` (JPKI validity: 5th birthday after issuance)."""
    first = birthday_in(after.year, birth)
    year = after.year if first > after else after.year + 1
    return birthday_in(year + n - 1, birth)


def age_on(birth: dt.date, day: dt.date) -> int:
    years = day.year - birth.year
    return years - (1 if birthday_in(day.year, birth) > day else 0)
