"""`main.py rehearse`: a second deployment rehearses itself under its own notice's rules — only the 牵头单位 report
(`[rounds] ask = "leads"`), due on the 25th of each month (`due_monthday = 25`), monthly digests — over three
months on the sandbox, in a throw-away data folder, with no word of another deployment."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from supervisor_bot.cli.main import main
from supervisor_bot.core.matrix import Role
from supervisor_bot.services.plans import load_plan
from supervisor_bot.settings.calendar import load_calendar
from supervisor_bot.web.browser import browser_missing
from tests.deploy.test_plans_settings import a_plans_deployment
from tests.e2e.test_second_deployment import DEPLOYMENT, jinan_only_words

START = "2025-03-17T08:00"  # a Monday; the first round is due 25 March
SPEED = "1000000"  # 278 simulated hours a real second (the rehearsal clock holds while anyone acts)
RULES = {
    "[rounds]\n": '[rounds]\ncadence = "monthly"\nask = "leads"\ndue_monthday = 25\n',
    "[digest]\n": '[digest]\ncadence = "monthly"\nmonthday = 28\n',
}


def a_deployment(tmp: Path) -> Path:
    """The second deployment's folder, its settings saying what its notice says: 各牵头单位于每月25日前报送."""
    folder = tmp / "jiangchuan"
    shutil.copytree(DEPLOYMENT, folder, ignore=shutil.ignore_patterns("data"))
    settings = folder / "settings.toml"
    text = settings.read_text(encoding="utf-8")
    for section, rules in RULES.items():
        text = text.replace(section, rules, 1)
    settings.write_text(text, encoding="utf-8")
    return settings


def due_day(year: int, month: int, folder: Path) -> dt.date:
    """The 25th, or the last working day before it."""
    calendar = load_calendar(folder / "calendar_overrides.toml")
    day = dt.date(year, month, 25)
    while not calendar.is_workday(day):
        day -= dt.timedelta(days=1)
    return day


def test_a_deployment_rehearses_three_months_under_its_own_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = a_deployment(tmp_path)
    monkeypatch.setenv("SUPERVISOR_CONFIG", "")  # recorded, so that what `--config` sets is undone after the test
    monkeypatch.delenv("SUPERVISOR_CONFIG")
    monkeypatch.setenv("SUPERVISOR_CLOCK_START", START)
    out = tmp_path / "out"
    assert (
        main(["rehearse", "--config", str(settings), "--months", "3", "--speed", SPEED, "--out", str(out), "--quiet"])
        == 0
    )
    summary = capsys.readouterr().out
    assert not (settings.parent / "data").exists()  # the deployment's own data folder: untouched

    matrix = load_plan(settings.parent / "plan.txt", settings.parent / "departments.toml").matrix
    leads = {m_lead for m in matrix.measures for m_lead in m.leads}
    co_only = {a.department for m in matrix.measures for a in m.assignments} - leads
    conversation = (out / "conversation.txt").read_text(encoding="utf-8")

    # rounds due on the 25th, or the working day before it (25 May 2025 is a Sunday: Friday the 23rd)
    opened = re.findall(r"【督办】(\d{4})年(\d+)月报送已开始，截止时间(\d+)月(\d+)日", conversation)
    assert [(int(m), int(d)) for _, _, m, d in opened] == [
        (month, due_day(2025, month, settings.parent).day) for month in (3, 4, 5)
    ]
    assert [(int(m), int(d)) for _, _, m, d in opened][-1] == (5, 23)
    assert "2025年5月：5月20日（周二）09:00开启，5月23日（周五）17:00截止" in summary

    # only the leads are asked: checklists, reminders and the ladder go to their groups only
    asked = set(
        re.findall(r"\n(\S+?)(?:（[^）]*）)?：\d+条", summary.split("二、各单位收到的消息")[1].split("三、")[0])
    )
    assert asked == {d for d in leads if matrix.department(d) and matrix.department(d).reports}  # type: ignore[union-attr]
    for unit in co_only:
        assert f"{unit}群" not in conversation and f"【催办】{unit}" not in conversation

    # the silent unit goes up the whole ladder
    silent = re.search(r"\n(\S+?)（始终不报送）", summary)
    assert silent is not None
    unit = silent.group(1)
    for step in (f"【临期提醒】{unit}", f"【催办】{unit}", f"被督办单位：{unit}", f"【约谈建议】拟约谈：{unit}"):
        assert step in conversation, step
    assert f"/yuetan {unit}" in conversation and "有困难" in conversation and "已收到佐证材料" in conversation
    assert "延期" in conversation and ("销号" in conversation or "退回" in conversation)

    # the ledger lists only leads, each measure's 配合单位 beside it, and scores only leads
    book = openpyxl.load_workbook(out / "ledger.xlsx", read_only=True)
    rows = list(book["督办台账"].iter_rows(values_only=True))
    scores = list(book["考核"].iter_rows(values_only=True))
    book.close()
    header = {title: i for i, title in enumerate(rows[0])}
    assert {row[header["角色"]] for row in rows[1:]} == {Role.LEAD.label}
    assert any(row[header["配合单位（向牵头单位报送）"]] for row in rows[1:])
    scored = [row[1] for row in scores if row[1] in leads | co_only]
    assert scored and set(scored) <= leads

    # the digest is a monthly one, as the settings say; nothing of another deployment anywhere
    digest = (out / "digest.txt").read_text(encoding="utf-8")
    assert digest.startswith("【督办月报】")
    said = "\n".join((conversation, digest, summary.split("四、输出文件")[0]))
    found = sorted(word for word in jinan_only_words() if word in said)
    assert not found, found
    for name in ("conversation.txt", "digest.txt", "ledger.xlsx", "progress.png", "matrix.xlsx", "summary.txt"):
        assert (out / name).stat().st_size > 0 and str(out / name) in summary
    assert browser_missing() or all((out / f"web-{page}.png").stat().st_size > 10_000 for page in ("overview", "unit"))


