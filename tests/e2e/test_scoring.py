"""考核 end to end: a week of reports, a 督办单, a 退回 and a 约谈 through the sandbox, scored against a
hand-computed case by /score, the digest, `main.py score` and its workbook."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest

from supervisor_bot.cli.main import main
from supervisor_bot.core.status import Status
from supervisor_bot.sandbox import RecordFilter
from supervisor_bot.views import scoring as texts
from supervisor_bot.views.tickets import TicketAct, TicketPress
from supervisor_bot.views.tickets import encode as ticket_data
from tests.e2e.harness import BUREAU_CHAT, COORDINATOR, LEADER, MONDAY, World, a_world
from tests.e2e.web_harness import a_web_world

FARM, DISABLED, STATS = "市农业农村局", "市残联", "市统计局"  # 2 配合 29 牵头 · 6 配合 25 牵头 · 49 配合
THURSDAY_6PM, FRIDAY_6PM = MONDAY.add(days=3, hours=9), MONDAY.add(days=4, hours=9)


def bound(name: str) -> bool:
    return name in (FARM, DISABLED, STATS)


async def send_back(world: World, measure: int, reason: str) -> None:
    verify = await world.wait(RecordFilter(chat_id=BUREAU_CHAT, text_contains=f"报告措施{measure}已完成"))
    tid = (verify.text or "").split("编号B", 1)[1].split("）", 1)[0]
    mark = world.sandbox.mark()
    await world.press_on(BUREAU_CHAT, verify.message_id or 0, ticket_data(TicketPress(TicketAct.RETURN, tid)))
    request = await world.wait(
        RecordFilter(chat_id=BUREAU_CHAT, method="sendMessage", text_contains="说明退回"), after=mark
    )
    world.sandbox.post_message(BUREAU_CHAT, COORDINATOR, reason, reply_to_message_id=request.message_id)
    await world.wait(RecordFilter(chat_id=world.chats[FARM], text_contains="【退回】"), after=mark)


async def a_scored_week(world: World) -> None:
    """Round 2021-W36 is due Thursday 9 September 17:00; its 督办单 goes out on Friday at 17:00."""
    await world.tick(MONDAY)
    await world.report(FARM, 2, Status.IN_PROGRESS)  # on time
    await world.report(STATS, 49, Status.IN_PROGRESS)  # on time
    await world.tick(THURSDAY_6PM)
    await world.report(FARM, 29, Status.DONE, "已完成")  # an hour late: 迟报
    await send_back(world, 29, "未见佐证材料")  # 退回
    await world.tick(FRIDAY_6PM)  # 市残联 never answered: 督办 for 25 (牵头) and 6 (配合)
    await world.wait(RecordFilter(chat_id=BUREAU_CHAT, text_contains="【督办单】"))
    yuetan = f"{DISABLED} 2021-09-10 明确专人负责 整改期限2021-09-24"
    assert "已记录" in ((await world.command(COORDINATOR, COORDINATOR, "yuetan", yuetan)).text or "")


async def test_scores_by_hand(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    async with a_world(tmp_path, bind=bound) as world:
        world.sandbox.add_user(LEADER, "李领导")
        world.sandbox.create_private_chat(LEADER)
        await a_scored_week(world)
        # by hand: 市残联 100 − 1 − 1 (未报送 ×2) − 2 (逾期，牵头) − 1 (逾期，配合) − 5 (约谈) = 90;
        # 市农业农村局 100 − 0.5 (迟报) − 0.5 (退回) = 99; 市统计局 100
        summary = (await world.command(COORDINATOR, COORDINATOR, "score")).text or ""
        assert summary.startswith("【考核得分】2021年第三季度"), summary
        assert "最低：市残联90分；最高：市统计局100分" in summary
        ranked = summary.split("\n\n")[1].splitlines()
        assert [line.split(" ")[1] for line in ranked] == [DISABLED, FARM, STATS], ranked
        assert ranked[1].startswith(f"2. {FARM} 99分　逾期0项　约谈0次　按时报送：牵头0%，配合100%")
        detail = (await world.command(LEADER, LEADER, "score", DISABLED)).text or ""
        assert "得分：90分（基础分100分）" in detail
        assert "按时报送率：牵头事项0/1（0%）；配合事项0/1（0%）" in detail
        assert "逾期事项2项；约谈1次" in detail
        for line in ("未报送 措施6", "未报送 措施25", "逾期事项（牵头） 措施25", "逾期事项（配合） 措施6"):
            assert line in detail, detail
        assert "约谈：明确专人负责　-5分" in detail
        farm = (await world.command(COORDINATOR, COORDINATOR, "score", f"{FARM} 2021-09")).text or ""
        assert farm.startswith("【考核得分】2021年9月") and "得分：99分" in farm
        assert "迟报 措施29（2021年第36周）　-0.5分" in farm and "退回 措施29：未见佐证材料　-0.5分" in farm
        assert "牵头事项0/1（0%）；配合事项1/1（100%）" in farm
        # who may ask, and bad input
        liaison = world.liaisons[FARM]
        assert (await world.command(world.chats[FARM], liaison, "score")).text == texts.NOT_ALLOWED
        assert (await world.command(COORDINATOR, COORDINATOR, "score", "2021-13")).text == texts.bad_period(
            "2021-13", world.runtime.office, world.clock.now().in_timezone("Asia/Shanghai").date()
        )
        unbound = (await world.command(COORDINATOR, COORDINATOR, "score", "市财政局")).text
        assert unbound == texts.not_scored("市财政局")
        assert "未找到单位“火星局”" in ((await world.command(COORDINATOR, COORDINATOR, "score", "火星局")).text or "")
        # the digest shows the period's lowest and highest
        mark = world.sandbox.mark()
        world.sandbox.post_command(COORDINATOR, COORDINATOR, "digest")
        digest = await world.wait(RecordFilter(chat_id=COORDINATOR, text_contains="【督办周报】"), after=mark)
        assert "考核得分（2021年第三季度累计）：最低 市残联90分；最高 市统计局100分" in (digest.text or "")
    # the command line, on what the bot left on disk
    monkeypatch.setenv("SUPERVISOR_DATA_DIR", str(world.data_dir))
    monkeypatch.delenv("SUPERVISOR_CLOCK_START", raising=False)
    out = tmp_path / "score.xlsx"
    assert main(["score", "--from", "2021-09-01", "--to", "2021-12-31", "--json", "--xlsx", str(out)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["from"], data["to"]) == ("2021-09-01", "2021-12-31")
    scores = {u["unit"]: u for u in data["units"]}
    assert {k: v["score"] for k, v in scores.items()} == {DISABLED: 90, FARM: 99, STATS: 100}
    assert [(d["rule"], d["measure"], d["points"]) for d in scores[DISABLED]["deductions"]] == [
        ("missing_report", 6, -1.0),
        ("missing_report", 25, -1.0),
        ("interview", None, -5.0),
        ("overdue_co", 6, -1.0),
        ("overdue_lead", 25, -2.0),
    ]
    assert scores[FARM]["lead_on_time_rate"] == 0 and scores[FARM]["co_on_time_rate"] == 1
    sheet = openpyxl.load_workbook(out)["考核"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=5, max_row=7)]
    assert [(r[1], r[2]) for r in rows] == [(DISABLED, 90), (FARM, 99), (STATS, 100)]
    assert main(["score", "--from", "2021-12-31", "--to", "2021-09-01"]) == 2
    assert "早于开始日期" in capsys.readouterr().err


async def test_the_dashboard_shows_each_units_score(tmp_path: Path) -> None:
    async with a_web_world(tmp_path, bind=bound) as web:
        await a_scored_week(web.world)
        session = await web.logged_in(COORDINATOR)
        async with session.get(web.url + "/units?sort=score") as response:
            page = await response.text()
        assert response.status == 200 and "考核得分" in page and "2021年第三季度累计" in page
        rows = re.findall(r'<tr data-unit="([^"]+)" data-light="[a-z]+" data-score="([^"]+)">', page)
        assert rows[:3] == [(DISABLED, "90"), (FARM, "99"), (STATS, "100")]
        assert rows == [(DISABLED, "90"), (FARM, "99"), (STATS, "100")]  # only the bound units are ranked
        apart = page.split("尚未绑定工作群的单位", 1)[1]  # not bound: listed apart, not scored
        assert '<tr data-unit="市财政局" data-bound="false">' in apart and "data-score" not in apart
