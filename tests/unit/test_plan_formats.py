"""One plan in every format an office keeps it: the same measures, units, leaders and time limits from each."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from supervisor_bot.core.matrix import DateMeaning, Measure
from supervisor_bot.core.plan_document import import_document
from supervisor_bot.core.plan_import import ImportResult
from supervisor_bot.core.registry import DepartmentRegistry
from supervisor_bot.documents import read_document
from tests.documents import (
    HEADER,
    Grid,
    Row,
    html_table,
    plan_grid,
    write_docx_prose,
    write_docx_table,
    write_pdf_table,
    write_xlsx,
)

DRC = "市发展改革委"
HRSS = "市人力资源社会保障局"
SECTIONS = [
    (
        "一、优化营商环境",
        [
            Row(
                "深化“放管服”改革，推广“一网通办”\n2.0，2025年底前实现全覆盖。",
                "市行政审批服务局",
                f"{DRC}、市财政局",
                "张明",
                "2025年12月底前",
            ),
            Row("开展营商环境评价，每季度通报一次。", DRC, "各区县政府", "李华", "每季度末"),
            Row("清理拖欠中小企业账款。", DRC, "市财政局、市工业和信息化局等", "李华", "2025年6月底前"),
        ],
    ),
    (
        "二、稳定和扩大就业",
        [
            Row("落实稳岗返还政策。", HRSS, "市财政局", "王强、赵敏", "长期坚持"),
            Row("加强高校毕业生就业服务。", HRSS, "市教育局、团市委", "王强", "持续推进"),
        ],
    ),
]
TITLE = "2025年优化营商环境和稳就业重点任务分解表"
# number: (section, text, departments (lead first), leaders, deadline_text, the deadline's date)
EXPECTED: dict[int, tuple[int, str, tuple[str, ...], tuple[str, ...], str, dt.date | None]] = {
    1: (
        1,
        "深化“放管服”改革，推广“一网通办”2.0，2025年底前实现全覆盖。",
        ("市行政审批服务局", DRC, "市财政局"),
        ("张明",),
        "2025年12月底前",
        dt.date(2025, 12, 31),
    ),
    2: (1, "开展营商环境评价，每季度通报一次。", (DRC, "各区县政府"), ("李华",), "每季度末", None),
    3: (
        1,
        "清理拖欠中小企业账款。",
        (DRC, "市财政局", "市工业和信息化局"),
        ("李华",),
        "2025年6月底前",
        dt.date(2025, 6, 30),
    ),
    4: (2, "落实稳岗返还政策。", (HRSS, "市财政局"), ("王强", "赵敏"), "长期坚持", None),
    5: (2, "加强高校毕业生就业服务。", (HRSS, "市教育局", "团市委"), ("王强",), "持续推进", None),
}


def check_every_measure(result: ImportResult) -> None:
    matrix = result.matrix
    assert [m.number for m in matrix.measures] == list(EXPECTED)
    assert [(s.number, s.label, s.title) for s in matrix.sections] == [
        (1, "一", "优化营商环境"),
        (2, "二", "稳定和扩大就业"),
    ]
    for m in matrix.measures:
        section, text, departments, leaders, deadline_text, deadline = EXPECTED[m.number]
        assert (m.section, m.text, m.departments, m.leaders) == (section, text, departments, leaders), m.number
        assert m.leads == departments[:1]
        assert m.deadline_text == deadline_text
        assert m.end_date == deadline
        assert all(d.meaning is DateMeaning.DEADLINE for d in m.dates)
    assert matrix.measures[2].open_ended  # 市工业和信息化局等


def load(path: Path, registry: DepartmentRegistry) -> ImportResult:
    return import_document(read_document(path), registry)


def test_word_table_with_merged_section_rows_leads_and_wrapped_cells(
    tmp_path: Path, registry: DepartmentRegistry
) -> None:
    grid = plan_grid(SECTIONS)
    assert (3, 2, 4, 2) in grid.merges  # 市发展改革委 merged down over two rows
    check_every_measure(load(write_docx_table(tmp_path / "plan.docx", grid), registry))


def test_word_table_with_a_title_row_merged_above_the_header(tmp_path: Path, registry: DepartmentRegistry) -> None:
    result = load(write_docx_table(tmp_path / "plan.docx", plan_grid(SECTIONS, title=TITLE)), registry)
    check_every_measure(result)
    assert result.matrix.document.plan_title == TITLE


def test_excel_task_table_with_merged_cells(tmp_path: Path, registry: DepartmentRegistry) -> None:
    check_every_measure(load(write_xlsx(tmp_path / "plan.xlsx", plan_grid(SECTIONS, title=TITLE)), registry))


def test_portal_html_with_rowspan_and_colspan(tmp_path: Path, registry: DepartmentRegistry) -> None:
    page = tmp_path / "plan.html"
    page.write_text(html_table(plan_grid(SECTIONS), before=("关于印发重点任务分解表的通知", TITLE)), encoding="utf-8")
    result = load(page, registry)
    check_every_measure(result)
    assert result.matrix.document.plan_title == TITLE


def test_pdf_ruled_table(tmp_path: Path, registry: DepartmentRegistry) -> None:
    check_every_measure(load(write_pdf_table(tmp_path / "plan.pdf", plan_grid(SECTIONS)), registry))


def test_a_table_laid_out_as_text(tmp_path: Path, registry: DepartmentRegistry) -> None:
    lines = [TITLE, "\t".join(HEADER)]
    for heading, rows in SECTIONS:
        lines.append(heading)
        lines += [
            "\t".join([str(n), r.task.replace("\n", ""), r.lead, r.units, r.leader, r.deadline])
            for n, r in enumerate(rows, start=1 if heading.startswith("一") else 4)
        ]
    path = tmp_path / "plan.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    check_every_measure(load(path, registry))


def test_columns_in_any_order_and_other_header_words(tmp_path: Path, registry: DepartmentRegistry) -> None:
    grid = Grid([["完成时间", "牵头领导", "配合单位", "工作任务", "牵头单位", "编号"]])
    grid.rows.append(["一、稳定就业"] * 6)
    grid.rows.append(["2025年9月", "王强", "市财政局", "落实稳岗政策。", HRSS, "1"])
    m = only(load(write_xlsx(tmp_path / "plan.xlsx", grid), registry))
    assert (m.departments, m.leads, m.leaders, m.deadline_text) == ((HRSS, "市财政局"), (HRSS,), ("王强",), "2025年9月")
    assert m.end_date == dt.date(2025, 9, 30)  # a month in the 完成时间 column: done by its end


def only(result: ImportResult) -> Measure:
    assert len(result.matrix.measures) == 1
    return result.matrix.measures[0]


def units_only_table(tmp_path: Path, rule: str) -> ImportResult:
    grid = Grid([["序号", "主要任务", "责任单位", "时间节点"]])
    grid.rows.append(["1", "做好甲工作。", "市财政局、市教育局", "2025年底前"])
    grid.rows.append(["2", "做好乙工作。", "市教育局", "长期坚持"])
    path = write_docx_table(tmp_path / "plan.docx", grid, before=("关于印发工作方案的通知", rule))
    return import_document(read_document(path))


def test_a_table_with_only_responsible_units_the_first_named_leads(tmp_path: Path) -> None:
    result = units_only_table(tmp_path, "排在第一位的为牵头单位。")
    assert [m.leads for m in result.matrix.measures] == [("市财政局",), ("市教育局",)]
    assert result.matrix.document.lead_rule_stated


def test_the_document_may_say_every_responsible_unit_leads(tmp_path: Path) -> None:
    result = units_only_table(tmp_path, "无牵头单位的，责任单位即为牵头单位。")
    assert [m.leads for m in result.matrix.measures] == [("市财政局", "市教育局"), ("市教育局",)]


def test_prose_with_label_blocks_after_each_measure(tmp_path: Path) -> None:
    text = (
        "一、优化营商环境\n"
        "1.深化“放管服”改革。\n牵头领导：张明\n牵头单位：市行政审批服务局\n责任单位：市财政局、市教育局\n"
        "完成时限：2025年6月底前\n"
        "2.开展营商环境评价。\n牵头领导：李华、张明\n责任单位：市发展改革委\n完成时限：长期坚持\n"
    )
    first, second = load(write_docx_prose(tmp_path / "plan.docx", text), DepartmentRegistry(())).matrix.measures
    assert (first.text, first.leads, first.departments) == (
        "深化“放管服”改革。",
        ("市行政审批服务局",),
        ("市行政审批服务局", "市财政局", "市教育局"),
    )
    assert (first.leaders, first.deadline_text, first.end_date) == (("张明",), "2025年6月底前", dt.date(2025, 6, 30))
    assert (second.leaders, second.deadline_text, second.end_date) == (("李华", "张明"), "长期坚持", None)
    assert second.leads == ("市发展改革委",)


def test_a_pdf_table_over_pages_repeats_its_header_and_carries_its_section(tmp_path: Path) -> None:
    rows = [
        Row(f"做好第{n}项工作，确保按期完成各项任务目标。", "市财政局", "市教育局", "", "长期坚持") for n in range(60)
    ]
    grid = plan_grid([("一、稳定就业", rows[:40]), ("二、保障措施", rows[40:])], merge_leads=False)
    path = write_pdf_table(tmp_path / "plan.pdf", grid)
    blocks = read_document(path)
    assert sum(1 for b in blocks if not hasattr(b, "text")) >= 2  # a table on each page, each with its header
    measures = import_document(blocks).matrix.measures
    assert [m.number for m in measures] == list(range(1, 61))
    assert [m.section for m in measures] == [1] * 40 + [2] * 20
    assert measures[59].text == "做好第59项工作，确保按期完成各项任务目标。"


@pytest.mark.parametrize("suffix", [".xls", ".et"])
def test_old_spreadsheet_formats_are_refused_with_what_to_do(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"plan{suffix}"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(ValueError, match=r"另存为\.xlsx"):
        read_document(path)


def test_a_damaged_word_file(tmp_path: Path) -> None:
    path = tmp_path / "plan.docx"
    path.write_bytes(b"not a zip")
    with pytest.raises(ValueError, match="无法读取 Word 文件"):
        read_document(path)
