"""The one place that reads the time. The core is handed `now`; the shell asks a Clock."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Protocol

import pendulum


class Clock(Protocol):
    def now(self) -> pendulum.DateTime: ...

    def at_real(self, moment: dt.datetime) -> pendulum.DateTime:
        """The clock's time at a real moment (e.g. when Telegram says a message was sent)."""
        ...


class SystemClock:
    def now(self) -> pendulum.DateTime:
        return pendulum.now("UTC")

    def at_real(self, moment: dt.datetime) -> pendulum.DateTime:
        return pendulum.instance(moment)


class FastClock:
    """Lives from `start`, `speed` simulated seconds per real second (the demo, rehearsing a schedule)."""

    def __init__(self, start: dt.datetime, speed: float, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.start = pendulum.instance(start)
        self.speed = speed
        self._monotonic = monotonic
        self._origin = monotonic()
        self._wall_origin = pendulum.now("UTC")

    def now(self) -> pendulum.DateTime:
        return self.start.add(microseconds=int((self._monotonic() - self._origin) * self.speed * 1_000_000))

    def real_seconds(self, simulated: dt.timedelta) -> float:
        return simulated.total_seconds() / self.speed

    def restart(self) -> None:
        """Start again from `start` now (once everything is up, so that set-up time is not lost)."""
        self._origin = self._monotonic()
        self._wall_origin = pendulum.now("UTC")

    def at_real(self, moment: dt.datetime) -> pendulum.DateTime:
        elapsed = (pendulum.instance(moment) - self._wall_origin).total_seconds()
        return self.start.add(microseconds=int(elapsed * self.speed * 1_000_000))


class ManualClock:
    """A clock a test sets by hand."""

    def __init__(self, start: dt.datetime) -> None:
        self.moment = pendulum.instance(start)

    def now(self) -> pendulum.DateTime:
        return self.moment

    def at_real(self, moment: dt.datetime) -> pendulum.DateTime:
        return self.moment  # a test's messages arrive at the moment it has set

    def set(self, moment: dt.datetime) -> None:
        self.moment = pendulum.instance(moment)

    def advance(self, **delta: float) -> None:
        self.moment = self.moment + dt.timedelta(**delta)
