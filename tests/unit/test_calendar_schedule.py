"""Working days with 调休, and when rounds open and fall due — across weekends and holidays."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pendulum
import pytest

from supervisor_bot.core.calendar import WorkCalendar
from supervisor_bot.core.schedule import RoundSchedule, week_key
from supervisor_bot.settings.calendar import covered_years, load_calendar
from supervisor_bot.settings.errors import ConfigError
from tests.conftest import CONFIG

D = dt.date
TZ = "Asia/Shanghai"
CAL = load_calendar(CONFIG / "calendar_overrides.toml")
SCHEDULE = RoundSchedule()


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(year, month, day, hour, minute, tz=TZ)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2021, 9, 17), True),  # Friday
        (D(2021, 9, 18), True),  # Saturday, 调休 make-up day before 中秋
        (D(2021, 9, 20), False),  # Monday, 中秋 holiday
        (D(2021, 9, 26), True),  # Sunday, 调休 make-up day before 国庆
        (D(2021, 10, 4), False),  # Monday, 国庆
        (D(2021, 10, 9), True),  # Saturday, 调休
        (D(2021, 10, 10), False),  # Sunday
    ],
)
def test_chinas_official_calendar(day: dt.date, working: bool) -> None:
    assert CAL.is_workday(day) is working


def test_add_workdays_skips_holidays_and_counts_makeup_days() -> None:
    assert CAL.add_workdays(D(2021, 9, 16), 3) == D(2021, 9, 22)  # Fri 17, Sat 18 (调休), Wed 22
    assert CAL.add_workdays(D(2021, 9, 30), 1) == D(2021, 10, 8)
    assert CAL.add_workdays(D(2021, 10, 8), -1) == D(2021, 9, 30)
    assert CAL.workdays_between(D(2021, 9, 17), D(2021, 9, 22)) == 2


def test_weekend_only_calendar() -> None:
    plain = WorkCalendar()
    assert plain.add_workdays(D(2021, 9, 10), 1) == D(2021, 9, 13)
    assert plain.next_workday(D(2021, 9, 11)) == D(2021, 9, 13)


def test_default_round_monday_nine_due_thursday_five() -> None:
    opening = SCHEDULE.opening_in_week(D(2021, 9, 8), CAL)
    assert opening == at(2021, 9, 6, 9, 0)
    assert SCHEDULE.due_for(opening, CAL) == at(2021, 9, 9, 17, 0)
    assert week_key(opening, TZ) == "2021-W36"


def test_a_holiday_monday_moves_the_opening_and_makeup_sunday_counts() -> None:
    opening = SCHEDULE.opening_in_week(D(2021, 9, 20), CAL)
    assert opening == at(2021, 9, 22, 9, 0)  # Mon 20 and Tue 21 are 中秋
    assert SCHEDULE.due_for(opening, CAL) == at(2021, 9, 26, 17, 0)  # Thu, Fri, then Sunday 26 (调休)


def test_latest_opening() -> None:
    assert SCHEDULE.latest_opening(at(2021, 9, 6, 8, 59), CAL) == at(2021, 8, 30, 9, 0)
    assert SCHEDULE.latest_opening(at(2021, 9, 6, 9, 0), CAL) == at(2021, 9, 6, 9, 0)
    assert SCHEDULE.latest_opening(at(2021, 9, 12, 23, 0), CAL) == at(2021, 9, 6, 9, 0)


def test_a_week_without_a_working_day_has_no_round() -> None:
    off = WorkCalendar(holidays=frozenset(D(2021, 9, 6) + dt.timedelta(days=n) for n in range(5)))
    assert SCHEDULE.opening_in_week(D(2021, 9, 6), off) is None


def test_overrides_add_a_year_the_package_does_not_cover(tmp_path: Path) -> None:
    path = tmp_path / "overrides.toml"
    path.write_text('[2031]\nholidays = ["2031-10-01..2031-10-03"]\nworkdays = ["2031-09-28"]\n', encoding="utf-8")
    cal = load_calendar(path)
    assert not cal.is_workday(D(2031, 10, 2))
    assert cal.is_workday(D(2031, 9, 28))  # a Sunday
    assert 2031 in covered_years(path)


@pytest.mark.parametrize(
    ("content", "key"),
    [
        ('[2031]\nholidays = ["2031-13-01"]\n', "2031.holidays"),
        ('[2031]\nworkdays = "2031-01-01"\n', "2031.workdays"),
        ('[2031]\nholiday = ["2031-01-01"]\n', "2031.holiday"),
        ('[2031]\nholidays = ["2031-10-03..2031-10-01"]\n', "2031.holidays"),
    ],
)
def test_broken_overrides_name_the_key(tmp_path: Path, content: str, key: str) -> None:
    path = tmp_path / "overrides.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_calendar(path)
    assert error.value.key == key
