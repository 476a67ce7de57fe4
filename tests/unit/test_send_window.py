"""The send window: as many sends in flight as the rate needs at the round trip measured, and one more."""

from __future__ import annotations

import asyncio

from supervisor_bot.app.send_window import LEAST, MOST, SendWindow
from supervisor_bot.core.people import Actor, display_name


class Ticking:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def _one(window: SendWindow, clock: Ticking, seconds: float) -> None:
    async with window.slot():
        clock.now += seconds


async def test_the_window_follows_the_least_round_trip() -> None:
    clock = Ticking()
    window = SendWindow(rate=30.0, clock=clock)
    assert window.size == LEAST  # nothing measured yet
    await _one(window, clock, 0.19)  # Telegram from far away: 30 a second need 6 in flight
    assert window.size == 7
    await _one(window, clock, 3.0)  # held back by a group's 20 a minute: no round trip, the least stays
    assert window.size == 7
    await _one(window, clock, 0.005)  # a local Bot API server
    assert window.size == LEAST
    window = SendWindow(rate=30.0, clock=clock)
    await _one(window, clock, 60.0)
    assert window.size == MOST


async def test_no_more_than_the_window_is_in_flight() -> None:
    window = SendWindow(rate=30.0)
    most = 0
    release = asyncio.Event()

    async def send() -> None:
        nonlocal most
        async with window.slot():
            most = max(most, window.in_flight)
            await release.wait()

    tasks = [asyncio.create_task(send()) for _ in range(10)]
    await asyncio.sleep(0.01)
    assert window.in_flight == LEAST
    release.set()
    await asyncio.gather(*tasks)
    assert most == LEAST and window.in_flight == 0


def test_names_lose_bidi_overrides_and_invisible_characters() -> None:
    assert display_name("报告\u202efdp.exe") == "报告fdp.exe"
    assert display_name("张\u200b三\u2066\u2069") == "张三"
    assert display_name("李\t四\n") == "李 四 "
    assert display_name("市财政局\u3000联络员") == "市财政局\u3000联络员"  # a full-width space is a space
    assert Actor(1, "王\u202e五").name == "王五"
