"""A restart in the middle of a round loses nothing: reports, pending notes, live checklists, sent prompts."""

from __future__ import annotations

from pathlib import Path

from supervisor_bot.core.status import Status
from supervisor_bot.sandbox import RecordFilter
from supervisor_bot.views.callbacks import Act, Press, encode
from tests.e2e.harness import MONDAY, a_world

FIN = "市财政局"


async def test_a_restart_mid_round(tmp_path: Path) -> None:
    async with a_world(tmp_path, bind=lambda name: name in (FIN, "市教育局")) as world:
        await world.tick(MONDAY)
        pid = next(p.id for p in world.runtime.store.prompts() if p.respondent == FIN)
        chat = world.chats[FIN]
        await world.press(FIN, encode(Press(Act.STATUS, pid, 9, Status.IN_PROGRESS)))
        mark = world.sandbox.mark()
        await world.press(FIN, encode(Press(Act.STATUS, pid, 12, Status.BLOCKED)))
        request = await world.wait(RecordFilter(chat_id=chat, text_contains="说明遇到的困难"), after=mark)
        sent_before = len(world.sandbox.sent())

        await world.restart()  # the bot is gone and back; its world (the sandbox, the groups) stayed
        store = world.runtime.store
        assert store.reports("2021-W36")[(9, FIN)].status is Status.IN_PROGRESS
        await world.tick(MONDAY.add(hours=2))
        assert len(world.sandbox.sent()) == sent_before  # no checklist sent twice

        mark = world.sandbox.mark()
        world.sandbox.post_message(
            chat, world.liaisons[FIN], "资金缺口较大，需市级统筹", reply_to_message_id=request.message_id
        )
        await world.wait(RecordFilter(chat_id=chat, text_contains="已记录"), after=mark)
        assert store.reports("2021-W36")[(12, FIN)].status is Status.BLOCKED

        answer = await world.press(FIN, encode(Press(Act.STATUS, pid, 9, Status.NOT_STARTED)))  # the old buttons work
        assert answer == "已记录：措施9 未启动"
        assert [a.after for a in store.audit("2021-W36")] == ["in_progress", "blocked", "not_started"]


async def test_updates_sent_again_after_a_crash_are_applied_once(tmp_path: Path) -> None:
    """Telegram resends what the bot never confirmed; what was handled is not handled twice, the rest is."""
    async with a_world(tmp_path, bind=lambda name: name == FIN) as world:
        await world.tick(MONDAY)
        pid = next(p.id for p in world.runtime.store.prompts() if p.respondent == FIN)
        chat = world.chats[FIN]
        await world.press(FIN, encode(Press(Act.STATUS, pid, 9, Status.IN_PROGRESS)))
        handled_press = world.sandbox.last_update_id
        mark = world.sandbox.mark()
        world.sandbox.post_command(chat, world.liaisons[FIN], "status", FIN)
        await world.wait(RecordFilter(chat_id=chat, method="sendMessage"), after=mark)
        handled_status = world.sandbox.last_update_id
        await world.stop()

        world.sandbox.post_command(chat, world.liaisons[FIN], "status", "9")  # arrived while the bot was down
        for update_id in (handled_press, handled_status):
            world.sandbox.redeliver(update_id)
        mark = world.sandbox.mark()
        await world.start()
        reply = await world.wait(RecordFilter(chat_id=chat, method="sendMessage"), after=mark)
        assert "措施9" in (reply.text or "")  # the new command is answered …
        answer = await world.press(FIN, encode(Press(Act.STATUS, pid, 12, Status.IN_PROGRESS)))
        assert answer == "已记录：措施12 推进中"
        sent = world.sandbox.sent(chat, after=mark)
        assert len(sent) == 1  # … the /status handled before the crash is not answered again
        assert [a.after for a in world.runtime.store.audit("2021-W36")] == ["in_progress", "in_progress"]
        assert [(a.measure, a.after) for a in world.runtime.store.audit("2021-W36")] == [
            (9, "in_progress"),
            (12, "in_progress"),
        ]
