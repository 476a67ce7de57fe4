"""The 考核 sheet: each scored unit's score and figures, then every deduction with the event it comes from."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from supervisor_bot.core.scoring import Scorecard
from supervisor_bot.exports.sheet_text import write_text
from supervisor_bot.views import fmt
from supervisor_bot.views.scoring import period_name

SCORE_SHEET = "考核"
SCORE_HEADERS = (
    "排名",
    "责任单位",
    "得分",
    "牵头应报",
    "牵头按时",
    "牵头按时报送率",
    "配合应报",
    "配合按时",
    "配合按时报送率",
    "完成事项",
    "逾期事项",
    "约谈次数",
)
DETAIL_HEADERS = ("责任单位", "时间", "考核规则", "措施", "轮次", "说明", "分值")
_WIDTHS = (6, 24, 8, 9, 9, 14, 9, 9, 14, 9, 9, 9)


def _row(sheet: Worksheet, row: int, values: Sequence[str | float | None], style: Format, percent: Format) -> None:
    for column, value in enumerate(values):
        if isinstance(value, str):
            write_text(sheet, row, column, value, style)
        elif value is None:
            write_text(sheet, row, column, "—", style)
        else:
            sheet.write_number(row, column, value, percent if SCORE_HEADERS[column].endswith("率") else style)


def score_sheet(workbook: Workbook, card: Scorecard, tz: str) -> None:
    """Add the sheet 考核 to `workbook`."""
    sheet = workbook.add_worksheet(SCORE_SHEET)
    bold = workbook.add_format({"bold": True})
    header = workbook.add_format({"bold": True, "border": 1, "bg_color": "#DDE4EE", "align": "center"})
    cell = workbook.add_format({"border": 1, "border_color": "#999999"})
    percent = workbook.add_format({"border": 1, "border_color": "#999999", "num_format": "0%"})
    span = f"{fmt.full_day(card.period.start)}至{fmt.full_day(card.period.end)}"
    write_text(sheet, 0, 0, f"考核得分 {period_name(card.period)}（{span}，截至{fmt.short(card.at, tz)}）", bold)
    rules = card.rules
    write_text(
        sheet,
        1,
        0,
        f"规则：基础分{rules.start:g}；逾期事项牵头扣{rules.overdue_lead:g}、配合扣{rules.overdue_co:g}；"
        f"迟报扣{rules.late_report:g}；未报送扣{rules.missing_report:g}；约谈扣{rules.interview:g}；"
        f"退回扣{rules.returned:g}；提前完成加{rules.early_done:g}（每期至多加{rules.credit_cap:g}）",
    )
    for column, title in enumerate(SCORE_HEADERS):
        write_text(sheet, 3, column, title, header)
        sheet.set_column(column, column, _WIDTHS[column])
    for i, s in enumerate(card.scores, start=1):
        values: list[str | float | None] = [str(i), s.unit, s.score, s.lead_due, s.lead_on_time, s.lead_rate]
        values += [s.co_due, s.co_on_time, s.co_rate, s.completed, s.overdue, s.interviews]
        _row(sheet, 3 + i, values, cell, percent)
    top = 3 + len(card.scores) + 2
    write_text(sheet, top, 0, "扣分与加分明细（每一项对应一件事）", bold)
    for column, title in enumerate(DETAIL_HEADERS):
        write_text(sheet, top + 1, column, title, header)
    row = top + 2
    for s in card.scores:
        for d in s.deductions:
            e = d.event
            write_text(sheet, row, 0, s.unit, cell)
            write_text(sheet, row, 1, fmt.short(e.at, tz), cell)
            write_text(sheet, row, 2, e.rule.label, cell)
            label = card.label(e.measure, e.plan) if e.measure is not None else ""
            write_text(sheet, row, 3, f"{e.plan} {label}".strip(), cell)
            write_text(sheet, row, 4, fmt.round_name(e.round_id) if e.round_id else "", cell)
            write_text(sheet, row, 5, e.detail, cell)
            sheet.write_number(row, 6, d.points, cell)
            row += 1
    sheet.freeze_panes(4, 2)


def write_scores(card: Scorecard, path: Path, tz: str) -> None:
    """A workbook of its own holding the sheet 考核 (`main.py score --xlsx OUT`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with Workbook(str(path), {"in_memory": True}) as workbook:
        workbook.set_properties({"title": f"考核得分 {period_name(card.period)}", "author": "督办机器人"})
        score_sheet(workbook, card, tz)
