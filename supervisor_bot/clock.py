"""The one place that reads the time. The core is handed `now`; the shell asks a Clock."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Protocol

import pendulum


class Clock(Protocol):
    def now(self) -> pendulum.DateTime: ...


class SystemClock:
    def now(self) -> pendulum.DateTime:
        return pendulum.now("UTC")


class FastClock:
    """Lives from `start`, `speed` simulated seconds per real second (the demo, rehearsing a schedule)."""

    def __init__(self, start: dt.datetime, speed: float, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.start = pendulum.instance(start)
        self.speed = speed
        self._monotonic = monotonic
        self._origin = monotonic()

    def now(self) -> pendulum.DateTime:
        return self.start.add(microseconds=int((self._monotonic() - self._origin) * self.speed * 1_000_000))

    def real_seconds(self, simulated: dt.timedelta) -> float:
        return simulated.total_seconds() / self.speed

    def restart(self) -> None:
        """Start again from `start` now (once everything is up, so that set-up time is not lost)."""
        self._origin = self._monotonic()


class ManualClock:
    """A clock a test sets by hand."""

    def __init__(self, start: dt.datetime) -> None:
        self.moment = pendulum.instance(start)

    def now(self) -> pendulum.DateTime:
        return self.moment

    def set(self, moment: dt.datetime) -> None:
        self.moment = pendulum.instance(moment)

    def advance(self, **delta: float) -> None:
        self.moment = self.moment + dt.timedelta(**delta)
