"""When rounds open and fall due: by default weekly, Monday 09:00, due 3 working days later at 17:00; or monthly
on a day of each month, or quarterly on a day of a month of each quarter (the next working day if that day is
not one)."""

from __future__ import annotations

import calendar as months
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

import pendulum

from supervisor_bot.core.calendar import WorkCalendar


class Cadence(StrEnum):
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"


@dataclass(frozen=True)
class Slot:
    """A period's scheduled moment: its key (`2021-W36`, `2025-06`, `2025-Q2`) and when it falls."""

    key: str
    at: pendulum.DateTime


def day_of_month(year: int, month: int, monthday: int) -> dt.date:
    """The month's `monthday`, or its last day in a shorter month (31 → 30 June, 28/29 February)."""
    return dt.date(year, month, min(monthday, months.monthrange(year, month)[1]))


def months_back(day: dt.date, count: int) -> dt.date:
    """The first of the month `count` months before `day`'s."""
    index = day.year * 12 + day.month - 1 - count
    return dt.date(index // 12, index % 12 + 1, 1)


def period_key(day: dt.date, cadence: Cadence) -> str:
    """The period `day` falls in: `2021-W36`, `2025-06`, `2025-Q2`."""
    if cadence is Cadence.MONTHLY:
        return f"{day.year}-{day.month:02d}"
    if cadence is Cadence.QUARTERLY:
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class RoundSchedule:
    timezone: str = "Asia/Shanghai"
    weekday: int = 0  # 0 = Monday (weekly)
    opens_at: dt.time = dt.time(9, 0)
    due_workdays: int = 3
    due_at: dt.time = dt.time(17, 0)
    cadence: Cadence = Cadence.WEEKLY
    monthday: int = 1  # monthly and quarterly: the day of the month it opens on
    month_of_quarter: int = 1  # quarterly: the quarter's first, second or third month

    def local(self, moment: dt.datetime) -> pendulum.DateTime:
        return pendulum.instance(moment).in_timezone(self.timezone)

    def at(self, day: dt.date, time: dt.time) -> pendulum.DateTime:
        return pendulum.datetime(day.year, day.month, day.day, time.hour, time.minute, tz=self.timezone)

    def opening_in_week(self, any_day: dt.date, calendar: WorkCalendar) -> pendulum.DateTime | None:
        """The week's opening: its scheduled day, or the next working day in the same week; None if none."""
        monday = any_day - dt.timedelta(days=any_day.weekday())
        day = calendar.next_workday(monday + dt.timedelta(days=self.weekday))
        if day > monday + dt.timedelta(days=6):
            return None
        return self.at(day, self.opens_at)

    def slot(self, any_day: dt.date, calendar: WorkCalendar) -> Slot | None:
        """The opening of the period `any_day` falls in (weekly: None for a week without a working day).
        Monthly and quarterly: the scheduled day, or the next working day (which may fall in the next month:
        the round still belongs to its own period)."""
        if self.cadence is Cadence.WEEKLY:
            opening = self.opening_in_week(any_day, calendar)
            return Slot(period_key(any_day, self.cadence), opening) if opening is not None else None
        month = any_day.month
        if self.cadence is Cadence.QUARTERLY:
            month = (month - 1) // 3 * 3 + self.month_of_quarter
        nominal = day_of_month(any_day.year, month, self.monthday)
        return Slot(period_key(nominal, self.cadence), self.at(calendar.next_workday(nominal), self.opens_at))

    def _back(self, day: dt.date, periods: int) -> dt.date:
        if self.cadence is Cadence.WEEKLY:
            return day - dt.timedelta(weeks=periods)
        return months_back(day, periods * (3 if self.cadence is Cadence.QUARTERLY else 1))

    def latest_slot(self, now: dt.datetime, calendar: WorkCalendar) -> Slot | None:
        """The most recent scheduled opening at or before `now`."""
        today = self.local(now).date()
        for back in range(3):
            found = self.slot(self._back(today, back), calendar)
            if found is not None and found.at <= now:
                return found
        return None

    def latest_opening(self, now: dt.datetime, calendar: WorkCalendar) -> pendulum.DateTime | None:
        found = self.latest_slot(now, calendar)
        return found.at if found is not None else None

    def period_of(self, moment: dt.datetime) -> str:
        """The period a round opened by hand at `moment` belongs to."""
        return period_key(self.local(moment).date(), self.cadence)

    def due_for(self, opened: dt.datetime, calendar: WorkCalendar) -> pendulum.DateTime:
        day = calendar.add_workdays(self.local(opened).date(), self.due_workdays)
        return self.at(day, self.due_at)


def week_key(moment: dt.datetime, timezone: str) -> str:
    """`2021-W36`: the ISO week a round belongs to."""
    return period_key(pendulum.instance(moment).in_timezone(timezone).date(), Cadence.WEEKLY)
