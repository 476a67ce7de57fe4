"""The demo runs the real bot on the sandbox with simulated liaisons and leaves its record behind: two plans in one
bot — Jinan's 稳就业, weekly, and the project's own 民生实事, monthly — through a short week, to the first digest."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl

from supervisor_bot.demo.run import JOBS, LIVES, START, run_demo
from supervisor_bot.web.browser import browser_missing


def test_a_short_demo_of_two_plans(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    # Monday 08:00 to Friday 18:00: both plans' rounds open on Monday 6 September, the digest goes out on Friday
    assert run_demo(out, speed=36_000, echo=False, end=START.add(days=4, hours=10)) == 0
    conversation = (out / "conversation.txt").read_text(encoding="utf-8")
    assert "协调员（私聊）：/invite 市财政局" in conversation
    # a unit in both plans is bound once, in one group, and answers both plans' checklists there
    assert conversation.count("绑定成功：本群为市财政局的督办工作群") == 1
    assert f"（市财政局）报送：{JOBS} 措施" in conversation and f"（市财政局）报送：{LIVES} 措施" in conversation
    # each plan's round opens on its day (the 6th is both the week's Monday and the month's day), named by its plan
    opened = re.findall(r"\[ ?(\d+)月 ?(\d+)日 周.+?【督办】(\S+) (\S+?)报送已开始", conversation)
    assert opened == [("9", "6", JOBS, "2021年第36周"), ("9", "6", LIVES, "2021年9月")]
    assert "已向47个单位发送督办清单" in conversation
    assert f"报送：{LIVES} 措施一（一）" in conversation  # the plan's own labels, read off its checklist
    assert f"已收到佐证材料：{JOBS} 措施" in conversation  # the first 已完成 come with a file
    assert f"【逾期事项】{JOBS} 2021年第36周" in conversation and "逾期未报送" in conversation
    assert "机器人 → 商河县群：【临期提醒】商河县" in conversation  # the unit that never answers
    assert "机器人 → 商河县群：【催办】商河县" in conversation
    state = (out / "state.txt").read_text(encoding="utf-8")
    assert state.startswith("【各项措施落实情况】截至2021年9月10日")
    assert f"\n【{JOBS}】" in state and f"\n【{LIVES}】济南市民生实事项目推进分工方案" in state
    assert state.count("\n  ") >= 63 + 8  # a line for every measure of both plans
    # the one digest of both plans: a section per plan, the combined ranking; the ledger's 汇总 and a sheet each
    digest = (out / "digest.txt").read_text(encoding="utf-8")
    assert f"【{JOBS}】" in digest and f"【{LIVES}】" in digest and "综合排名" in digest
    book = openpyxl.load_workbook(out / "ledger.xlsx", read_only=True)
    try:
        assert {"汇总", JOBS, LIVES} <= set(book.sheetnames)
    finally:
        book.close()
    assert all((out / f"progress-{key}.png").stat().st_size > 0 for key in (JOBS, LIVES))
    assert all((out / f"matrix-{key}.xlsx").stat().st_size > 0 for key in (JOBS, LIVES))
    shots = ("overview", f"plan-{JOBS}", f"plan-{LIVES}", "unit")  # every plan, each chosen in the switch, a unit
    assert browser_missing() or all((out / f"web-{page}.png").stat().st_size > 10_000 for page in shots)
    rounds = out / "data" / "rounds"
    assert (out / "data" / "state.json").exists() and (rounds / f"{JOBS}-2021-W36.jsonl").exists()
    assert (rounds / f"{LIVES}-2021-09.jsonl").exists()
