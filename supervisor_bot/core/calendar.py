"""Working days as China's official calendar has them: weekends off, holidays off, 调休 make-up days on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

_SATURDAY = 5


@dataclass(frozen=True)
class WorkCalendar:
    """Built by the shell from a calendar package and a local override file; the core only asks it."""

    holidays: frozenset[dt.date] = frozenset()  # weekdays off (春节, 国庆 …)
    makeup_workdays: frozenset[dt.date] = frozenset()  # weekend days worked (调休)

    def is_workday(self, day: dt.date) -> bool:
        if day in self.makeup_workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < _SATURDAY

    def next_workday(self, day: dt.date) -> dt.date:
        """The day itself if it is a working day, else the next one."""
        while not self.is_workday(day):
            day += dt.timedelta(days=1)
        return day

    def add_workdays(self, day: dt.date, count: int) -> dt.date:
        """`count` working days after `day` (before it, if negative); `day` itself need not be one."""
        step = 1 if count >= 0 else -1
        remaining = abs(count)
        while remaining:
            day += dt.timedelta(days=step)
            if self.is_workday(day):
                remaining -= 1
        return day

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (0 if end ≤ start)."""
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.is_workday(day)
        return count
