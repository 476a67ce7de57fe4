"""How many messages the application keeps in flight at once: as many as the messenger's rate needs, no more.

A message in flight — its intent stored, the send made, its result not yet stored — is in doubt if the process
dies: the next life sends it again (delivery.deliver_once). Thirty-two in flight let a kill in a round's fan-out
double most checklists, although Telegram's 30 messages a second need only rate × round trip of them in flight
to keep to the rate. The window is that and one more (never fewer than 2, never more than 32), with the round
trip measured from the intent stored to the result stored: the least of the recent sends' times, so that a send
held back by the rate limiter (waiting its turn is no round trip) does not widen it.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

TELEGRAM_RATE = 30.0  # messages a second Telegram allows a bot in all
LEAST, MOST = 2, 32
SAMPLES = 16  # the recent round trips the least is taken over


@dataclass
class SendWindow:
    rate: float = TELEGRAM_RATE  # the messenger's messages a second
    clock: Callable[[], float] = time.monotonic
    _times: deque[float] = field(default_factory=lambda: deque(maxlen=SAMPLES))
    _in_flight: int = 0
    _changed: asyncio.Condition | None = None

    @property
    def size(self) -> int:
        """Sends allowed in flight now: rate × the round trip, and one more, within [LEAST, MOST]."""
        if not self._times:
            return LEAST
        return max(LEAST, min(MOST, math.ceil(self.rate * min(self._times)) + 1))

    @property
    def in_flight(self) -> int:
        return self._in_flight

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """One send from its intent to its result: waits while the window is full; its time is measured."""
        if self._changed is None:
            self._changed = asyncio.Condition()
        changed = self._changed
        async with changed:
            await changed.wait_for(lambda: self._in_flight < self.size)
            self._in_flight += 1
        started = self.clock()
        try:
            yield
        finally:
            self._times.append(self.clock() - started)
            async with changed:
                self._in_flight -= 1
                changed.notify_all()
