"""One truth for "overdue": a timeline of reports, a measure's own deadline, an extension and repeated 有困难,
walked end to end; at every step /status, /overdue, the ladder, the 督办单, the digest, the ledger and the
dashboard's lights name exactly the same items."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import pendulum
from openpyxl import load_workbook

from supervisor_bot.core.ledger import Light
from supervisor_bot.core.status import Status
from supervisor_bot.core.tickets import TicketKind
from supervisor_bot.sandbox import RecordFilter
from supervisor_bot.services import ladder as ladder_service
from supervisor_bot.services.dashboard import DashboardCache, overview, snapshot
from supervisor_bot.services.tickets import escalation_view
from supervisor_bot.views.tickets import TicketAct, TicketPress
from supervisor_bot.views.tickets import encode as ticket_data
from tests.e2e.harness import BUREAU_CHAT, COORDINATOR, TZ, World, a_world

HRSS = "市人力资源社会保障局"  # leads measure 9, whose own deadline is 2021-12-31
FIN = "市财政局"
Items = set[tuple[str, int]]


def bound(name: str) -> bool:
    return name in (HRSS, FIN)


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(year, month, day, hour, minute, tz=TZ)


def _overdue_command(text: str) -> Items:
    found: Items = set()
    for line in text.splitlines():
        unit = re.match(r"^(\S+?)（\d+项）：", line)
        if unit:
            found |= {(unit.group(1), int(m)) for m in re.findall(r"措施(\d+)（", line)}
    return found


def _status_of(unit: str, text: str) -> Items:
    return {
        (unit, int(m.group(1))) for line in text.splitlines() if (m := re.match(r"^(\d+)\.【", line)) and "🔴" in line
    }


def _red_lines(text: str) -> Items:
    return {(m.group(2), int(m.group(1))) for m in re.finditer(r"🔴 措施(\d+) (\S+?)（", text)}


def _ledger_red(content: bytes) -> Items:
    sheet = load_workbook(io.BytesIO(content))["督办台账"]
    rows = list(sheet.iter_rows(values_only=True))
    column = {title: i for i, title in enumerate(rows[0])}
    return {(str(r[column["责任单位"]]), int(str(r[column["措施"]]))) for r in rows[1:] if r[column["灯号"]] == "红灯"}


@dataclass
class Outputs:
    overdue: Items
    status_count: int
    status_units: Items
    ladder: Items
    digest: Items
    ledger: Items
    lights: Items
    tiles: int
    tickets: Items  # items a 督办单 still shows as overdue (with buttons), of the units it was issued for
    ticketed: Items  # every item of those 督办单, for comparison
    overdue_text: str


async def outputs(world: World, now: pendulum.DateTime) -> Outputs:
    world.clock.set(now)
    rt, run = world.runtime, world.shell.runner.call  # type: ignore[union-attr]
    overdue_text = (await world.command(COORDINATOR, COORDINATOR, "overdue")).text or ""
    overall = (await world.command(COORDINATOR, COORDINATOR, "status")).text or ""
    count = re.search(r"🔴逾期(\d+)项", overall)
    units: Items = set()
    for unit in (HRSS, FIN):
        units |= _status_of(unit, (await world.command(COORDINATOR, COORDINATOR, "status", unit)).text or "")
    live = await run(rt.current_round)
    assert live is not None
    view = await run(ladder_service.ladder_view, rt, live, now)
    mark = world.sandbox.mark()
    world.sandbox.post_command(COORDINATOR, COORDINATOR, "digest")
    ledger = await world.wait(RecordFilter(chat_id=COORDINATOR, method="sendDocument"), after=mark)
    digest = "\n".join(r.text or "" for r in world.sandbox.sent(COORDINATOR) if r.seq > mark and r.text)
    snap = await run(snapshot, rt, DashboardCache(rt.ladder), now)
    assert snap is not None
    lights = {(r.respondent, r.measure) for r in snap.digest.ledger if r.light is Light.RED}
    shown: Items = set()
    ticketed: Items = set()
    for ticket in await run(rt.store.tickets):
        if ticket.kind is TicketKind.ESCALATION and ticket.round_id == live.id:
            rendered = await run(escalation_view, rt, ticket, live, now)
            ticketed |= {(ticket.respondent, m) for m in ticket.measures}
            shown |= {
                (ticket.respondent, int(m))
                for row in rendered.buttons
                for m in re.findall(r"延期·措施(\d+)", row[0].text)
            }
    return Outputs(
        _overdue_command(overdue_text),
        int(count.group(1)) if count else 0,
        units,
        {(o.respondent, o.measure) for o in view.overdue},
        _red_lines(digest),
        _ledger_red(ledger.files[0].content),
        lights,
        overview(rt, snap).overdue_items,
        shown,
        ticketed,
        overdue_text,
    )


async def agreed(world: World, now: pendulum.DateTime) -> Outputs:
    """Every output at `now` names the same overdue items; returns them."""
    seen = await outputs(world, now)
    truth = seen.ladder
    assert seen.overdue == truth, seen.overdue_text
    assert seen.status_count == len(truth) and seen.status_units == truth
    assert seen.digest == truth and seen.ledger == truth and seen.lights == truth and seen.tiles == len(truth)
    assert seen.tickets == truth & seen.ticketed
    return seen


async def test_every_output_agrees_on_what_is_overdue(tmp_path: Path) -> None:
    async with a_world(tmp_path, bind=bound) as world:
        await world.tick(at(2021, 12, 27, 9))  # 2021-W52, due Thursday 12/30 17:00
        await world.report(HRSS, 9, Status.IN_PROGRESS)
        await world.report(HRSS, 10, Status.DONE, "已完成")
        await world.report(FIN, 2, Status.BLOCKED, "资金尚未到位")
        await world.report(FIN, 9, Status.IN_PROGRESS)
        early = await agreed(world, at(2021, 12, 27, 10))
        assert early.ladder == set() and "暂无逾期事项" in early.overdue_text

        mark = world.sandbox.mark()
        await world.tick(at(2021, 12, 30, 17, 1))  # 催办
        past_due = await agreed(world, at(2021, 12, 30, 17, 2))
        assert (FIN, 33) in past_due.ladder and (FIN, 2) not in past_due.ladder and (HRSS, 9) not in past_due.ladder
        urge = await world.wait(RecordFilter(chat_id=world.chats[FIN], text_contains="【催办】"), after=mark)
        assert {(FIN, int(m)) for m in re.findall(r"措施(\d+)【", urge.text or "")} == {
            i for i in past_due.ladder if i[0] == FIN
        }

        mark = world.sandbox.mark()
        await world.tick(at(2021, 12, 31, 17))  # 督办单
        ticket = await world.wait(RecordFilter(chat_id=BUREAU_CHAT, text_contains=f"被督办单位：{FIN}"), after=mark)
        tid = (ticket.text or "").split("编号D", 1)[1].split("\n", 1)[0]
        answer = await world.press_on(
            BUREAU_CHAT, ticket.message_id or 0, ticket_data(TicketPress(TicketAct.EXTEND, tid, 33, 3))
        )
        assert answer == "已延期至2022年1月6日"  # 元旦 1/1–1/3 are no working days
        extended = await agreed(world, at(2021, 12, 31, 17, 5))
        assert (FIN, 33) not in extended.ladder
        edited = world.sandbox.message(BUREAU_CHAT, ticket.message_id or 0)
        assert edited is not None
        line = next(x for x in edited["text"].splitlines() if "措施33【" in x)
        assert "已延期至2022年1月6日" in line and "逾期" not in line  # no 逾期0个工作日 beside 已延期

        # measure 9's own deadline passes at the end of 12/31: 逾期未完成, though reported 推进中 this round
        deadline = await agreed(world, at(2022, 1, 1, 9))
        assert (HRSS, 9) in deadline.ladder and "措施9（逾期未完成，完成时限12月31日）" in deadline.overdue_text

        await world.tick(at(2022, 1, 4, 9))  # 2022-W01 opens Tuesday (元旦 Monday), due Friday 1/7 17:00
        new_round = await agreed(world, at(2022, 1, 4, 9, 30))
        past_their_deadline = {(HRSS, n) for n in (9, 22, 42, 55)}  # measures ending 2021-12-31; 10 is 已完成
        assert new_round.ladder == past_their_deadline  # nothing else is due yet in the new round
        await world.report(FIN, 2, Status.BLOCKED, "资金仍未到位")
        blocked = await agreed(world, at(2022, 1, 4, 10))
        assert (FIN, 2) in blocked.ladder and "措施2（连续两轮有困难）" in blocked.overdue_text
        await world.report(HRSS, 9, Status.DONE, "已完成全年任务")
        done = await agreed(world, at(2022, 1, 4, 11))
        assert done.ladder == {(FIN, 2)} | past_their_deadline - {(HRSS, 9)}

        await world.tick(at(2022, 1, 7, 17, 1))
        final = await agreed(world, at(2022, 1, 7, 17, 2))
        assert (FIN, 33) in final.ladder and (HRSS, 9) not in final.ladder
