"""Telegram's limits as they apply to messages: 30 a second in all, and 20 a minute per group.

python-telegram-bot's AIORateLimiter counts every request — edits and button answers included — against
both budgets. A liaison working through a 49-measure checklist edits one message a hundred times;
throttling those edits to 20 a minute (or queueing them behind a round's fan-out) would leave button
presses spinning for minutes. Here only requests that post a new message are throttled; every request,
throttled or not, still waits out a 429 from Telegram and is retried.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter

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


class MessageRateLimiter(AIORateLimiter):
    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        if endpoint in SENDS:
            return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
        retries = rate_limit_args or self._max_retries
        for attempt in itertools.count():
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                if attempt >= retries:
                    raise
                await asyncio.sleep(
                    error.retry_after.total_seconds()
                    if isinstance(error.retry_after, dt.timedelta)
                    else error.retry_after
                )
        raise AssertionError("unreachable")
