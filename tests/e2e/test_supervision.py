"""The ladder end to end: 临期提醒 and 催办 in the department's chat, the 督办单 in the bureau's with 延期 and
已核实, 办结销号 and 退回, /yuetan, and the Friday digest with its files in the leaders' chat — across a restart."""

from __future__ import annotations

import re
from pathlib import Path

from supervisor_bot.core.oversight import ClosureState
from supervisor_bot.core.status import Status
from supervisor_bot.sandbox import RecordFilter
from supervisor_bot.views.tickets import TicketAct, TicketPress
from supervisor_bot.views.tickets import encode as ticket_data
from tests.e2e.harness import BUREAU_CHAT, COORDINATOR, LEADERS_CHAT, MONDAY, STRANGER, World, a_world

FIN = "市财政局"
PRIVATE = "市民营经济局"  # answers nothing
TUESDAY, WEDNESDAY_5PM, THURSDAY_5PM, FRIDAY_5PM = (
    MONDAY.add(days=1),
    MONDAY.add(days=2, hours=8),
    MONDAY.add(days=3, hours=8),
    MONDAY.add(days=4, hours=8),
)


def bound(name: str) -> bool:
    return name in (FIN, PRIVATE)


async def report(world: World, measure: int, status: Status, note: str = "") -> None:
    await world.report(FIN, measure, status, note)


async def test_the_ladder_and_the_digest(tmp_path: Path) -> None:
    async with a_world(tmp_path, bind=bound) as world:
        await world.tick(MONDAY)
        for measure in (2, 9, 10, 12, 22, 23, 30, 32, 36, 37, 40, 41, 42, 44, 54, 55, 59):
            await report(world, measure, Status.IN_PROGRESS)
        # 市财政局 leaves 33 and 46 unreported; 市民营经济局 says nothing

        mark = world.sandbox.mark()
        await world.tick(WEDNESDAY_5PM)
        reminder = await world.wait(
            RecordFilter(chat_id=world.chats[PRIVATE], text_contains="【临期提醒】"), after=mark
        )
        assert "尚有3项未报送（措施3、7、10）" in (reminder.text or "")
        own = await world.wait(RecordFilter(chat_id=world.chats[FIN], text_contains="【临期提醒】"), after=mark)
        assert "措施33、46" in (own.text or "")

        mark = world.sandbox.mark()
        await world.tick(THURSDAY_5PM)
        urge = await world.wait(RecordFilter(chat_id=world.chats[PRIVATE], text_contains="【催办】"), after=mark)
        assert "措施3【配合】未按时报送" in (urge.text or "")
        assert not [r for r in world.sandbox.sent(BUREAU_CHAT) if r.seq > mark and "督办单" in (r.text or "")]

        mark = world.sandbox.mark()
        await world.tick(FRIDAY_5PM)
        ticket = await world.wait(RecordFilter(chat_id=BUREAU_CHAT, text_contains=f"被督办单位：{PRIVATE}"), after=mark)
        text = ticket.text or ""
        assert "【督办单】2021年第36周" in text and "措施3【配合】" in text and "未按时报送，逾期1个工作日" in text
        assert "最近说明：无" in text and "第58项" in text
        assert ticket.reply_markup is not None and len(ticket.reply_markup["inline_keyboard"]) == 3

        digest = await world.wait(RecordFilter(chat_id=LEADERS_CHAT, text_contains="【督办周报】"), after=mark)
        assert "一、总体情况" in (digest.text or "") and "三、红灯事项" in (digest.text or "")
        files = [r for r in world.sandbox.sent(LEADERS_CHAT) if r.seq > mark and r.files]
        assert {r.method for r in files} == {"sendDocument", "sendPhoto"}
        assert all(len(r.text or "") <= 4096 for r in world.sandbox.sent(LEADERS_CHAT))
        ledger = next(r for r in files if r.method == "sendDocument").files[0]
        assert ledger.filename.endswith(".xlsx") and ledger.content[:2] == b"PK"

        # 延期 and 已核实, by the coordinator only
        assert "只有协调员" in await world.press_on(
            BUREAU_CHAT, ticket.message_id or 0, ticket_data(TicketPress(TicketAct.RESOLVE, _tid(text), 3)), STRANGER
        )
        await world.press_on(
            BUREAU_CHAT, ticket.message_id or 0, ticket_data(TicketPress(TicketAct.EXTEND_CHOICES, _tid(text), 7))
        )
        mark = world.sandbox.mark()
        answer = await world.press_on(
            BUREAU_CHAT, ticket.message_id or 0, ticket_data(TicketPress(TicketAct.EXTEND, _tid(text), 7, 5))
        )
        assert answer == "已延期至2021年9月17日"
        notice = await world.wait(RecordFilter(chat_id=world.chats[PRIVATE], text_contains="【延期】"), after=mark)
        assert "措施7的期限已延至2021年9月17日" in (notice.text or "")
        assert (
            await world.press_on(
                BUREAU_CHAT, ticket.message_id or 0, ticket_data(TicketPress(TicketAct.RESOLVE, _tid(text), 10))
            )
            == "措施10已核实"
        )
        edited = world.sandbox.message(BUREAU_CHAT, ticket.message_id or 0)
        assert (
            edited is not None
            and "已延期至2021年9月17日（王协调）" in edited["text"]
            and "已核实（王协调）" in edited["text"]
        )
        assert [a.action for a in world.runtime.store.audit("2021-W36") if a.action in ("extend",)] == ["extend"]

        sent_before = len(world.sandbox.sent())
        await world.restart()
        await world.tick(FRIDAY_5PM.add(minutes=30))
        assert len(world.sandbox.sent()) == sent_before  # nothing fires twice after a restart


