"""The bot's rate limiter against the sandbox's: never refused, and no slower than the limits make it.

Telegram's limits on a clock 100 times faster: 30 messages in any 10 ms, 20 to a group in any 0.6 s.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from typing import Any

import pytest
from telegram.error import RetryAfter

from supervisor_bot.sandbox import ApiError, RateLimits
from supervisor_bot.sandbox.limits import RateLimiter
from supervisor_bot.telegram.rate_limit import MessageRateLimiter

SCALE = 100.0
LIMITS = RateLimits(20, 60 / SCALE, 30, 1 / SCALE)


def bot_limiter(max_retries: int = 0) -> MessageRateLimiter:
    return MessageRateLimiter(30, 1 / SCALE, 20, 60 / SCALE, max_retries=max_retries)


class Judge:
    """The sandbox's limiter deciding each request, a little after it was sent and a little before its answer."""

    def __init__(self) -> None:
        self.limiter = RateLimiter(LIMITS)
        self.refused = 0
        self.accepted: list[float] = []

    def call(self, chat_id: int) -> Any:
        async def request() -> dict[str, Any]:
            await asyncio.sleep(0.0005)
            try:
                self.limiter.check_send(chat_id, chat_id < 0)
            except ApiError as error:
                self.refused += 1
                wait = dt.timedelta(seconds=error.parameters["retry_after"] / SCALE)  # type: ignore[index]
                raise RetryAfter(wait) from error
            self.accepted.append(time.monotonic())
            await asyncio.sleep(0.0005)
            return {"ok": True}

        return request


async def send(limiter: MessageRateLimiter, judge: Judge, chat_id: int, endpoint: str = "sendMessage") -> None:
    await limiter.process_request(judge.call(chat_id), (), {}, endpoint, {"chat_id": chat_id}, None)


async def test_a_fan_out_to_many_groups_goes_in_bursts_and_is_never_refused() -> None:
    limiter, judge = bot_limiter(), Judge()
    start = time.monotonic()
    await asyncio.gather(*(send(limiter, judge, -1000 - n) for n in range(75)))
    took = time.monotonic() - start
    assert judge.refused == 0
    assert took >= 2 * LIMITS.total_window  # 30, 30 and 15: two windows (how close to that: bench/fanout.py)


async def test_a_busy_group_waits_its_minute_without_holding_up_other_chats() -> None:
    limiter, judge = bot_limiter(), Judge()
    start = time.monotonic()
    busy = asyncio.gather(*(send(limiter, judge, -1) for _ in range(25)))
    others = [await_time(send(limiter, judge, -100 - n)) for n in range(10)]
    times = await asyncio.gather(*others)
    await busy
    took = time.monotonic() - start
    assert judge.refused == 0
    assert max(times) - start < LIMITS.group_window  # the others went while the busy group waited
    assert took >= LIMITS.group_window  # 20, then 5 a window later


async def await_time(call: Any) -> float:
    await call
    return time.monotonic()


async def test_edits_and_answers_are_not_throttled() -> None:
    """A hundred edits to one group all go out at once: none waits for a slot (20 a minute would hold back 80)."""
    limiter = bot_limiter()
    entered = 0
    everyone = asyncio.Event()

    async def edit() -> bool:
        nonlocal entered
        entered += 1
        if entered == 100:
            everyone.set()
        await everyone.wait()  # returns only once all hundred are in flight together
        return True

    requests = [
        limiter.process_request(edit, (), {}, method, {"chat_id": -1}, None)
        for method in ("editMessageText", "answerCallbackQuery")
        for _ in range(50)
    ]
    assert await asyncio.wait_for(asyncio.gather(*requests), timeout=5) == [True] * 100


async def test_a_429_is_waited_out_and_retried_while_the_chat_waits() -> None:
    limiter = bot_limiter(max_retries=2)
    pause = 0.2
    calls = 0

    async def flaky() -> bool:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RetryAfter(dt.timedelta(seconds=pause))
        return True

    async def plain() -> bool:
        return True

    async def at(chat_id: int) -> float:
        await asyncio.sleep(0.01)  # once the first has its 429
        await limiter.process_request(plain, (), {}, "sendMessage", {"chat_id": chat_id}, None)
        return time.monotonic()

    start = time.monotonic()
    first, same, other = await asyncio.gather(
        limiter.process_request(flaky, (), {}, "sendMessage", {"chat_id": -1}, None), at(-1), at(-2)
    )
    assert first is True and calls == 2
    assert same - start >= pause > other - start  # no other message to the chat Telegram held back

    async def always() -> bool:
        raise RetryAfter(dt.timedelta(seconds=0.01))

    with pytest.raises(RetryAfter):
        await limiter.process_request(always, (), {}, "sendMessage", {"chat_id": -3}, None)
