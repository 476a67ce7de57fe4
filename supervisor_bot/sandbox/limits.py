"""Telegram's flood limits: messages per group per minute and messages per second overall."""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from .errors import too_many_requests

Clock = Callable[[], float]


@dataclass(frozen=True)
class RateLimits:
    """Sliding-window limits; the defaults are Telegram's (20/min per group, 30/s in total)."""

    group_messages: int = 20
    group_window: float = 60.0
    total_messages: int = 30
    total_window: float = 1.0


class _Window:
    """Timestamps of accepted sends within one sliding window."""

    def __init__(self) -> None:
        self.times: deque[float] = deque()

    def wait_needed(self, now: float, limit: int, window: float) -> float:
        """Seconds until one more send fits (0 when it fits now)."""
        while self.times and self.times[0] <= now - window:
            self.times.popleft()
        if len(self.times) < limit:
            return 0.0
        return self.times[len(self.times) - limit] + window - now


class RateLimiter:
    """Decides whether a send may happen now, or how long the bot must wait (HTTP 429)."""

    def __init__(self, limits: RateLimits | None = None, clock: Clock | None = None) -> None:
        self.limits = limits or RateLimits()
        self.clock: Clock = clock or time.monotonic
        self._total = _Window()
        self._groups: dict[int, _Window] = {}

    def reset(self) -> None:
        self._total = _Window()
        self._groups.clear()

    def check_send(self, chat_id: int, is_group: bool) -> None:
        """Count one outgoing message or raise 429 with ``retry_after`` (whole seconds, at least 1)."""
        now = self.clock()
        limits = self.limits
        wait = self._total.wait_needed(now, limits.total_messages, limits.total_window)
        group = self._groups.setdefault(chat_id, _Window()) if is_group else None
        if group is not None:
            wait = max(wait, group.wait_needed(now, limits.group_messages, limits.group_window))
        if wait > 0:
            raise too_many_requests(max(1, math.ceil(wait)))
        self._total.times.append(now)
        if group is not None:
            group.times.append(now)
