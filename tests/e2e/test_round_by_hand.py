"""/round while a round is open asks before it does anything; a closed round's checklists keep no buttons."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from supervisor_bot.core.status import Status
from supervisor_bot.views.callbacks import Act, Press, encode
from supervisor_bot.views.rounds import STALE, RoundChoice, RoundPress
from supervisor_bot.views.rounds import encode as round_data
from tests.e2e.harness import COORDINATOR, MONDAY, STRANGER, World, a_world

FIN, EDU = "市财政局", "市教育局"


def bound(name: str) -> bool:
    return name in (FIN, EDU)


def buttons(message: dict[str, Any] | None) -> list[str]:
    assert message is not None
    markup = message.get("reply_markup") or {}
    return [b["text"] for row in markup.get("inline_keyboard", []) for b in row]


def checklists(world: World, after: int) -> dict[str, int]:
    """The checklists sent since `after`: unit → message id."""
    found = {}
    for unit, chat in world.chats.items():
        sent = [r for r in world.sandbox.sent(chat) if r.seq > after and r.method == "sendMessage" and r.reply_markup]
        if sent:
            found[unit] = sent[-1].message_id or 0
    return found


async def test_round_while_a_round_is_open_asks_first(tmp_path: Path) -> None:
    async with a_world(tmp_path, bind=bound) as world:
        start = world.sandbox.mark()
        await world.tick(MONDAY)
        first = checklists(world, start)
        assert set(first) == {FIN, EDU}
        pid = next(p.id for p in world.runtime.store.prompts() if p.respondent == FIN)
        await world.press(FIN, encode(Press(Act.STATUS, pid, 9, Status.IN_PROGRESS)))

        world.clock.set(MONDAY.add(days=1))
        mark = world.sandbox.mark()
        asked = await world.command(COORDINATOR, COORDINATOR, "round")
        text = asked.text or ""
        assert text.startswith("【开启新一轮】2021年第36周报送尚未结束") and "已报送1项" in text
        assert "截止时间9月9日（周四）17:00" in text and "已向2个单位发送督办清单" in text
        assert buttons(world.sandbox.message(COORDINATOR, asked.message_id or 0)) == [
            "确认开启新一轮",
            "重发2021年第36周督办清单",
        ]
        assert [r.id for r in world.runtime.store.rounds()] == ["2021-W36"]  # nothing started, nothing blanked
        assert checklists(world, mark) == {}

        # the other choice: the open round's checklists again; the earlier ones lose their buttons
        assert "只有协调员" in await world.press_on(
            COORDINATOR, asked.message_id or 0, round_data(RoundPress(RoundChoice.RESEND, "2021-W36")), STRANGER
        )
        mark = world.sandbox.mark()
        answer = await world.press_on(
            COORDINATOR, asked.message_id or 0, round_data(RoundPress(RoundChoice.RESEND, "2021-W36"))
        )
        assert answer.startswith("已重新发送2021年第36周督办清单（2个单位）")
        again = checklists(world, mark)
        assert set(again) == {FIN, EDU} and again[FIN] != first[FIN]
        for unit, message_id in first.items():
            old = world.sandbox.message(world.chats[unit], message_id)
            assert buttons(old) == [] and old is not None and "已重新发送" in old["text"]
        assert buttons(world.sandbox.message(COORDINATOR, asked.message_id or 0)) == []
        assert world.runtime.store.reports("2021-W36")[(9, FIN)].status is Status.IN_PROGRESS  # kept

        # confirmed: a new round; the open round's checklists are edited to a closed line without buttons
        confirm = await world.command(COORDINATOR, COORDINATOR, "round")
        mark = world.sandbox.mark()
        answer = await world.press_on(
            COORDINATOR, confirm.message_id or 0, round_data(RoundPress(RoundChoice.OPEN, "2021-W36"))
        )
        assert answer.startswith("已开启2021年第36周第2轮报送")
        assert [r.id for r in world.runtime.store.rounds()] == ["2021-W36", "2021-W36-2"]
        for unit, message_id in again.items():
            closed = world.sandbox.message(world.chats[unit], message_id)
            assert buttons(closed) == [] and closed is not None
            assert closed["text"].startswith("【督办】2021年第36周报送已于9月7日（周二）09:00结束，本清单不再接受报送")
        assert set(checklists(world, mark)) == {FIN, EDU}
        edits = [r for r in world.sandbox.outgoing(after=mark) if r.is_edit and r.chat_id in world.chats.values()]
        assert len(edits) == 2  # one edit a group, no new message: the group's 20 a minute untouched

        # the first confirmation pressed now names a round no longer open: refused, nothing changes
        before = world.runtime.store.rounds()
        stale = await world.press_on(
            COORDINATOR, asked.message_id or 0, round_data(RoundPress(RoundChoice.OPEN, "2021-W36"))
        )
        assert stale == STALE and world.runtime.store.rounds() == before


async def test_a_scheduled_round_closes_the_last_ones_checklists(tmp_path: Path) -> None:
    async with a_world(tmp_path, bind=bound) as world:
        start = world.sandbox.mark()
        await world.tick(MONDAY)
        first = checklists(world, start)
        mark = world.sandbox.mark()
        await world.tick(MONDAY.add(weeks=1))
        for unit, message_id in first.items():
            closed = world.sandbox.message(world.chats[unit], message_id)
            assert buttons(closed) == [] and closed is not None and "2021年第36周报送已于" in closed["text"]
        assert set(checklists(world, mark)) == {FIN, EDU}
        assert not [k for k in world.runtime.store.intents() if k.startswith(("close:", "resent:"))]
        refused = await world.press_on(
            world.chats[FIN], first[FIN], encode(Press(Act.STATUS, "1", 9, Status.DONE)), world.liaisons[FIN]
        )
        assert refused  # a dead button, pressed anyway (an old client): a clear refusal
        assert (9, FIN) not in world.runtime.store.reports("2021-W37")
