"""When rounds open and fall due: by default weekly, Monday 09:00, due 3 working days later at 17:00."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pendulum

from supervisor_bot.core.calendar import WorkCalendar


@dataclass(frozen=True)
class RoundSchedule:
    timezone: str = "Asia/Shanghai"
    weekday: int = 0  # 0 = Monday
    opens_at: dt.time = dt.time(9, 0)
    due_workdays: int = 3
    due_at: dt.time = dt.time(17, 0)

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

    def latest_opening(self, now: dt.datetime, calendar: WorkCalendar) -> pendulum.DateTime | None:
        """The most recent scheduled opening at or before `now`."""
        today = self.local(now).date()
        for weeks_back in range(3):
            opening = self.opening_in_week(today - dt.timedelta(weeks=weeks_back), calendar)
            if opening is not None and opening <= now:
                return opening
        return None

    def due_for(self, opened: dt.datetime, calendar: WorkCalendar) -> pendulum.DateTime:
        day = calendar.add_workdays(self.local(opened).date(), self.due_workdays)
        return self.at(day, self.due_at)


def week_key(moment: dt.datetime, timezone: str) -> str:
    """`2021-W36`: the ISO week a round belongs to."""
    year, week, _ = pendulum.instance(moment).in_timezone(timezone).isocalendar()
    return f"{year}-W{week:02d}"
