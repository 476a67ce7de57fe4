"""The digest and the ledger say which reports are new since the last digest (新), and the ledger lists each
item's 佐证材料."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl

from supervisor_bot.core.status import Status
from supervisor_bot.sandbox import RecordFilter
from supervisor_bot.services.digests import digest
from supervisor_bot.views.callbacks import Act, Press, encode
from tests.e2e.harness import LEADERS_CHAT, MONDAY, World, a_world, eventually

FIN = "市财政局"  # leads 33 and 46; 9, 10 配合
FRIDAY_5PM = MONDAY.add(days=4, hours=8)


async def _report(world: World, measure: int, status: Status, note: str = "") -> None:
    pid = next(p.id for p in world.runtime.store.prompts() if p.respondent == FIN)
    chat = world.chats[FIN]
    mark = world.sandbox.mark()
    await world.press(FIN, encode(Press(Act.STATUS, pid, measure, status)))
    if status.needs_note:
        request = await world.wait(RecordFilter(chat_id=chat, text_contains=f"【措施{measure}】"), after=mark)
        mark = world.sandbox.mark()
        world.sandbox.post_message(chat, world.liaisons[FIN], note, reply_to_message_id=request.message_id)
        await world.wait(RecordFilter(chat_id=chat, text_contains="已记录"), after=mark)


async def _digest(world: World, at: dt.datetime) -> tuple[str, dict[tuple[int, str], tuple[str, str]]]:
    """The digest's text, and the ledger's 本期新报送 and 佐证材料 by item."""
    mark = world.sandbox.mark()
    await world.tick(at)
    text = await world.wait(RecordFilter(chat_id=LEADERS_CHAT, text_contains="【督办周报】"), after=mark)
    await world.wait(RecordFilter(chat_id=LEADERS_CHAT, method="sendDocument"), after=mark)
    sent = next(r for r in world.sandbox.sent(LEADERS_CHAT) if r.seq > mark and r.method == "sendDocument")
    sheet = openpyxl.load_workbook(io.BytesIO(sent.files[0].content))["督办台账"]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    at_measure, at_unit = header.index("措施"), header.index("责任单位")
    at_new, at_files = header.index("本期新报送"), header.index("佐证材料")
    marks = {
        (int(str(r[at_measure])), str(r[at_unit])): (str(r[at_new] or ""), str(r[at_files] or "")) for r in rows[1:]
    }
    return text.text or "", marks


async def test_new_since_the_last_digest_in_the_text_and_the_ledger(tmp_path: Path) -> None:
    async with a_world(tmp_path, bind=lambda name: name == FIN) as world:
        await world.tick(MONDAY)
        await _report(world, 9, Status.IN_PROGRESS)
        await _report(world, 46, Status.DONE, "已出台指导目录")
        checklist = world.checklist(FIN)
        world.sandbox.post_message(
            world.chats[FIN],
            world.liaisons[FIN],
            reply_to_message_id=int(checklist["message_id"]),
            document=("指导目录.pdf", b"%PDF", "application/pdf"),
            caption="措施46",
        )
        await eventually(lambda: len(world.runtime.store.evidence()) == 1)
        text, marks = await _digest(world, FRIDAY_5PM)
        assert "本期新报送：本轮开始以来新报送2项（已完成1项、推进中1项），督办台账中标“新”。" in text
        assert "新报已完成：措施46（市财政局）" in text
        assert marks[(46, FIN)] == ("新", "指导目录.pdf") and marks[(9, FIN)] == ("新", "")
        assert marks[(10, FIN)] == ("", "")

        # the dashboard's ledger (no digest key given): new since the digest just sent — nothing yet
        shown = digest(world.runtime, world.runtime.ladder, FRIDAY_5PM.add(hours=1))
        assert shown is not None and not any(row.new for row in shown.ledger)
        # the next week: 46 is carried (not new), 10 is reported after the digest
        await world.tick(MONDAY.add(weeks=1))
        await world.tick(MONDAY.add(weeks=1, days=1))
        await _report(world, 10, Status.BLOCKED, "资金缺口待协调")
        shown = digest(world.runtime, world.runtime.ladder, MONDAY.add(weeks=1, days=1, hours=1))
        assert shown is not None and [(r.measure, r.respondent) for r in shown.ledger if r.new] == [(10, FIN)]
        text, marks = await _digest(world, FRIDAY_5PM.add(weeks=1))
        assert "本期新报送：自上期周报（9月10日 17:00）以来新报送1项（有困难1项），督办台账中标“新”。" in text
        assert "新报有困难：措施10（市财政局）" in text and "新报已完成" not in text
        assert marks[(10, FIN)] == ("新", "") and marks[(46, FIN)] == ("", "指导目录.pdf")
        assert marks[(9, FIN)] == ("", "")
