"""A whole round, end to end: the real Application over HTTP against the local sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from supervisor_bot.core.status import Status
from supervisor_bot.sandbox import RecordFilter
from supervisor_bot.views.callbacks import Act, Press, encode
from tests.e2e.harness import BUREAU_CHAT, MONDAY, a_world

FIN = "市财政局"


async def test_a_round_reaches_every_bound_department_and_every_district(tmp_path: Path) -> None:
    async with a_world(tmp_path) as world:
        await world.tick(MONDAY)
        expected = set(world.chats.values())
        checklists = [r for r in world.sandbox.sent() if r.chat_id in expected and r.text and "督办清单" not in r.text]
        assert {r.chat_id for r in checklists} == expected
        assert len(expected) == 31 + 12 + 4  # 31 departments, 12 districts and counties, 4 functional zones
        lixia = world.checklist("历下区")
        assert "单位：历下区（共4项：牵头3项，配合1项）" in lixia["text"]
        hrss = world.checklist("市人力资源社会保障局")
        assert "共49项" in hrss["text"] and "第1/7页" in hrss["text"]
        assert len(hrss["text"]) <= 4096
        for row in hrss["reply_markup"]["inline_keyboard"]:
            for button in row:
                assert len(button["callback_data"].encode()) <= 64
        summary = await world.wait(RecordFilter(chat_id=BUREAU_CHAT, text_contains="报送已开始"))
        assert "已向47个单位发送督办清单" in (summary.text or "")
        await world.tick(MONDAY.add(minutes=30))  # a second tick sends nothing twice
        assert len([r for r in world.sandbox.sent() if r.chat_id in expected]) == len(checklists)


async def test_buttons_and_notes_are_recorded_with_an_audit_trail(tmp_path: Path) -> None:
    async with a_world(tmp_path) as world:
        await world.tick(MONDAY)
        prompt = next(p for p in world.runtime.store.prompts() if p.respondent == FIN)
        chat = world.chats[FIN]

        await world.press(FIN, encode(Press(Act.MEASURE, prompt.id, 9)))
        assert "【措施9】本单位配合" in world.checklist(FIN)["text"]
        answer = await world.press(FIN, encode(Press(Act.STATUS, prompt.id, 9, Status.IN_PROGRESS)))
        assert answer == "已记录：措施9 推进中"
        assert "本轮状态：🔵推进中" in world.checklist(FIN)["text"]

        mark = world.sandbox.mark()
        await world.press(FIN, encode(Press(Act.STATUS, prompt.id, 9, Status.DONE)))
        request = await world.wait(RecordFilter(chat_id=chat, text_contains="简要说明完成情况"), after=mark)
        assert request.reply_markup is not None and request.reply_markup.get("force_reply")
        assert world.runtime.store.reports("2021-W36")[(9, FIN)].status is Status.IN_PROGRESS  # not yet: no note

        mark = world.sandbox.mark()
        world.sandbox.post_message(
            chat, world.liaisons[FIN], "已拨付稳岗返还资金3200万元", reply_to_message_id=request.message_id
        )
        confirmation = await world.wait(RecordFilter(chat_id=chat, text_contains="已记录"), after=mark)
        assert "措施9 ✅已完成" in (confirmation.text or "")
        report = world.runtime.store.reports("2021-W36")[(9, FIN)]
        assert (report.status, report.note, report.actor.user_id, report.chat_id) == (
            Status.DONE,
            "已拨付稳岗返还资金3200万元",
            world.liaisons[FIN],
            chat,
        )
        trail = [
            (a.action, a.before, a.after, a.actor.user_id, a.chat_id) for a in world.runtime.store.audit("2021-W36")
        ]
        assert trail[-2:] == [
            ("report", None, "in_progress", world.liaisons[FIN], chat),
            ("report", "in_progress", "done", world.liaisons[FIN], chat),
        ]


@pytest.mark.parametrize("status", [Status.DONE, Status.BLOCKED])
async def test_an_empty_note_is_refused(tmp_path: Path, status: Status) -> None:
    async with a_world(tmp_path, bind=lambda name: name == FIN) as world:
        await world.tick(MONDAY)
        prompt = next(p for p in world.runtime.store.prompts() if p.respondent == FIN)
        chat = world.chats[FIN]
        mark = world.sandbox.mark()
        await world.press(FIN, encode(Press(Act.STATUS, prompt.id, 12, status)))
        request = await world.wait(RecordFilter(chat_id=chat, method="sendMessage"), after=mark)
        mark = world.sandbox.mark()
        world.sandbox.post_message(chat, world.liaisons[FIN], "   ", reply_to_message_id=request.message_id)
        refusal = await world.wait(RecordFilter(chat_id=chat, method="sendMessage"), after=mark)
        assert "说明不能为空" in (refusal.text or "")
        assert (12, FIN) not in world.runtime.store.reports("2021-W36")
