"""Telegram's limits as they apply to messages: 30 a second in all, and 20 a minute per group.

python-telegram-bot's AIORateLimiter counts every request — edits and button answers included — against
both budgets. A liaison working through a 49-measure checklist edits one message a hundred times;
throttling those edits to 20 a minute (or queueing them behind a round's fan-out) would leave button
presses spinning for minutes. Here only requests that post a new message are throttled; every request,
throttled or not, still waits out a 429 from Telegram and is retried.

The limits are kept as Telegram states them — at most 30 messages in any second, at most 20 to a group in any
minute — that is as sliding windows, not as AIORateLimiter's leaky buckets. A leaky bucket lets 30 messages go
at once and then one every 1/30 s, which the 31st already breaks (it is the 31st within a second): Telegram
answers 429 with a whole-second retry_after, and AIORateLimiter then holds back every request for that long.
A fan-out to 750 groups met some 150 such 429s and ended 20% past the floor the limits set
(bench/fanout.py). A sliding window sends 30, waits for the first of them to be a second old, sends the next
30, and is never refused.

A send counts from the moment its answer arrives: Telegram counted it somewhere between the request and the
answer, so measuring the window from the answer never undercounts, and costs only the round trip. A send
still in flight holds its place in the windows. Sends wait in one queue, oldest first; a send to a group whose
minute is full waits without holding up the sends to other chats behind it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
from collections import deque
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

SENDS = frozenset(
    {
        "sendMessage",
        "sendDocument",
        "sendPhoto",
        "sendMediaGroup",
        "sendAudio",
        "sendVideo",
        "sendVoice",
        "sendSticker",
        "sendPoll",
        "copyMessage",
        "forwardMessage",
    }
)

Result = bool | dict[str, Any] | list[dict[str, Any]]
Chat = int | str


class _Window:
    """One sliding window: when each counted send was answered, and how many sends are in flight."""

    def __init__(self, limit: int, period: float) -> None:
        self.limit = limit
        self.period = period
        self.answered: deque[float] = deque()  # in order: answers arrive on one monotonic clock
        self.in_flight = 0

    def _expire(self, now: float) -> None:
        while self.answered and self.answered[0] + self.period <= now:
            self.answered.popleft()

    def has_room(self, now: float) -> bool:
        self._expire(now)
        return len(self.answered) + self.in_flight < self.limit

    def next_expiry(self) -> float | None:
        """When the oldest counted send leaves the window (None: only sends in flight fill it)."""
        return self.answered[0] + self.period if self.answered else None

    def settle(self, now: float, counted: bool) -> None:
        self.in_flight -= 1
        if counted:
            self.answered.append(now)

    def idle(self, now: float) -> bool:
        self._expire(now)
        return not self.answered and not self.in_flight


def _seconds(retry_after: dt.timedelta | float) -> float:
    return retry_after.total_seconds() if isinstance(retry_after, dt.timedelta) else float(retry_after)


def _chat_of(data: dict[str, Any]) -> Chat | None:
    chat_id = data.get("chat_id")
    if isinstance(chat_id, str):
        try:
            return int(chat_id)
        except ValueError:
            return chat_id  # a channel's @username
    return chat_id if isinstance(chat_id, int) else None


def _is_group(chat: Chat | None) -> bool:
    """Groups and channels have negative ids (or an @username); private chats count only against the total."""
    return isinstance(chat, str) or (isinstance(chat, int) and chat < 0)


class MessageRateLimiter(BaseRateLimiter[int]):
    """At most `overall_max_rate` new messages in any `overall_time_period` seconds, and `group_max_rate` to one
    group in any `group_time_period`; other requests pass straight through. A 429 is waited out and the request
    retried, up to `max_retries` times (or the `rate_limit_args` a call passes); meanwhile no other message goes
    to that chat. A rate or period of 0: no limit."""

    def __init__(
        self,
        overall_max_rate: int = 30,
        overall_time_period: float = 1.0,
        group_max_rate: int = 20,
        group_time_period: float = 60.0,
        max_retries: int = 0,
    ) -> None:
        self._total = (
            _Window(overall_max_rate, overall_time_period) if overall_max_rate and overall_time_period else None
        )
        self._group_limit = (group_max_rate, group_time_period) if group_max_rate and group_time_period else None
        self._groups: dict[Chat, _Window] = {}
        self._held: dict[Chat, float] = {}  # a chat Telegram answered 429 for: no message before this time
        self._max_retries = max_retries
        self._queue: deque[tuple[Chat | None, asyncio.Future[None]]] = deque()
        self._timer: asyncio.TimerHandle | None = None

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Result:
        retries = rate_limit_args or self._max_retries
        throttled = endpoint in SENDS
        chat = _chat_of(data)
        for attempt in itertools.count():
            if throttled:
                await self._admit(chat)
            counted = True  # an error other than 429 may or may not have counted: assume it did
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                counted = False
                if attempt >= retries:
                    raise
                delay = _seconds(error.retry_after)
                if throttled and chat is not None:
                    self._held[chat] = asyncio.get_running_loop().time() + delay
            finally:
                if throttled:
                    self._settle(chat, counted)
            await asyncio.sleep(delay)
        raise AssertionError("unreachable")

    # --- the windows and the queue ---------------------------------------------------------------------------

    def _windows(self, chat: Chat | None) -> list[_Window]:
        windows = [self._total] if self._total is not None else []
        if chat is not None and _is_group(chat) and self._group_limit is not None:
            window = self._groups.get(chat)
            if window is None:
                window = self._groups[chat] = _Window(*self._group_limit)
            windows.append(window)
        return windows

    def _free_at(self, chat: Chat | None, windows: list[_Window], now: float) -> float | None:
        """0 if a send to `chat` may go now, else when it may next (None: once a send in flight is answered)."""
        if chat is not None and (held := self._held.get(chat)) is not None:
            if held > now:
                return held
            del self._held[chat]
        full = [w for w in windows if not w.has_room(now)]
        if not full:
            return 0.0
        expiries = [w.next_expiry() for w in full]
        return None if None in expiries else max(e for e in expiries if e is not None)

    async def _admit(self, chat: Chat | None) -> None:
        """Wait until one more send to `chat` fits the windows, and take its place in them."""
        loop = asyncio.get_running_loop()
        windows = self._windows(chat)
        if not self._queue and self._free_at(chat, windows, loop.time()) == 0.0:
            for window in windows:
                window.in_flight += 1
            return
        admitted: asyncio.Future[None] = loop.create_future()
        self._queue.append((chat, admitted))
        self._pump()
        try:
            await admitted
        except asyncio.CancelledError:
            if admitted.done() and not admitted.cancelled():  # admitted, then cancelled: give the place back
                self._settle(chat, counted=False)
            raise

    def _settle(self, chat: Chat | None, counted: bool) -> None:
        now = asyncio.get_running_loop().time()
        for window in self._windows(chat):
            window.settle(now, counted)
        if len(self._groups) > 1024:
            for key in [k for k, w in self._groups.items() if w.idle(now)]:
                del self._groups[key]
        self._pump()

    def _pump(self) -> None:
        """Let through every waiting send that fits, oldest first; wake again when one next may."""
        loop = asyncio.get_running_loop()
        now = loop.time()
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        waiting: deque[tuple[Chat | None, asyncio.Future[None]]] = deque()
        wake: list[float] = []
        while self._queue:
            chat, admitted = self._queue.popleft()
            if admitted.done():  # its sender was cancelled
                continue
            if self._total is not None and not self._total.has_room(now):  # nothing goes: stop looking
                waiting.append((chat, admitted))
                waiting.extend(self._queue)
                self._queue.clear()
                if (expiry := self._total.next_expiry()) is not None:
                    wake.append(expiry)
                break
            windows = self._windows(chat)
            free_at = self._free_at(chat, windows, now)
            if free_at != 0.0:
                waiting.append((chat, admitted))
                if free_at is not None:
                    wake.append(free_at)
                continue
            for window in windows:
                window.in_flight += 1
            admitted.set_result(None)
        self._queue = waiting
        if waiting and wake:
            self._timer = loop.call_at(min(wake), self._pump)
