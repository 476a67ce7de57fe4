"""Calls to Telegram that failed on the way are tried again, with growing pauses.

A 5xx answer, a refused connection or a 429 that outlasted the rate limiter's own retries changed nothing:
trying again is safe. A call that got no answer at all (timed out, connection dropped) may have arrived:
for a new message, trying again may show it twice, and Telegram gives no way to tell — the log says so.
Refusals (403, 400, a migrated chat) are not retried: they are answers.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError, TimedOut

from supervisor_bot.core.people import ChatId
from supervisor_bot.ports.messenger import POSSIBLE_DUPLICATE

log = logging.getLogger("supervisor_bot")
T = TypeVar("T")

PAUSES: tuple[float, ...] = (0.5, 1.0, 2.0, 4.0, 8.0)  # then the caller gives up (the next tick tries again)


def may_have_arrived(error: NetworkError) -> bool:
    """No answer came back, so Telegram may have carried the request out."""
    if isinstance(error, TimedOut):
        return not error.message.startswith("Pool timeout")  # never left the connection pool
    return error.message.startswith("httpx.") and not error.message.startswith("httpx.Connect")


def retriable(error: TelegramError) -> bool:
    """Telegram did not answer, or answered "not now": the same call may work later. Anything else is an answer
    (400, 403, a migrated chat), which python-telegram-bot files under NetworkError in BadRequest's case."""
    return isinstance(error, RetryAfter) or (isinstance(error, NetworkError) and not isinstance(error, BadRequest))


async def with_retries(call: Callable[[], Awaitable[T]], what: str, chat_id: ChatId, creates: bool = True) -> T:
    """`call()` until Telegram answers; `creates`: a call that posts a new message (so a retry may duplicate it)."""
    for pause in (*PAUSES, None):
        try:
            return await call()
        except TelegramError as error:
            if pause is None or not retriable(error):
                raise
            if isinstance(error, RetryAfter):
                wait = error.retry_after
                seconds = wait.total_seconds() if isinstance(wait, dt.timedelta) else float(wait)
                log.info("%s to chat %s: 429, again in %.0f s", what, chat_id, seconds)
                await asyncio.sleep(seconds)
                continue
            if creates and isinstance(error, NetworkError) and may_have_arrived(error):
                log.warning(
                    "%s to chat %s got no answer (%s): it may have arrived; sending again in %.1f s (%s)",
                    what,
                    chat_id,
                    error.message,
                    pause,
                    POSSIBLE_DUPLICATE,
                )
            else:
                log.info("%s to chat %s failed (%s); again in %.1f s", what, chat_id, error.message, pause)
            await asyncio.sleep(pause)
    raise AssertionError("unreachable")
