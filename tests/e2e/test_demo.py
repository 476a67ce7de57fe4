"""The demo runs the real bot on the sandbox with simulated liaisons and leaves its record behind."""

from __future__ import annotations

from pathlib import Path

from supervisor_bot.demo.run import START, run_demo
from supervisor_bot.web.browser import browser_missing


def test_a_short_demo(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    assert run_demo(out, speed=36_000, echo=False, end=START.add(days=4)) == 0
    conversation = (out / "conversation.txt").read_text(encoding="utf-8")
    assert "协调员（私聊）：/invite 市财政局" in conversation
    assert "绑定成功：本群为市财政局的督办工作群" in conversation
    assert "2021年第36周报送已开始" in conversation and "已向47个单位发送督办清单" in conversation
    assert "报送：措施" in conversation
    assert "已收到佐证材料：措施" in conversation  # the first 已完成 come with a file
    assert "【逾期事项】2021年第36周" in conversation and "逾期未报送" in conversation
    assert "机器人 → 商河县群：【临期提醒】商河县" in conversation  # the unit that never answers
    assert "机器人 → 商河县群：【催办】商河县" in conversation
    state = (out / "state.txt").read_text(encoding="utf-8")
    assert state.startswith("【各项措施落实情况】截至2021年9月10日")
    assert state.count("\n  ") >= 63  # a line for every measure
    assert (out / "matrix.xlsx").stat().st_size > 0
    assert browser_missing() or all((out / f"web-{page}.png").stat().st_size > 10_000 for page in ("overview", "unit"))
    assert (out / "data" / "state.json").exists() and (out / "data" / "rounds" / "2021-W36.jsonl").exists()
