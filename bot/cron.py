"""Standard crontab meaning for APScheduler 3.

APScheduler 3 reads a crontab's day-of-week numbers from Monday = 0, so "1-5" would fire
Tuesday to Saturday; crontab(5), and everyone who writes "0 8 * * 1-5", means Monday to
Friday (0 and 7 are Sunday). We hand APScheduler weekday names instead.
"""

from __future__ import annotations

import re

_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
_TOKEN = re.compile(r"^(?:[0-7]|sun|mon|tue|wed|thu|fri|sat)$", re.IGNORECASE)


def _day(token: str) -> int:
    return int(token) % 7 if token.isdigit() else _DAYS.index(token.lower())


def standard_days(field: str) -> str:
    """A crontab day-of-week field as APScheduler weekday names ("1-5" -> "mon,...,fri").
    Anything that is not plain crontab (APScheduler's own "last fri") is returned as is, for
    APScheduler to accept or reject."""
    if field == "*":
        return field
    days: set[int] = set()
    for part in field.split(","):
        span, slash, step_text = part.partition("/")
        if slash and not step_text.isdigit() or step_text == "0":
            return field
        step = int(step_text) if slash else 1
        if span == "*":
            low, high = 0, 6
        else:
            first, dash, last = span.partition("-")
            if not _TOKEN.match(first) or (dash and not _TOKEN.match(last)):
                return field
            low = _day(first)
            high = (7 if last == "7" else _day(last)) if dash else (6 if slash else low)
            if high < low:
                return field  # crontab ranges do not wrap; let APScheduler say so
        days.update(d % 7 for d in range(low, high + 1, step))
    return ",".join(_DAYS[d] for d in sorted(days))


def apscheduler_crontab(expr: str) -> str:
    """A 5-field crontab expression with its day of week in standard crontab meaning."""
    fields = expr.split()
    if len(fields) != 5:
        return expr
    fields[4] = standard_days(fields[4])
    return " ".join(fields)
