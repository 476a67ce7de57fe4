"""Reports with substance: any status may carry a note (进展情况); the checklist offers it without forcing it."""

from __future__ import annotations

from pathlib import Path

from supervisor_bot.core.status import Status
from supervisor_bot.sandbox import RecordFilter
from supervisor_bot.services.digests import digest
from supervisor_bot.views.callbacks import Act, Press, encode
from tests.e2e.harness import MONDAY, a_world, eventually

FIN = "市财政局"  # 9 配合


async def test_a_note_on_any_status_offered_never_forced(tmp_path: Path) -> None:
    async with a_world(tmp_path, bind=lambda name: name == FIN) as world:
        await world.tick(MONDAY)
        assert "“未启动”“推进中”也可补充进展情况（选填）" in str(world.checklist(FIN)["text"])
        pid = next(p.id for p in world.runtime.store.prompts() if p.respondent == FIN)
        chat = world.chats[FIN]
        # 推进中 is recorded at once, with no note asked for …
        assert await world.press(FIN, encode(Press(Act.STATUS, pid, 9, Status.IN_PROGRESS))) == "已记录：措施9 推进中"
        shown = str(world.checklist(FIN)["text"])
        assert "进展情况：未填写（选填：点击“📝 补充说明”，或直接回复本消息）" in shown
        assert world.runtime.store.reports("2021-W36")[(9, FIN)].note == ""
        # … and a note can be added to it: through the request, or as a reply to the checklist itself
        mark = world.sandbox.mark()
        shown_id = int(world.checklist(FIN)["message_id"])  # the view does not change: no redraw to wait for
        query = world.sandbox.press_button(
            chat, shown_id, world.liaisons[FIN], raw_data=encode(Press(Act.NOTE, pid, 9))
        )
        assert (
            await world.sandbox.wait_for_callback_answer(query, timeout=10)
        ).text == "请回复机器人的提示消息补充说明"
        request = await world.wait(RecordFilter(chat_id=chat, method="sendMessage", text_contains="【措施9】"), mark)
        mark = world.sandbox.mark()
        world.sandbox.post_message(chat, world.liaisons[FIN], "已完成资金测算", reply_to_message_id=request.message_id)
        confirmed = await world.wait(RecordFilter(chat_id=chat, text_contains="已记录"), after=mark)
        assert "措施9 🔵推进中" in (confirmed.text or "") and "已完成资金测算" in (confirmed.text or "")
        report = world.runtime.store.reports("2021-W36")[(9, FIN)]
        assert (report.status, report.note) == (Status.IN_PROGRESS, "已完成资金测算")
        await world.press(FIN, encode(Press(Act.MEASURE, pid, 9)))
        await eventually(lambda: "进展情况：已完成资金测算" in str(world.checklist(FIN)["text"]))
        # 未启动 too, replying to the checklist while it shows the measure
        await world.press(FIN, encode(Press(Act.STATUS, pid, 9, Status.NOT_STARTED)))
        message_id = int(world.checklist(FIN)["message_id"])
        world.sandbox.post_message(chat, world.liaisons[FIN], "待预算批复后启动", reply_to_message_id=message_id)
        await eventually(lambda: world.runtime.store.reports("2021-W36")[(9, FIN)].note == "待预算批复后启动")
        assert world.runtime.store.reports("2021-W36")[(9, FIN)].status is Status.NOT_STARTED
        # the note is the ledger's 最近说明
        built = digest(world.runtime, world.runtime.ladder, MONDAY.add(hours=2))
        assert built is not None
        row = next(r for r in built.ledger if (r.measure, r.respondent) == (9, FIN))
        assert (row.status, row.note) == ("未启动", "待预算批复后启动")
