"""The rehearsal's clock: simulated time at `speed` through office hours and ten times faster through nights and
days off (when nobody acts), held still while a simulated person acts or the bot ticks — so a liaison who reports
in good time is never made late by the machine's own pace — and stopping at each checkpoint (every hour in office
hours, every few at night, and the schedule's own times of day) until the bot has ticked there, and at each moment
a simulated person means to act until they have: every step of the ladder, every digest and every person's action
happens at its moment, at any pace."""

from __future__ import annotations

import asyncio
import bisect
import datetime as dt
import heapq
import time
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from contextlib import asynccontextmanager, contextmanager

import pendulum

from supervisor_bot.core.calendar import WorkCalendar
from supervisor_bot.sandbox import Sandbox

QUIET_FACTOR = 10.0  # nights and days off pass this much faster
DAY_STARTS, DAY_ENDS = dt.time(8, 0), dt.time(19, 0)
QUIET_HOURS = 4  # a checkpoint every this many hours outside office hours


class RehearsalClock:
    def __init__(
        self,
        start: dt.datetime,
        speed: float,
        calendar: WorkCalendar,
        tz: str,
        times: Iterable[dt.time] = (),
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.speed, self.calendar, self.tz = speed, calendar, tz
        self.times = frozenset(times)  # the schedule's times of day (opens_at, due_at, the digest's): checkpoints
        self._monotonic = monotonic
        self.start = pendulum.instance(start)
        self._simulated = self.start
        self._real = monotonic()
        self._holds = 0
        self._seen: list[tuple[float, pendulum.DateTime]] = []  # (wall-clock time, simulated time) as read
        self._wakes: list[pendulum.DateTime] = []  # (a heap) moments someone will act at: time waits there too
        self.barrier = self.start  # the next checkpoint: time waits there until the bot has ticked

    def _office(self, local: pendulum.DateTime) -> bool:
        return self.calendar.is_workday(local.date()) and DAY_STARTS <= local.time() < DAY_ENDS

    def wake_at(self, moment: dt.datetime) -> None:
        """Someone acts at `moment`: time stops there until they have (`woke`), whatever the pace."""
        heapq.heappush(self._wakes, pendulum.instance(moment))

    def woke(self, moment: dt.datetime) -> None:
        found = pendulum.instance(moment)
        if found in self._wakes:
            self._wakes.remove(found)
            heapq.heapify(self._wakes)

    def passed(self) -> None:
        """The bot has ticked at the barrier: time may go on to the next checkpoint — the next full hour (in office
        hours; every few hours outside them) or the next of the schedule's times of day."""
        local = self.barrier.in_timezone(self.tz)
        hour = local.start_of("hour").add(hours=1)
        while not (self._office(hour) or hour.hour % QUIET_HOURS == 0):
            hour = hour.add(hours=1)
        found = [hour]
        for time_of_day in self.times:
            for day in (local.date(), local.date() + dt.timedelta(days=1)):
                at = pendulum.datetime(day.year, day.month, day.day, time_of_day.hour, time_of_day.minute, tz=self.tz)
                if at > local:
                    found.append(at)
                    break
        self.barrier = min(found)

    def _rate(self, moment: pendulum.DateTime) -> tuple[float, pendulum.DateTime]:
        """The pace at `moment` and the next moment it changes."""
        local = moment.in_timezone(self.tz)
        day = local.date()
        opens = pendulum.datetime(day.year, day.month, day.day, DAY_STARTS.hour, DAY_STARTS.minute, tz=self.tz)
        closes = pendulum.datetime(day.year, day.month, day.day, DAY_ENDS.hour, DAY_ENDS.minute, tz=self.tz)
        if not self.calendar.is_workday(day):
            return self.speed * QUIET_FACTOR, opens.add(days=1)
        if local < opens:
            return self.speed * QUIET_FACTOR, opens
        if local < closes:
            return self.speed, closes
        return self.speed * QUIET_FACTOR, opens.add(days=1)

    def now(self) -> pendulum.DateTime:
        moment = self._advance()
        if not self._seen or self._seen[-1][1] != moment:
            self._seen.append((time.time(), moment))
        return moment

    def at_wall(self, timestamp: float) -> pendulum.DateTime:
        """The simulated time at a wall-clock moment (e.g. when the sandbox recorded a message) — as last read."""
        index = bisect.bisect_right(self._seen, timestamp, key=lambda seen: seen[0])
        return self._seen[index - 1][1] if index else self.start

    def _advance(self) -> pendulum.DateTime:
        real = self._monotonic()
        elapsed, self._real = real - self._real, real
        if self._holds:
            return self._simulated
        limit = min(self.barrier, self._wakes[0]) if self._wakes else self.barrier
        while elapsed > 0 and self._simulated < limit:
            rate, change = self._rate(self._simulated)
            change = min(change, limit)
            to_change = (change - self._simulated).total_seconds() / rate
            if elapsed < to_change:
                self._simulated = self._simulated.add(microseconds=int(elapsed * rate * 1_000_000))
                break
            elapsed -= to_change
            self._simulated = change
        return self._simulated

    def in_office_hours(self, moment: dt.datetime) -> pendulum.DateTime:
        """`moment`, or the next working day's office hours if it falls in a night or on a day off."""
        at = pendulum.instance(moment).in_timezone(self.tz)
        day: dt.date = at.date()
        if self._office(at):
            return at
        following = day
        if not self.calendar.is_workday(day) or at.time() >= DAY_STARTS:
            following = self.calendar.next_workday(day + dt.timedelta(days=1))
        return pendulum.datetime(following.year, following.month, following.day, 8, 30, tz=self.tz).add(
            minutes=at.minute
        )

    def at_real(self, moment: dt.datetime) -> pendulum.DateTime:
        """A message's date is whole seconds of real time — hours at this pace; it has just arrived: it is now."""
        return self.now()

    def restart(self) -> None:
        """Start again from `start` now (once everything is up, so that set-up time is not lost)."""
        self._simulated, self._real, self.barrier = self.start, self._monotonic(), self.start
        self._seen.clear()

    @asynccontextmanager
    async def acting(self, sandbox: Sandbox) -> AsyncIterator[None]:
        """Time stands still while a simulated person acts and until the bot has said all it says in answer."""
        with self.held():
            yield
            await settled(sandbox)

    @contextmanager
    def held(self) -> Iterator[None]:
        """Time stands still while a simulated person acts (holds may overlap)."""
        self.now()
        self._holds += 1
        try:
            yield
        finally:
            self.now()
            self._holds -= 1


async def settled(sandbox: Sandbox, quiet: float = 0.05, longest: float = 2.0) -> None:
    """Until the bot has sent nothing for `quiet` real seconds (at most `longest`)."""
    loop = asyncio.get_running_loop()
    give_up = loop.time() + longest
    seen, since = sandbox.mark(), loop.time()
    while loop.time() - since < quiet and loop.time() < give_up:
        await asyncio.sleep(0.01)
        if sandbox.mark() != seen:
            seen, since = sandbox.mark(), loop.time()
