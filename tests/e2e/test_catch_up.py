"""Down over a round's opening and its 临期提醒, and later over its 督办 and the Friday digest: on restart the bot
carries out each of them exactly once, and says in the log what it caught up."""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path

import pytest

from supervisor_bot.sandbox import OutgoingRecord
from tests.e2e.harness import BUREAU_CHAT, LEADERS_CHAT, MONDAY, World, a_world

FIN, EDU = "市财政局", "市教育局"  # neither ever reports
NEXT_MONDAY = MONDAY.add(weeks=1)  # 2021-09-13, round W37: due Thursday 17:00, 督办 and digest Friday 17:00


def kinds(records: list[OutgoingRecord]) -> Counter[tuple[int | None, str]]:
    """What was sent where: (chat, the text's 【heading】 or its first characters)."""
    counted: Counter[tuple[int | None, str]] = Counter()
    for record in records:
        text = record.text or record.caption or ""
        counted[(record.chat_id, text.split("】")[0] + "】" if text.startswith("【") else text[:12])] += 1
    return counted


async def down_until(world: World, moment: object) -> int:
    await world.stop()
    world.clock.set(moment)  # type: ignore[arg-type]
    await world.start()
    return world.sandbox.mark()


async def test_each_missed_step_is_caught_up_once_and_logged(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="supervisor_bot")
    async with a_world(tmp_path, bind=lambda name: name in (FIN, EDU)) as world:
        fin, edu = world.chats[FIN], world.chats[EDU]
        for moment in (MONDAY, MONDAY.add(days=2, hours=8), MONDAY.add(days=3, hours=8), MONDAY.add(days=4, hours=9)):
            await world.tick(moment)  # week 36 as usual, its digest included
        await world.stop()

        # down from Friday evening until Thursday morning: the opening and the 临期提醒 of week 37 are missed
        caplog.clear()
        mark = await down_until(world, NEXT_MONDAY.add(days=3, hours=1))
        await world.tick()
        await world.tick(NEXT_MONDAY.add(days=3, hours=1, minutes=5))  # a second tick repeats nothing
        sent = kinds(world.sandbox.sent(after=mark))
        assert sent[(fin, "【临期提醒】")] == sent[(edu, "【临期提醒】")] == 1
        assert sent[(fin, "【督办】")] == sent[(edu, "【督办】")] == 1  # the checklists
        assert sent[(BUREAU_CHAT, "【督办】")] == 1  # the coordinators hear that the round opened late
        log = caplog.text
        assert "round 2021-W37 opened" in log and "补开（原定9月13日" in log
        assert log.count("Remind: remind:") == log.count("(caught up: due 9月15日（周三）17:00)") == 2

        await world.tick(NEXT_MONDAY.add(days=3, hours=8))  # Thursday 17:00: 催办 on time
        await world.stop()

        # down over Friday 17:00: the 督办单 and the digest are missed; Saturday 18 September is a 调休 working day
        caplog.clear()
        mark = await down_until(world, NEXT_MONDAY.add(days=5, hours=1))
        await world.tick()
        await world.tick(NEXT_MONDAY.add(days=5, hours=1, minutes=5))
        sent = kinds(world.sandbox.sent(after=mark))
        assert sent[(BUREAU_CHAT, "【督办单】")] == 2  # one for each unit
        assert sum(n for (chat, _), n in sent.items() if chat == LEADERS_CHAT) >= 3  # text, ledger, chart: once
        assert len(world.sandbox.sent(LEADERS_CHAT, after=mark)) == len(
            {(r.text or r.caption) for r in world.sandbox.sent(LEADERS_CHAT, after=mark)}
        )
        log = caplog.text
        assert log.count("Escalate: escalate:") == 2
        assert log.count("(caught up: due 9月17日") == 3  # two 督办单 and the digest
        assert "digest 2021-W37 sent" in log
