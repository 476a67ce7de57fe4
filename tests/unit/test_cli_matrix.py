"""`python main.py matrix`: JSON, the readable table, the spreadsheet, and clear failures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from supervisor_bot.cli import main
from supervisor_bot.settings.paths import PROJECT_ROOT
from tests.conftest import DEPARTMENTS, JINAN_PLAN


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_interface(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "matrix", "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert set(data) >= {"document", "sections", "departments", "measures"}
    assert data["document"]["number"] == "济政办函〔2021〕16号"
    assert len(data["sections"]) == 10
    m8 = data["measures"][7]
    assert {"number", "section", "text", "departments", "leads", "open_ended", "dates", "targets"} <= set(m8)
    assert m8["number"] == 8 and m8["section"] == 2
    assert m8["leads"] == ["市人力资源社会保障局"]
    assert m8["dates"][0]["date"] == "2022-04-30" and m8["dates"][0]["meaning"] == "policy_until"
    hrss = next(d for d in data["departments"] if d["name"] == "市人力资源社会保障局")
    assert len(hrss["measures"]) == 49 and "市人社局" in hrss["aliases"]


def test_json_for_an_explicit_plan_file(capsys: pytest.CaptureFixture[str], plan_file: Path) -> None:
    plan_file.write_text("一、稳定就业\n1.做好工作。（市财政局、某新单位等负责）\n", encoding="gb18030")
    code, out, err = run(capsys, "matrix", str(plan_file), "--json")
    assert code == 0
    assert json.loads(out)["measures"][0]["departments"] == ["市财政局", "某新单位"]
    assert "措施1" in err and "某新单位" in err  # reported, and still in the matrix


def test_readable_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "matrix", str(JINAN_PLAN), "--departments", str(DEPARTMENTS))
    assert code == 0
    assert "共10个部分、63项措施、33个责任单位" in out
    assert "市人力资源社会保障局：共49项" in out
    assert "牵头 32 项：7、8、9、10" in out


def test_spreadsheet(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_path = tmp_path / "matrix.xlsx"
    code, out, _ = run(capsys, "matrix", str(JINAN_PLAN), "--xlsx", str(out_path))
    assert code == 0 and str(out_path) in out
    book = load_workbook(out_path)
    assert book.sheetnames == ["分工矩阵", "责任单位"]
    sheet = book["分工矩阵"]
    assert sheet.freeze_panes == "D2"
    header = [c.value for c in sheet[1]]
    assert header[:7] == ["序号", "部分", "措施内容", "牵头单位", "完成时限", "量化指标", "提示"]
    assert len(header) == 7 + 33
    assert sheet.max_row == 1 + 63
    hrss = header.index("市人力资源社会保障局") + 1
    column = [sheet.cell(row=r, column=hrss).value for r in range(2, 65)]
    assert column.count("牵头") == 32 and column.count("配合") == 17
    assert sheet.cell(row=2, column=1).value == 1
    assert sheet.column_dimensions["C"].width >= 40  # the measure text is readable
    assert sheet.cell(row=9, column=5).value == "政策执行至2022-04-30"
    departments = book["责任单位"]
    assert departments.max_row == 1 + 33
    assert departments.cell(row=1, column=1).value == "责任单位"


def test_an_unreadable_document_fails_with_status_2(capsys: pytest.CaptureFixture[str], plan_file: Path) -> None:
    plan_file.write_text("通知\n一、稳定就业\n1.做好工作。\n", encoding="utf-8")
    code, out, err = run(capsys, "matrix", str(plan_file), "--json")
    assert code == 2 and out == ""
    assert "第3行" in err and "负责" in err


def test_a_missing_plan(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "matrix", str(tmp_path / "none.txt"))
    assert code == 2 and "文件不存在" in err


def test_a_binary_file(capsys: pytest.CaptureFixture[str], plan_file: Path) -> None:
    plan_file.write_bytes(bytes(range(256)) * 4)
    code, _, err = run(capsys, "matrix", str(plan_file))
    assert code == 2 and "错误" in err


def test_a_broken_registry_names_file_and_key(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    broken = tmp_path / "departments.toml"
    broken.write_text("[[department]]\nname = 3\n", encoding="utf-8")
    code, _, err = run(capsys, "matrix", "--departments", str(broken))
    assert code == 2 and str(broken) in err and "department[1].name" in err


def test_main_py_runs_as_a_script() -> None:
    done = subprocess.run(
        [sys.executable, "main.py", "matrix", "--json"], cwd=PROJECT_ROOT, capture_output=True, check=False
    )
    assert done.returncode == 0
    assert len(json.loads(done.stdout)["measures"]) == 63
