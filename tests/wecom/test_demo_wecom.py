"""`main.py demo --messenger wecom`, short: the month's first week on the WeCom sandbox leaves its record."""

from __future__ import annotations

from pathlib import Path

from supervisor_bot.cli.main import _parser
from supervisor_bot.demo.run import START
from supervisor_bot.demo.wecom_month import run_wecom_demo


def test_the_demo_takes_the_messenger_to_run_on() -> None:
    assert _parser().parse_args(["demo", "--messenger", "wecom"]).messenger == "wecom"
    assert _parser().parse_args(["demo"]).messenger == "telegram"


def test_a_short_demo_on_wecom(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    assert run_wecom_demo(out, speed=36_000, echo=False, end=START.add(days=6)) == 0
    conversation = (out / "conversation.txt").read_text(encoding="utf-8")
    assert "演示开始（企业微信）" in conversation
    assert "协调员（单聊）：邀请 市财政局" in conversation and "@督办 绑定" in conversation
    assert "绑定成功：本群为市财政局的督办工作群" in conversation
    assert "点击卡片报送：措施" in conversation
    assert "单聊发送佐证材料：措施" in conversation
    assert "（市住房城乡建设局）单聊：" in conversation  # a difficulty said in the one-to-one chat
    assert "机器人 → 商河县群：【催办】商河县" in conversation
    assert "[卡片] 延期·措施" in conversation  # the 督办单's buttons, six at most on a card
    assert "[文件] 督办台账20210910.xlsx" in conversation and "[图片] 分部分进展20210910.png" in conversation
    assert not any(word in conversation for word in ("/bind", "/invite", "/yuetan", "回复本消息"))
    state = (out / "state.txt").read_text(encoding="utf-8")
    assert state.startswith("【各项措施落实情况】")
    assert len(list((out / "data" / "evidence").rglob("*.pdf"))) == 3
