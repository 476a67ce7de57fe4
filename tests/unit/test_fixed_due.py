"""`[rounds] due_monthday` (各牵头单位于每月25日前报送): due on that day, or the last working day before it; opened
`due_workdays` working days earlier — over China's calendar, for any day of the month, monthly or quarterly."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from supervisor_bot.core.matrix import Ask
from supervisor_bot.core.schedule import Cadence, RoundSchedule, day_of_month
from supervisor_bot.settings.calendar import load_calendar
from supervisor_bot.settings.errors import ConfigError
from supervisor_bot.settings.settings import load_settings
from tests.conftest import CONFIG

CAL = load_calendar(CONFIG / "calendar_overrides.toml")
TZ = "Asia/Shanghai"
MONTHLY = RoundSchedule(cadence=Cadence.MONTHLY, due_monthday=25, due_workdays=3)


def at(month: int, day: int, hour: int = 9, year: int = 2025) -> pendulum.DateTime:
    return pendulum.datetime(year, month, day, hour, tz=TZ)


def test_due_on_the_25th_or_the_working_day_before() -> None:
    found = {}
    for month in (3, 4, 5, 10):
        slot = MONTHLY.slot(dt.date(2025, month, 1), CAL)
        assert slot is not None
        found[slot.key] = (slot.at, MONTHLY.due_for(slot.at, CAL))
    assert found["2025-03"] == (at(3, 20), at(3, 25, 17))
    assert found["2025-04"] == (at(4, 22), at(4, 25, 17))
    assert found["2025-05"] == (at(5, 20), at(5, 23, 17))  # the 25th a Sunday: Friday the 23rd
    assert found["2025-10"] == (at(10, 21), at(10, 24, 17))  # a Saturday
    makeup = RoundSchedule(cadence=Cadence.MONTHLY, due_monthday=28, due_workdays=3)
    slot = makeup.slot(dt.date(2025, 9, 1), CAL)  # 28 September 2025: a Sunday worked (调休) before 国庆
    assert slot is not None and makeup.due_for(slot.at, CAL) == at(9, 28, 17)


def test_an_opening_in_the_month_before_belongs_to_its_due_month() -> None:
    early = RoundSchedule(cadence=Cadence.MONTHLY, due_monthday=1, due_workdays=3)
    slot = early.latest_slot(at(6, 27), CAL)  # due Tuesday 1 July, opened Thursday 26 June
    assert slot is not None and slot.key == "2025-07" and slot.at == at(6, 26)
    assert early.due_for(slot.at, CAL) == at(7, 1, 17)
    assert [s.key for s in early.next_slots(at(6, 27), CAL)] == ["2025-08", "2025-09", "2025-10"]


def test_quarterly_and_by_hand() -> None:
    quarterly = RoundSchedule(cadence=Cadence.QUARTERLY, month_of_quarter=1, due_monthday=20, due_workdays=2)
    slot = quarterly.slot(dt.date(2025, 5, 10), CAL)
    assert slot is not None and slot.key == "2025-Q2"
    assert quarterly.due_for(slot.at, CAL) == at(4, 18, 17)  # 20 April a Sunday
    assert MONTHLY.due_for(at(4, 10), CAL) == at(4, 25, 17)  # opened by hand: the first fixed day far enough
    assert MONTHLY.due_for(at(4, 24), CAL) == at(5, 23, 17)


@settings(max_examples=60, deadline=None)
@given(
    day=st.integers(1, 31),
    workdays=st.integers(0, 8),
    quarterly=st.booleans(),
    moment=st.datetimes(dt.datetime(2021, 1, 1), dt.datetime(2026, 12, 1)),  # noqa: DTZ001 (naive bounds)
)
def test_the_round_is_due_on_its_day_for_any_day(day: int, workdays: int, quarterly: bool, moment: dt.datetime) -> None:
    cadence = Cadence.QUARTERLY if quarterly else Cadence.MONTHLY
    schedule = RoundSchedule(cadence=cadence, due_monthday=day, due_workdays=workdays, month_of_quarter=2)
    now = pendulum.instance(moment, tz=TZ)
    slot = schedule.latest_slot(now, CAL)
    assert slot is not None and slot.at <= now
    due = schedule.due_for(slot.at, CAL).date()
    year = int(slot.key[:4])
    month = (int(slot.key[6]) - 1) * 3 + 2 if quarterly else int(slot.key[5:])
    nominal = day_of_month(year, month, day)
    assert due == CAL.previous_workday(nominal)  # that day, or the last working day before it (even last month's)
    assert CAL.add_workdays(slot.at.date(), workdays) == due


def write(tmp: Path, rounds: str) -> Path:
    path = tmp / "settings.toml"
    path.write_text(f"[rounds]\n{rounds}\n", encoding="utf-8")
    return path


def test_the_settings_keys(tmp_path: Path) -> None:
    read = load_settings(write(tmp_path, 'cadence = "monthly"\nask = "leads"\ndue_monthday = 25'), environ={})
    assert read.schedule.ask is Ask.LEADS and read.schedule.due_monthday == 25 and read.schedule.fixed_due
    assert load_settings(write(tmp_path, ""), environ={}).schedule.ask is Ask.ALL
    with pytest.raises(ConfigError, match=r"rounds\.ask.*\"leads\""):
        load_settings(write(tmp_path, 'ask = "lead"'), environ={})
    with pytest.raises(ConfigError, match=r"rounds\.due_monthday.*monthly"):
        load_settings(write(tmp_path, "due_monthday = 25"), environ={})  # weekly: no day of the month
    with pytest.raises(ConfigError, match=r"rounds\.due_monthday.*1 到 31"):
        load_settings(write(tmp_path, 'cadence = "monthly"\ndue_monthday = 32'), environ={})