def _tid(ticket_text: str) -> str:
    return ticket_text.split("编号D", 1)[1].split("\n", 1)[0]


async def test_closure_return_and_yuetan(tmp_path: Path) -> None:
    async with a_world(tmp_path, bind=bound) as world:
        await world.tick(MONDAY)
        mark = world.sandbox.mark()
        await report(world, 46, Status.DONE, "已出台政府购买服务指导目录")
        verify = await world.wait(RecordFilter(chat_id=BUREAU_CHAT, text_contains="【办结核实】"), after=mark)
        assert "市财政局报告措施46已完成" in (verify.text or "")
        tid = (verify.text or "").split("编号B", 1)[1].split("）", 1)[0]
        assert (
            await world.press_on(BUREAU_CHAT, verify.message_id or 0, ticket_data(TicketPress(TicketAct.CLOSE, tid)))
            == "已销号"
        )
        await world.wait(RecordFilter(chat_id=world.chats[FIN], text_contains="【销号】"), after=mark)

        mark = world.sandbox.mark()
        await report(world, 33, Status.DONE, "资金已纳入预算")
        verify = await world.wait(RecordFilter(chat_id=BUREAU_CHAT, text_contains="报告措施33已完成"), after=mark)
        tid = (verify.text or "").split("编号B", 1)[1].split("）", 1)[0]
        await world.press_on(BUREAU_CHAT, verify.message_id or 0, ticket_data(TicketPress(TicketAct.RETURN, tid)))
        request = await world.wait(
            RecordFilter(chat_id=BUREAU_CHAT, method="sendMessage", text_contains="说明退回"), after=mark
        )
        mark = world.sandbox.mark()
        world.sandbox.post_message(BUREAU_CHAT, COORDINATOR, "理由" * 300, reply_to_message_id=request.message_id)
        too_long = await world.wait(RecordFilter(chat_id=BUREAU_CHAT, text_contains="退回理由过长"), after=mark)
        assert "不超过500字" in (too_long.text or "")
        assert {c.measure: c.state for c in world.runtime.store.closures()}[33] is ClosureState.PENDING
        mark = world.sandbox.mark()
        world.sandbox.post_message(BUREAU_CHAT, COORDINATOR, "未见预算批复文件", reply_to_message_id=request.message_id)
        returned = await world.wait(RecordFilter(chat_id=world.chats[FIN], text_contains="【退回】"), after=mark)
        assert "理由：未见预算批复文件" in (returned.text or "")
        closures = {c.measure: c.state for c in world.runtime.store.closures()}
        assert closures == {46: ClosureState.CLOSED, 33: ClosureState.RETURNED}
        assert world.runtime.store.reports("2021-W36")[(33, FIN)].status is Status.IN_PROGRESS

        reply = (
            await world.command(
                COORDINATOR, COORDINATOR, "yuetan", f"{PRIVATE} 2021-09-10 明确专人负责 整改期限2021-09-24"
            )
        ).text or ""
        assert "已记录" in reply and "整改期限：2021年9月24日" in reply
        await world.wait(RecordFilter(chat_id=world.chats[PRIVATE], text_contains="【约谈纪要】"))
        bad = (await world.command(COORDINATOR, COORDINATOR, "yuetan", f"{PRIVATE} 明天 要点")).text or ""
        assert "无法识别" in bad and "例如" in bad


async def test_digest_preview_for_a_coordinator(tmp_path: Path) -> None:
    async with a_world(tmp_path, bind=bound) as world:
        assert "尚未开启" in ((await world.command(COORDINATOR, COORDINATOR, "digest")).text or "")
        await world.tick(MONDAY)
        mark = world.sandbox.mark()
        world.sandbox.post_command(COORDINATOR, COORDINATOR, "digest")
        preview = await world.wait(RecordFilter(chat_id=COORDINATOR, text_contains="【督办周报】"), after=mark)
        counted = re.search(r"全部(\d+)项措施中", preview.text or "")  # only measures with a bound lead are counted
        apart = re.search(r"另有(\d+)项措施的牵头单位尚未绑定工作群，暂不计入", preview.text or "")
        assert counted and apart and int(counted.group(1)) + int(apart.group(1)) == 63
        await world.wait(lambda r: r.chat_id == COORDINATOR and r.method == "sendPhoto", after=mark)
        assert [r.method for r in world.sandbox.sent(COORDINATOR, after=mark) if r.files] == [
            "sendDocument",
            "sendPhoto",
        ]
        assert not world.sandbox.sent(LEADERS_CHAT, after=mark)  # a preview goes to the one who asked
        refusal = (await world.command(world.chats[FIN], world.liaisons[FIN], "digest")).text or ""
        assert refusal == "该命令仅限协调员使用。"
