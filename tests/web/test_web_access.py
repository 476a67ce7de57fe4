"""Who sees what on the dashboard, every page and action × five people, over HTTP against the real bot on the
sandbox. A refusal changes nothing (the store is compared before and after) and sends nothing.

`ROWS` generates the web table in docs/access.md (a test keeps them equal): after changing it, run
`.venv/bin/python -m tests.web.test_web_access` and paste the output between the web table's markers.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import aiohttp

from supervisor_bot.core.status import Status
from supervisor_bot.core.tickets import TicketKind
from supervisor_bot.sandbox import RecordFilter
from tests.e2e.harness import BUREAU_CHAT, COORDINATOR, MONDAY, World
from tests.e2e.test_supervision import report
from tests.e2e.web_harness import LEADER, WebWorld, a_web_world

FIN, EDU, PRIVATE = "市财政局", "市教育局", "市民营经济局"
PEOPLE = ("协调员", "领导", "本单位联络员", "其他单位联络员", "未登录")
DOC = Path(__file__).parents[2] / "docs" / "access.md"
START, END = "<!-- 看板权限表：由 tests/web/test_web_access.py 生成，勿手改 -->", "<!-- 看板权限表结束 -->"
OK, DENIED, LOGIN = 200, 403, 302


@dataclass(frozen=True)
class Row:
    what: str
    method: str  # GET, or an action posted to /actions
    path: str
    expect: tuple[int, int, int, int, int]  # per person in PEOPLE
    allowed: str  # what the allowed see or do


PAGE_ALL = (OK, OK, DENIED, DENIED, LOGIN)
ACTION = (OK, DENIED, DENIED, DENIED, LOGIN)
ROWS = (
    Row(
        "总览",
        "GET",
        "/",
        (OK, OK, OK, OK, LOGIN),
        "本轮数字、分领域亮灯、趋势图（联络员不见红灯事项、约谈等单位明细）",
    ),
    Row("进展趋势图", "GET", "/charts/trend.svg", (OK, OK, OK, OK, LOGIN), "各轮次措施进展（SVG）"),
    Row("责任单位列表", "GET", "/units", PAGE_ALL, "各单位亮灯、牵头/配合数、准时率、逾期数，可排序"),
    Row(f"单位页（{FIN}）", "GET", f"/units/{FIN}", (OK, OK, OK, DENIED, LOGIN), "本轮各项措施及历轮报送情况"),
    Row(f"佐证材料下载（{FIN}）", "GET", "/evidence/1", (OK, OK, OK, DENIED, LOGIN), "该单位报送的佐证材料文件"),
    Row("措施页（措施8）", "GET", "/measures/8", PAGE_ALL, "措施内容、各责任单位进展、一件一档时间线"),
    Row("逾期事项", "GET", "/overdue", PAGE_ALL, "本轮逾期事项（协调员可处理）"),
    Row("约谈", "GET", "/interviews", PAGE_ALL, "约谈建议、约谈及整改期限和结果"),
    Row("下载督办台账", "GET", "/downloads/ledger.xlsx", PAGE_ALL, "督办台账 .xlsx"),
    Row("下载分工表", "GET", "/downloads/matrix.xlsx", PAGE_ALL, "分工方案矩阵 .xlsx"),
    Row("下载最新周报", "GET", "/downloads/digest.txt", PAGE_ALL, "最近一期督办周报文本"),
    Row("延期（督办单）", "extend", "/actions", ACTION, "延期，通知单位，督办单同步更新"),
    Row("已核实（督办单）", "resolve", "/actions", ACTION, "本轮不再督办该事项，督办单同步更新"),
    Row("销号（办结核实）", "close", "/actions", ACTION, "销号，通知单位，办结核实消息同步更新"),
    Row("退回（办结核实）", "return", "/actions", ACTION, "退回，单位看到理由"),
)


def table() -> str:
    marks = {OK: "✅", DENIED: "❌ 无权查看或操作", LOGIN: "↪️ 转到登录提示页"}
    lines = [START, "", "| 页面 / 操作 | 地址 | " + " | ".join(PEOPLE) + " |", "| --- " * (2 + len(PEOPLE)) + "|"]
    for row in ROWS:
        shown = [f"✅ {row.allowed}" if code == OK else marks[code] for code in row.expect]
        where = f"`{row.path}`" if row.method == "GET" else f"`POST /actions`（{row.method}）"
        lines.append(f"| {row.what} | {where} | " + " | ".join(shown) + " |")
    cells = sum(len(r.expect) for r in ROWS)
    allowed = sum(code == OK for r in ROWS for code in r.expect)
    lines += [
        "",
        f"共{len(ROWS)}行 × {len(PEOPLE)}人 = {cells}格：允许{allowed}格，拒绝{cells - allowed}格，每格一个测试。",
        "",
        END,
    ]
    return "\n".join(lines)


def test_the_doc_shows_the_table() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert START in text and END in text
    assert text[text.index(START) : text.index(END) + len(END)] == table()


def _bound(name: str) -> bool:
    return name in (FIN, EDU, PRIVATE)


def _state(world: World) -> tuple[object, ...]:
    store = world.runtime.store
    rounds = [r.id for r in store.rounds()]
    return (
        sorted(map(repr, store.closures())),
        sorted(map(repr, store.extensions())),
        [len(store.audit(r)) for r in rounds],
        [len(store.resolutions(r)) for r in rounds],
        len(store.interviews()),
    )


async def _setup(web: WebWorld) -> dict[str, str]:
    """A round with a 督办单 (市民营经济局 says nothing) and a pending 办结核实 (市财政局's 已完成 on 46)."""
    world = web.world
    await world.tick(MONDAY)
    await report(world, 46, Status.DONE, "已出台政府购买服务指导目录")
    await report(world, 33, Status.DONE, "资金已纳入预算")
    await world.wait(RecordFilter(chat_id=BUREAU_CHAT, text_contains="报告措施33已完成"))
    world.sandbox.post_message(  # 佐证材料 /evidence/1: a file for 46, replying to the checklist
        world.chats[FIN],
        world.liaisons[FIN],
        reply_to_message_id=int(world.checklist(FIN)["message_id"]),
        document=("指导目录.pdf", b"%PDF", "application/pdf"),
        caption="措施46",
    )
    await world.wait(RecordFilter(chat_id=world.chats[FIN], text_contains="已收到佐证材料"))
    for hours in (2 * 24 + 8, 3 * 24 + 8, 4 * 24 + 8):
        await world.tick(MONDAY.add(hours=hours))
    tickets = world.runtime.store.tickets()
    escalation = next(t for t in tickets if t.kind is TicketKind.ESCALATION and t.respondent == PRIVATE)
    closes = {t.measures[0]: t.id for t in tickets if t.kind is TicketKind.CLOSURE}
    assert escalation.message_id is not None and set(closes) == {33, 46}
    return {
        "extend": f"ticket={escalation.id}&measure=3&workdays=5&act=extend",
        "resolve": f"ticket={escalation.id}&measure=7&act=resolve",
        "close": f"ticket={closes[46]}&measure=46&act=close",
        "return": f"ticket={closes[33]}&measure=33&act=return&reason=未见预算批复文件",
    }


async def _csrf(client: aiohttp.ClientSession, url: str) -> str:
    async with client.get(url + "/", allow_redirects=False) as response:
        html = await response.text()
    marker = 'name="csrf" value="'
    return html.split(marker, 1)[1].split('"', 1)[0] if marker in html else ""


async def _status(web: WebWorld, client: aiohttp.ClientSession, row: Row, forms: dict[str, str]) -> int:
    if row.method == "GET":
        async with client.get(web.url + row.path, allow_redirects=False) as response:
            return response.status
    data = dict(part.split("=", 1) for part in forms[row.method].split("&"))
    data["csrf"] = await _csrf(client, web.url)
    async with client.post(web.url + "/actions", data=data, allow_redirects=False) as response:
        return response.status


async def test_every_page_and_action_for_every_person(tmp_path: Path) -> None:
    async with a_web_world(tmp_path, bind=_bound) as web:
        forms = await _setup(web)
        world = web.world
        clients = [
            await web.logged_in(COORDINATOR),
            await web.logged_in(LEADER),
            await web.logged_in(world.liaisons[FIN]),
            await web.logged_in(world.liaisons[EDU]),
            web.client(),
        ]
        wrong = []
        for row in ROWS:  # the refusals first: each must leave everything as it was, and send nothing
            for person, client, code in sorted(zip(PEOPLE, clients, row.expect, strict=True), key=lambda c: c[2] == OK):
                before, mark = _state(world), world.sandbox.mark()
                got = await _status(web, client, row, forms)
                if got != code:
                    wrong.append(f"{row.what} × {person}: {got}, expected {code}")
                if code != OK and (_state(world) != before or world.sandbox.sent(after=mark)):
                    wrong.append(f"{row.what} × {person}: refused, but something changed or was sent")
        assert not wrong, "\n".join(wrong)
        closures = {c.measure: c.state.value for c in world.runtime.store.closures()}
        assert closures == {46: "closed", 33: "returned"}
        assert [e.measure for e in world.runtime.store.extensions()] == [3]
        assert [r.measure for r in world.runtime.store.resolutions("2021-W36")] == [7]
        edited = world.sandbox.message(
            BUREAU_CHAT,
            next(
                int(t.message_id or 0)
                for t in world.runtime.store.tickets()
                if t.id == forms["extend"].split("&")[0].split("=")[1]
            ),
        )
        assert edited is not None and "已延期至" in edited["text"] and "已核实（王协调）" in edited["text"]


if __name__ == "__main__":
    sys.stdout.write(table() + "\n")
