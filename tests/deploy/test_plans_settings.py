"""`[[plans]]` in the settings: keys, files, titles and each plan's own rounds over `[rounds]`; check-config catches
duplicate keys, a missing file, a unit unknown to the registry in any plan, and explains how to move from `[plan]`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from supervisor_bot.cli import main
from supervisor_bot.cli.check_config import check
from supervisor_bot.cli.check_more import Report
from supervisor_bot.core.schedule import Cadence
from supervisor_bot.settings.errors import ConfigError
from supervisor_bot.settings.plans import MOVING
from supervisor_bot.settings.settings import load_settings
from tests.deploy.deployment import a_deployment

SANDBOX = {"TELEGRAM_BASE_URL": "http://127.0.0.1:8081"}
DAY = dt.date(2026, 3, 2)
SECOND = """关于印发某市教育民生实事分工方案的通知

一、办好人民满意教育
1.新建中小学5所，秋季开学投入使用。（市教育局牵头，市财政局配合）
2.建设智慧校园示范校10所。（市教育局、市大数据局负责）
"""
PLANS = """
timezone = "Asia/Shanghai"
data_dir = "data"
departments = "departments.toml"

[calendar]
overrides = "{calendar}"

[rounds]
opens_at = "08:30"
weekday = "周二"

[[plans]]
key = "数字政府"
file = "plan.txt"

[[plans]]
key = "教育民生"
file = "second.txt"
title = "教育民生实事分工方案"
rounds = {{ cadence = "monthly", monthday = 5 }}
"""


def a_plans_deployment(tmp: Path, text: str = PLANS, second: str = SECOND) -> Path:
    settings = a_deployment(tmp)
    (tmp / "second.txt").write_text(second, encoding="utf-8")
    calendar = settings.read_text(encoding="utf-8").split('overrides = "')[1].split('"')[0]
    settings.write_text(text.format(calendar=calendar), encoding="utf-8")
    return settings


def checked(monkeypatch: pytest.MonkeyPatch, settings: Path) -> Report:
    monkeypatch.setenv("SUPERVISOR_SETTINGS", str(settings))
    return check(DAY, environ=SANDBOX)


def test_plans_with_their_keys_titles_and_rounds(tmp_path: Path) -> None:
    settings = load_settings(a_plans_deployment(tmp_path), SANDBOX)
    assert settings.keyed and [p.key for p in settings.plans] == ["数字政府", "教育民生"]
    digital, education = settings.plans
    assert digital.file == tmp_path / "plan.txt" and education.title == "教育民生实事分工方案"
    assert digital.schedule.cadence is Cadence.WEEKLY and digital.schedule.weekday == 1
    assert education.schedule.cadence is Cadence.MONTHLY and education.schedule.monthday == 5
    assert education.schedule.opens_at == dt.time(8, 30)  # [rounds] under the plan's own
    assert settings.departments_file == tmp_path / "departments.toml"


def test_one_plan_keeps_working_as_today(tmp_path: Path) -> None:
    settings = load_settings(a_deployment(tmp_path), SANDBOX)
    assert not settings.keyed and [(p.key, p.file) for p in settings.plans] == [("", tmp_path / "plan.txt")]


@pytest.mark.parametrize(
    ("change", "key", "says"),
    [
        (('key = "教育民生"', 'key = "数字政府"'), "plans[2].key", "与第1个方案重复"),
        (('key = "教育民生"', 'key = "2025"'), "plans[2].key", "须以文字开头"),
        (('key = "教育民生"', 'key = "教育-民生"'), "plans[2].key", "不含空格、横线"),
        (('file = "second.txt"', 'file = ""'), "plans[2].file", "须写明方案文件"),
        (("monthday = 5", "monthday = 40"), "plans[2].rounds.monthday", "应在 1 到 31 之间"),
        (("[rounds]", '[plan]\nfile = "plan.txt"\n\n[rounds]'), "[plan]", "不能与 [[plans]] 同时使用"),
    ],
)
def test_mistakes_are_named(tmp_path: Path, change: tuple[str, str], key: str, says: str) -> None:
    settings = a_plans_deployment(tmp_path, PLANS.replace(*change))
    with pytest.raises(ConfigError) as refused:
        load_settings(settings, SANDBOX)
    assert refused.value.key == key and says in refused.value.problem


def test_check_config_reads_every_plan(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    report = checked(monkeypatch, a_plans_deployment(tmp_path))
    assert report.errors == [], report.errors
    assert any(line.startswith("方案“数字政府”：") and "5项措施" in line for line in report.ok)
    assert any(line.startswith("方案“教育民生”报送安排：每月5日") for line in report.ok)
    assert any("教育民生实事分工方案" in line for line in report.ok)


def test_check_config_catches_a_missing_file_and_an_unknown_unit(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    unknown = SECOND.replace("市财政局配合", "市体育局配合")
    report = checked(
        monkeypatch, a_plans_deployment(tmp_path, PLANS.replace('file = "plan.txt"', 'file = "no.txt"'), unknown)
    )
    assert any(line.startswith("方案“数字政府”：") and "no.txt" in line for line in report.errors)
    assert any("second.txt" in line and "市体育局" in line for line in report.errors)
    lint = checked(monkeypatch, a_plans_deployment(tmp_path, PLANS.replace('title = "', 'titel = "')))
    assert any("plans[2].titel" in line and "你是否想写 title？" in line for line in lint.errors)


def test_check_config_explains_how_to_move(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    report = checked(monkeypatch, a_deployment(tmp_path))
    assert any(MOVING in line for line in report.ok)


def test_matrix_json_of_a_deployment_lists_its_plans(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SUPERVISOR_SETTINGS", str(a_plans_deployment(tmp_path)))
    assert main(["matrix", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert [(p["key"], len(p["measures"])) for p in shown["plans"]] == [("数字政府", 5), ("教育民生", 2)]
    assert shown["plans"][1]["title"] == "教育民生实事分工方案"
    assert shown["plans"][1]["measures"][0]["text"].startswith("新建中小学5所")
    assert main(["matrix", "--json", str(tmp_path / "second.txt")]) == 0  # a single file: as before
    assert "document" in json.loads(capsys.readouterr().out)
