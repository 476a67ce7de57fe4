"""Working days as China's official calendar has them: weekends off, holidays off, 调休 make-up days on."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass, field

_SATURDAY = 5


@dataclass(frozen=True)
class WorkCalendar:
    """Built by the shell from a calendar package and a local override file; the core only asks it."""

    holidays: frozenset[dt.date] = frozenset()  # weekdays off (春节, 国庆 …)
    makeup_workdays: frozenset[dt.date] = frozenset()  # weekend days worked (调休)
    _weekdays_off: tuple[dt.date, ...] = field(init=False, repr=False, compare=False)  # sorted
    _weekends_on: tuple[dt.date, ...] = field(init=False, repr=False, compare=False)  # sorted

    def __post_init__(self) -> None:
        off = sorted(d for d in self.holidays if d.weekday() < _SATURDAY and d not in self.makeup_workdays)
        on = sorted(d for d in self.makeup_workdays if d.weekday() >= _SATURDAY)
        object.__setattr__(self, "_weekdays_off", tuple(off))
        object.__setattr__(self, "_weekends_on", tuple(on))

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

    def previous_workday(self, day: dt.date) -> dt.date:
        """The day itself if it is a working day, else the last one before it."""
        while not self.is_workday(day):
            day -= dt.timedelta(days=1)
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
        """Working days after `start` up to and including `end` (0 if end ≤ start). Counted, not walked: an
        item overdue since a deadline years ago costs what one overdue since last week does."""
        if end <= start:
            return 0
        weeks, rest = divmod((end - start).days, 7)
        tail = (start + dt.timedelta(days=7 * weeks + n) for n in range(1, rest + 1))  # after the whole weeks
        weekdays = 5 * weeks + sum(day.weekday() < _SATURDAY for day in tail)
        off = bisect_right(self._weekdays_off, end) - bisect_right(self._weekdays_off, start)
        on = bisect_right(self._weekends_on, end) - bisect_right(self._weekends_on, start)
        return weekdays - off + on
