"""Warnings: a plan with an unusual reading imports (exit 0) and says so — in matrix's summary, check-config,
plan diff and the 提示 column of matrix.xlsx."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from supervisor_bot.cli import main
from supervisor_bot.cli.check_config import check
from supervisor_bot.core.matrix import Department
from supervisor_bot.core.plan_import import import_plan
from supervisor_bot.core.registry import DepartmentRegistry
from tests.deploy.deployment import PLAN, a_deployment

SANDBOX = {"TELEGRAM_BASE_URL": "http://127.0.0.1:8081"}
GAP = PLAN.replace("4.建设全民健康", "6.建设全民健康").replace("5.推进教育", "7.推进教育")
GAP_WARNING = "编号“6.”不连续（上一项是“3.”），已按“6.”读取，请核对是否漏项"


def test_names_run_together_are_read_as_the_units_the_registry_knows() -> None:
    registry = DepartmentRegistry([Department("市财政局"), Department("市教育局"), Department("市商务局")])
    text = "一、甲\n1.做好甲。（市商务局牵头，市财政局 市教育局配合）\n"
    result = import_plan(text, registry)
    (measure,) = result.matrix.measures
    assert measure.leads == ("市商务局",) and measure.departments == ("市商务局", "市财政局", "市教育局")
    (warning,) = result.problems
    assert "已按“市财政局”“市教育局”2个单位读取" in str(warning) and warning.name is None


def test_matrix_ends_with_a_summary_with_every_warning(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    a_deployment(tmp_path, plan=GAP)
    code = main(["matrix", str(tmp_path / "plan.txt"), "--departments", str(tmp_path / "departments.toml")])
    out = capsys.readouterr().out
    assert code == 0
    summary = out[out.index("核对摘要") :].splitlines()
    assert summary[1] == "措施：共5项；一、夯实数字底座 2项、二、提升服务能力 3项"
    assert summary[2] == "责任单位：共5个"
    assert summary[3].startswith("牵头措施数：市大数据局 2、")
    assert "完成时限：找到0项，未找到5项" in summary
    assert summary[-2:] == ["提示（1条）：", f"  第8行：{GAP_WARNING}"]
    assert len(summary) <= 24  # one screen


def test_the_warning_in_the_spreadsheets_column(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    a_deployment(tmp_path, plan=GAP)
    out = tmp_path / "matrix.xlsx"
    args = ["matrix", str(tmp_path / "plan.txt"), "--departments", str(tmp_path / "departments.toml"), "--xlsx"]
    assert main([*args, str(out)]) == 0
    assert "提示（1条）" in capsys.readouterr().out
    sheet = load_workbook(out)["分工矩阵"]
    header = [c.value for c in sheet[1]]
    notes = [row[header.index("提示")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert notes == [None, None, None, GAP_WARNING, None]


def test_check_config_and_plan_diff_list_the_warnings(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    settings = a_deployment(tmp_path, plan=GAP)
    monkeypatch.setenv("SUPERVISOR_SETTINGS", str(settings))
    report = check(environ=SANDBOX)
    assert any(line.endswith(GAP_WARNING) for line in report.warnings), report.warnings
    revised = tmp_path / "revised.txt"
    revised.write_text(GAP.replace("年底前", "今年底前"), encoding="utf-8")
    assert main(["plan", "diff", str(revised)]) == 0
    assert f"第8行：{GAP_WARNING}" in capsys.readouterr().out
