"""When rounds open and fall due: by default weekly, Monday 09:00, due 3 working days later at 17:00; or monthly
on a day of each month, or quarterly on a day of a month of each quarter (the next working day if that day is
not one); or, with `due_monthday`, due on a fixed day of the month (the last working day before it if that day is
not one), opening `due_workdays` working days earlier."""

from __future__ import annotations

import calendar as months
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

import pendulum

from supervisor_bot.core.calendar import WorkCalendar
from supervisor_bot.core.matrix import Ask


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
    ask: Ask = Ask.ALL  # every unit of a measure is asked, or only its 牵头单位
    due_monthday: int | None = None  # monthly and quarterly: due on this day (各牵头单位于每月25日前报送)

    @property
    def fixed_due(self) -> bool:
        """Due on a fixed day of the month (`due_monthday`), opening `due_workdays` working days before."""
        return self.due_monthday is not None and self.cadence is not Cadence.WEEKLY

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
        if self.fixed_due:
            due = self._due_day(any_day.year, month, calendar)
            key = period_key(dt.date(any_day.year, month, 1), self.cadence)
            return Slot(key, self.at(calendar.add_workdays(due, -self.due_workdays), self.opens_at))
        nominal = day_of_month(any_day.year, month, self.monthday)
        return Slot(period_key(nominal, self.cadence), self.at(calendar.next_workday(nominal), self.opens_at))

    def _fixed_due_from(self, day: dt.date, calendar: WorkCalendar) -> dt.date:
        """The first fixed due day on or after `day`."""
        step = 3 if self.cadence is Cadence.QUARTERLY else 1
        first = months_back(day, step)
        index = first.year * 12 + first.month - 1
        if self.cadence is Cadence.QUARTERLY:
            index = index // 3 * 3 + self.month_of_quarter - 1
        for ahead in range(0, 4 * step + 1, step):
            fixed = self._due_day((index + ahead) // 12, (index + ahead) % 12 + 1, calendar)
            if fixed >= day:
                return fixed
        return day  # (not reached: a month always has a working day)

    def _due_day(self, year: int, month: int, calendar: WorkCalendar) -> dt.date:
        """The fixed due day of a month: `due_monthday`, or the last working day before it."""
        return calendar.previous_workday(day_of_month(year, month, self.due_monthday or 1))

    def _back(self, day: dt.date, periods: int) -> dt.date:
        if self.cadence is Cadence.WEEKLY:
            return day - dt.timedelta(weeks=periods)
        return months_back(day, periods * (3 if self.cadence is Cadence.QUARTERLY else 1))

    def latest_slot(self, now: dt.datetime, calendar: WorkCalendar) -> Slot | None:
        """The most recent scheduled opening at or before `now`."""
        today = self.local(now).date()
        found = [self.slot(self._back(today, back), calendar) for back in range(-1, 3)]  # (a fixed due day may
        passed = [f for f in found if f is not None and f.at <= now]  # open the next period's round this month)
        return max(passed, key=lambda f: f.at) if passed else None

    def next_slots(self, now: dt.datetime, calendar: WorkCalendar, count: int = 3) -> list[Slot]:
        """The next `count` scheduled openings after `now`, in order."""
        today = self.local(now).date()
        found: dict[str, Slot] = {}
        for ahead in range(0, 6 * count):
            slot = self.slot(self._back(today, -ahead), calendar)
            if slot is not None and slot.at > now:
                found.setdefault(slot.key, slot)
        return sorted(found.values(), key=lambda f: f.at)[:count]

    def latest_opening(self, now: dt.datetime, calendar: WorkCalendar) -> pendulum.DateTime | None:
        found = self.latest_slot(now, calendar)
        return found.at if found is not None else None

    def period_of(self, moment: dt.datetime) -> str:
        """The period a round opened by hand at `moment` belongs to."""
        return period_key(self.local(moment).date(), self.cadence)

    def due_for(self, opened: dt.datetime, calendar: WorkCalendar) -> pendulum.DateTime:
        """`due_workdays` working days after the opening; with a fixed due day, the first one that leaves them."""
        day = calendar.add_workdays(self.local(opened).date(), self.due_workdays)
        if self.fixed_due:
            return self.at(self._fixed_due_from(day, calendar), self.due_at)
        return self.at(day, self.due_at)


def week_key(moment: dt.datetime, timezone: str) -> str:
    """`2021-W36`: the ISO week a round belongs to."""
    return period_key(pendulum.instance(moment).in_timezone(timezone).date(), Cadence.WEEKLY)
