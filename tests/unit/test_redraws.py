"""Redraws of a checklist: the first at once, then at most one a spacing, the newest view winning."""

from __future__ import annotations

import asyncio

from supervisor_bot.ports.messenger import MessageRef
from supervisor_bot.telegram.redraws import Drawing, Redraws, ready
from supervisor_bot.views.view import View
from tests.service.fakes import FakeMessenger

CHECKLIST = MessageRef(-100, 7)
OTHER = MessageRef(-200, 9)


async def test_the_first_redraw_goes_at_once_and_a_burst_comes_down_to_its_newest_view() -> None:
    messenger = FakeMessenger()
    redraws = Redraws(messenger, spacing=0.2)
    redraws.request(CHECKLIST, ready(View("第1次")))
    await asyncio.sleep(0.01)
    assert messenger.edits == [(CHECKLIST, "第1次")]
    for n in range(2, 6):
        redraws.request(CHECKLIST, ready(View(f"第{n}次")))
    await asyncio.sleep(0.05)
    assert messenger.edits == [(CHECKLIST, "第1次")]  # within the spacing: held back
    await asyncio.sleep(0.25)
    assert messenger.edits == [(CHECKLIST, "第1次"), (CHECKLIST, "第5次")]
    await redraws.settle()


async def test_messages_are_spaced_apart_each_on_its_own() -> None:
    messenger = FakeMessenger()
    redraws = Redraws(messenger, spacing=10.0)
    redraws.request(CHECKLIST, ready(View("甲")))
    redraws.request(OTHER, ready(View("乙")))
    await asyncio.sleep(0.01)
    assert sorted(text for _, text in messenger.edits) == ["乙", "甲"]
    await redraws.settle()


async def test_settling_sends_the_newest_view_at_once() -> None:
    messenger = FakeMessenger()
    redraws = Redraws(messenger, spacing=60.0)
    redraws.request(CHECKLIST, ready(View("旧")))
    await asyncio.sleep(0.01)
    redraws.request(CHECKLIST, ready(View("新")))
    await asyncio.wait_for(redraws.settle(), 5)  # not a minute: the spacing is cut short at shutdown
    assert messenger.edits == [(CHECKLIST, "旧"), (CHECKLIST, "新")]


async def test_a_view_is_drawn_only_when_its_edit_goes_out() -> None:
    messenger = FakeMessenger()
    redraws = Redraws(messenger, spacing=0.2)
    drawn: list[int] = []

    def drawing(n: int) -> Drawing:
        async def draw() -> View:
            drawn.append(n)
            return View(f"第{n}次")

        return draw

    for n in range(1, 6):
        redraws.request(CHECKLIST, drawing(n))
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.3)
    assert drawn == [1, 5]  # the four pressed within the spacing: only the newest drawn
    assert messenger.edits == [(CHECKLIST, "第1次"), (CHECKLIST, "第5次")]
    await redraws.settle()


async def test_nothing_to_draw_sends_no_edit_and_a_failed_drawing_spoils_no_later_one() -> None:
    messenger = FakeMessenger()
    redraws = Redraws(messenger, spacing=0.0)

    async def gone() -> None:
        return None

    async def broken() -> View:
        raise OSError("存储不可用")

    redraws.request(CHECKLIST, gone)
    await asyncio.sleep(0.01)
    redraws.request(CHECKLIST, broken)
    await asyncio.sleep(0.01)
    redraws.request(CHECKLIST, ready(View("新")))
    await redraws.settle()
    assert messenger.edits == [(CHECKLIST, "新")]
