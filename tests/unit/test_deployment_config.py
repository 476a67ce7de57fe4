"""A deployment is configuration: the office's names, the basis of supervision, the plan's own numbering, names that
report nothing — from the settings, the registry and the plan, never from code."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from supervisor_bot.core.matrix import Department
from supervisor_bot.core.office import office_for
from supervisor_bot.core.plan_import import ImportResult, import_plan
from supervisor_bot.core.registry import DepartmentRegistry
from supervisor_bot.core.respondents import respondents
from supervisor_bot.services.plans import load_plan
from supervisor_bot.settings.departments import load_registry
from supervisor_bot.settings.errors import ConfigError
from supervisor_bot.settings.paths import settings_file
from supervisor_bot.settings.settings import load_settings
from supervisor_bot.views import messages
from supervisor_bot.views.bureau import yuetan_usage
from tests.conftest import CONFIG
from tests.e2e.test_second_deployment import DEPLOYMENT

JIANGCHUAN = DEPLOYMENT / "settings.toml"


def jiangchuan() -> ImportResult:
    return load_plan(DEPLOYMENT / "plan.txt", DEPLOYMENT / "departments.toml")


def test_the_basis_is_the_plans_own_measure_of_supervision(jinan: ImportResult) -> None:
    office = office_for(jinan.matrix, bureau="市人力资源社会保障局", leaders="市政府办公厅")
    assert office.basis_line == "依据：分工方案第58项“加强就业督导考核，建立约谈制度”。"
    assert office.plan_title == "贯彻落实鲁政字〔2021〕136号文件做好稳就业保就业工作分工方案"


def test_no_basis_without_such_a_measure_unless_the_settings_give_one() -> None:
    matrix = jiangchuan().matrix
    assert office_for(matrix).basis is None
    given = office_for(matrix, basis="《江川市督查工作办法》第十条", plan_title="营商环境方案")
    assert given.basis_line == "依据：《江川市督查工作办法》第十条。" and given.plan_title == "营商环境方案"


def test_the_shipped_settings_carry_jinans_names() -> None:
    office = load_settings(CONFIG / "settings.toml", environ={}).office
    assert (office.bureau, office.leaders, office.plan_title, office.basis) == (
        "市人力资源社会保障局",
        "市政府办公厅",
        "",
        "",
    )
    other = load_settings(JIANGCHUAN, environ={})
    assert other.office.bureau == "市政府督查室" and other.data_dir == DEPLOYMENT / "data"  # relative to its folder


def test_office_names_must_be_text(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text("[office]\nbureau = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"office\.bureau") as caught:
        load_settings(path, environ={})
    assert "应为文字" in str(caught.value)


def test_the_settings_file_is_chosen_by_the_environment(tmp_path: Path) -> None:
    chosen = tmp_path / "a.toml"
    assert settings_file({"SUPERVISOR_CONFIG": str(chosen)}) == chosen
    assert settings_file({"SUPERVISOR_SETTINGS": str(chosen)}) == chosen  # the older name
    assert settings_file({"SUPERVISOR_CONFIG": str(chosen), "SUPERVISOR_SETTINGS": "/x.toml"}) == chosen
    assert settings_file({}).name == "settings.toml"


def test_measures_keep_the_plans_labels() -> None:
    matrix = jiangchuan().matrix
    assert [matrix.label(m.number) for m in matrix.measures[5:8]] == ["一（六）", "二（一）", "二（二）"]
    for written in ("二（三）", "二(三)", " 二（三）", "9"):
        found = matrix.find(written)
        assert found is not None and found.number == 9, written
    assert matrix.find("（三）") is None  # every part has a （三）: the part must be named
    assert matrix.find("18") is None and matrix.find("二（九）") is None


def test_a_label_the_plan_does_not_repeat_is_kept_as_printed() -> None:
    plan = (
        "一、提升服务\n（一）做好甲。（市财政局负责）\n（二）做好乙。（市财政局负责）\n（三）做好丙。（市财政局负责）\n"
    )
    matrix = import_plan(plan, DepartmentRegistry([Department("市财政局")])).matrix
    assert [matrix.label(m.number) for m in matrix.measures] == ["（一）", "（二）", "（三）"]
    for written in ("（三）", "(三)", "3"):
        found = matrix.find(written)
        assert found is not None and found.text.startswith("做好丙"), written
    numbered = import_plan(
        "一、提升服务\n1.做好甲。（市财政局负责）\n2．做好乙。（市财政局负责）\n",
        DepartmentRegistry([Department("市财政局")]),
    )
    assert [numbered.matrix.label(n) for n in (1, 2)] == ["1", "2"]  # `1.` as `1`: the stop is no part of it


def test_names_that_report_nothing_are_kept_but_never_asked() -> None:
    matrix = jiangchuan().matrix
    kept = {d.name: d for d in matrix.departments}
    assert not kept["市直有关部门"].reports and not kept["各有关单位"].reports
    asked = {r.name for r in respondents(matrix)}
    assert "市直有关部门" not in asked and "各有关单位" not in asked and "西山区" in asked


def test_reports_must_be_true_or_false(tmp_path: Path) -> None:
    path = tmp_path / "departments.toml"
    path.write_text('[[department]]\nname = "各有关单位"\nreports = "no"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"department\[1\]\.reports"):
        load_registry(path)


def test_examples_are_the_deployments_own() -> None:
    office = office_for(jiangchuan().matrix, bureau="市政府督查室")
    today = dt.date(2026, 5, 11)
    text = messages.help_text(office, today)
    assert (
        "/status 市政务服务管理局" in text
        and "/measure 一（一）" in text
        and "督办单（发至市政府督查室工作群）" in text
    )
    assert "/yuetan 市政务服务管理局 2026-05-18 " in text and "整改期限2026-06-17" in text
    usage = yuetan_usage(office, today)
    assert "2026-05-11" in usage and "整改期限2026-06-10" in usage
    assert "/invite 市政务服务管理局" in messages.usage("invite", office)
    assert "例如：/measure 一（一）" in messages.no_measure("99", 17, office)
