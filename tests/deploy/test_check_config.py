"""check-config catches what people get wrong, each named with the file and the key, with what was meant."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from supervisor_bot.cli.check_config import check
from supervisor_bot.cli.check_more import Report
from tests.deploy.deployment import PLAN, REGISTRY, a_deployment

SANDBOX = {"TELEGRAM_BASE_URL": "http://127.0.0.1:8081"}
DAY = dt.date(2026, 3, 2)


def checked(monkeypatch: pytest.MonkeyPatch, settings: Path) -> Report:
    monkeypatch.setenv("SUPERVISOR_SETTINGS", str(settings))
    return check(DAY, environ=SANDBOX)


def test_a_clean_second_deployment_passes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    report = checked(monkeypatch, a_deployment(tmp_path))
    assert report.errors == [], report.errors
    assert any("5项措施" in line for line in report.ok)


def test_unknown_sections_and_keys_with_a_suggestion(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    extra = '\n[digets]\nweekday = "周五"\n\n[rounds]\ndue_time = "17:00"\nweekday = "周一"\n'
    report = checked(monkeypatch, a_deployment(tmp_path, extra))
    assert any("[digets]" in line and "你是否想写 [digest]？" in line for line in report.errors)
    assert any("rounds.due_time" in line and "你是否想写 due_at？" in line for line in report.errors)
    assert "配置有误" in report.render()


def test_a_key_in_the_wrong_section(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    report = checked(monkeypatch, a_deployment(tmp_path, '\n[digest]\ndue_at = "17:00"\n'))
    assert any("digest.due_at" in line and "应写在 [rounds] 小节中" in line for line in report.errors)


def test_ids_of_the_wrong_kind(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    extra = '\n[bindings]\n"市财政局" = 123456789\n\n[people]\ncoordinators = [-1001]\n'
    settings = a_deployment(tmp_path, extra.replace("[chats]", "[x]"))
    settings.write_text(settings.read_text(encoding="utf-8").replace("bureau = -100200", "bureau = 555"), "utf-8")
    report = checked(monkeypatch, settings)
    assert any("chats.bureau" in line and "像是用户 id" in line for line in report.errors)
    assert any("bindings.市财政局" in line and "像是用户 id" in line for line in report.errors)
    assert any("people.coordinators" in line and "像是群组 id" in line for line in report.errors)


def test_duplicate_departments_and_groups(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    registry = REGISTRY + '\n[[department]]\nname = "市财政局"\n'
    extra = '\n[bindings]\n"市财政局" = -1001\n"市教育局" = -1001\n'
    report = checked(monkeypatch, a_deployment(tmp_path, extra, registry=registry))
    assert any("department[6].name" in line and "重复登记" in line for line in report.errors)
    assert any("bindings.市教育局" in line and "同一个群" in line for line in report.errors)


def test_a_bound_group_where_no_one_may_report(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    extra = '\n[bindings]\n"市财政局" = -1001\n"市教育局" = -1002\n\n[liaisons]\n"市教育局" = [42]\n'
    report = checked(monkeypatch, a_deployment(tmp_path, extra))
    assert any("bindings.市财政局" in line and "没有可报送的联络员" in line for line in report.warnings)
    assert not any("市教育局" in line for line in report.warnings)


def test_unresolved_names_grouped_and_failing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    plan = PLAN.replace("（市大数据局牵头，市财政局配合）", "（市大数局牵头，市财政局配合）")
    plan = plan.replace("（市大数据局、市教育局负责）", "（市大数局、市教育局负责）")
    plan = plan.replace("（市教育局牵头，市财政局配合）", "（市教育局牵头，市大数局、各有关单位配合）")
    report = checked(monkeypatch, a_deployment(tmp_path, plan=plan))
    assert any('"市大数局"：措施1、2、5（3处）' in line for line in report.errors), report.errors
    assert any('"各有关单位"：措施5（1处）' in line for line in report.errors)
    assert "配置有误" in report.render()
    # registered — or marked as no unit that reports — and the check passes
    registry = REGISTRY.replace('aliases = ["市大数据发展局"]', 'aliases = ["市大数据发展局", "市大数局"]')
    registry += '\n[[department]]\nname = "各有关单位"\nreports = false\n'
    report = checked(monkeypatch, a_deployment(tmp_path, plan=plan, registry=registry))
    assert report.errors == [], report.errors


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("[rounds]\nweekday = 周一\n", 2, 11),
        ('[digest\nat = "17:00"\n', 1, 8),
        ("[chats]\nbureau = -1001\nbureau = -1002\n", 0, 0),
    ],
)
def test_a_toml_error_in_chinese_with_line_and_column(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, text: str, line: int, column: int
) -> None:
    settings = a_deployment(tmp_path)
    settings.write_text(text, encoding="utf-8")
    report = checked(monkeypatch, settings)
    (error,) = report.errors
    assert str(settings) in error and "TOML 格式错误" in error
    if line:
        assert f"第{line}行第{column}列" in error
    assert not any(word in error for word in ("Invalid", "Expected", "line", "column", "Cannot"))


def test_the_next_three_rounds_as_configured(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    rules = '\n[rounds]\ncadence = "monthly"\ndue_monthday = 25\ndue_workdays = 3\nask = "leads"\n'
    report = checked(monkeypatch, a_deployment(tmp_path, rules))
    assert report.errors == [], report.errors
    text = report.render()
    assert "每月25日 17:00 截止（非工作日提前至此前最后一个工作日），提前3个工作日 09:00 开启" in text
    assert "仅牵头单位报送" in text
    assert "2026年3月：3月20日（周五）09:00 开启，3月25日（周三）17:00 截止" in text
    assert "2026年4月：4月21日（周二）09:00 开启，4月24日（周五）17:00 截止" in text  # the 25th a Saturday
    assert "2026年5月：" in text and "2026年6月：" not in text


def test_an_unknown_unit_in_bindings_is_named_with_what_was_meant(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    extra = '\n[bindings]\n"市大数局" = -1001\n"市财政局" = -1002\n'
    report = checked(monkeypatch, a_deployment(tmp_path, extra))
    wrong = [line for line in report.errors + report.warnings if "市大数局" in line]
    assert len(wrong) == 1 and "是否为“市大数据局”？" in wrong[0]  # one message, and no "no liaison" warning first
    assert any("bindings.市财政局" in line and "没有可报送的联络员" in line for line in report.warnings)


def test_a_unit_only_ever_co_under_leads(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    extra = '\n[rounds]\nask = "leads"\n\n[bindings]\n"市财政局" = -1002\n\n[liaisons]\n"市财政局" = [7]\n'
    report = checked(monkeypatch, a_deployment(tmp_path, extra))  # 市财政局 is 配合 in measures 1 and 5 only
    assert report.errors == [], report.errors
    assert any("bindings.市财政局" in line and "只是配合单位" in line for line in report.warnings)
