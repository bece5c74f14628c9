"""Cron day-of-week in standard crontab meaning (APScheduler 3 counts from Monday = 0)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.cron import standard_days
from bot.scheduler import fire_times
from bot.settings import check_cron

SUNDAY = datetime(2026, 11, 22, tzinfo=UTC)


def _weekdays(cron: str) -> list[str]:
    times = fire_times(cron, "UTC", SUNDAY, SUNDAY + timedelta(days=7))
    return [t.strftime("%a") for t in times]


def test_one_to_five_is_monday_to_friday() -> None:
    assert _weekdays("0 8 * * 1-5") == ["Mon", "Tue", "Wed", "Thu", "Fri"]


@pytest.mark.parametrize("field", ["0", "7", "sun", "SUN"])
def test_zero_seven_and_sun_are_sunday(field: str) -> None:
    assert _weekdays(f"0 8 * * {field}") == ["Sun"]


def test_lists_steps_and_names() -> None:
    assert standard_days("1-5/2") == "mon,wed,fri"
    assert standard_days("5-7") == "sun,fri,sat"
    assert standard_days("mon-fri") == "mon,tue,wed,thu,fri"
    assert standard_days("*") == "*"


def test_validation_uses_the_same_meaning() -> None:
    assert check_cron("0 18 * * 7") == "0 18 * * 7"
    with pytest.raises(ValueError, match=r"day of week '9' is out of range \(allowed 0-7"):
        check_cron("0 8 * * 9")