def test_a_deployment_of_two_plans_rehearses_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`[[plans]]`: a weekly plan and a monthly one rehearse together — each plan's rounds on its own days, named
    by its key; a unit in both has one group; one digest with a section per plan; a ledger with a sheet each."""
    settings = a_plans_deployment(tmp_path)
    monkeypatch.setenv("SUPERVISOR_CONFIG", "")
    monkeypatch.delenv("SUPERVISOR_CONFIG")
    monkeypatch.setenv("SUPERVISOR_CLOCK_START", "2026-03-02T08:00")  # a Monday; 教育民生 opens on the 5th
    out = tmp_path / "out"
    args = ["rehearse", "--config", str(settings), "--months", "1", "--speed", SPEED, "--out", str(out), "--quiet"]
    assert main(args) == 0
    summary = capsys.readouterr().out
    assert not (settings.parent / "data").exists()
    conversation = (out / "conversation.txt").read_text(encoding="utf-8")
    opened = re.findall(r"【督办】(\S+) (\d{4}年\S+?)报送已开始", conversation)
    assert ("数字政府", "2026年第10周") in opened and ("教育民生", "2026年3月") in opened
    assert {key for key, _ in opened} == {"数字政府", "教育民生"}
    assert "数字政府 2026年第10周：3月3日（周二）08:30开启" in summary  # [rounds] weekday = 周二
    assert "教育民生 2026年3月：3月5日（周四）08:30开启" in summary
    assert "【演练小结】数字政府 " in summary and "；教育民生 教育民生实事分工方案" in summary
    units = re.findall(r"\n(\S+?)(?:（[^）]*）)?：\d+条", summary.split("二、各单位收到的消息")[1].split("三、")[0])
    assert "市教育局" in units and len(units) == len(set(units))  # in both plans, one group
    assert "报送：教育民生 措施" in conversation and "报送：数字政府 措施" in conversation
    digest = (out / "digest.txt").read_text(encoding="utf-8")
    assert "【数字政府】" in digest and "【教育民生】" in digest and "综合排名" in digest
    book = openpyxl.load_workbook(out / "ledger.xlsx", read_only=True)
    try:
        assert {"汇总", "数字政府", "教育民生"} <= set(book.sheetnames)
    finally:
        book.close()
    for name in ("matrix-数字政府.xlsx", "matrix-教育民生.xlsx", "progress-数字政府.png", "progress-教育民生.png"):
        assert (out / name).stat().st_size > 0 and str(out / name) in summary
