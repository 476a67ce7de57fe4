"""The matrix as a spreadsheet an office would use: a measure per row, a department per column."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from supervisor_bot.core.matrix import Matrix, Role
from supervisor_bot.exports.xlsx import display_width

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
_LEAD_FILL = PatternFill("solid", fgColor="F8CBAD")
_CO_FILL = PatternFill("solid", fgColor="DDEBF7")
_HEADER_FONT = Font(bold=True)
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
_DEPARTMENT_COLUMN_WIDTH = 9  # about four Chinese characters a line
_TEXT_COLUMN_WIDTH = 60


def _lines_needed(text: str, width: int) -> int:
    return max(1, -(-display_width(text) // max(1, width - 1)))


def _header(sheet: Worksheet, titles: list[str]) -> None:
    for column, title in enumerate(titles, start=1):
        cell = sheet.cell(row=1, column=column, value=title)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = _CENTRE
        cell.border = _BORDER


def _matrix_sheet(sheet: Worksheet, matrix: Matrix) -> None:
    sheet.title = "分工矩阵"
    fixed = ["序号", "部分", "措施内容", "牵头单位", "完成时限", "量化指标"]
    names = [d.name for d in matrix.departments]
    _header(sheet, fixed + names)
    widths = [6, 16, _TEXT_COLUMN_WIDTH, 18, 16, 14] + [_DEPARTMENT_COLUMN_WIDTH] * len(names)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.row_dimensions[1].height = 15 * max(_lines_needed(n, _DEPARTMENT_COLUMN_WIDTH) for n in [*names, "序号"])
    for row, measure in enumerate(matrix.measures, start=2):
        section = matrix.section(measure.section)
        dates = "；".join(f"{d.meaning.label}{d.date.isoformat()}" for d in measure.dates if d.meaning.is_end)
        text = f"{measure.title}。{measure.text}" if measure.title else measure.text
        values: list[str | int] = [
            measure.number,
            f"{section.label}、{section.title}" if section else "",
            text,
            "、".join(measure.leads),
            dates,
            "、".join(measure.targets),
        ]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column, value=value)
            cell.alignment = _CENTRE if column == 1 else _WRAP_TOP
            cell.border = _BORDER
        for offset, name in enumerate(names, start=len(fixed) + 1):
            role = measure.role_of(name)
            cell = sheet.cell(row=row, column=offset, value=role.label if role else None)
            cell.alignment = _CENTRE
            cell.border = _BORDER
            if role is not None:
                cell.fill = _LEAD_FILL if role is Role.LEAD else _CO_FILL
        sheet.row_dimensions[row].height = 15 * _lines_needed(text, _TEXT_COLUMN_WIDTH)
    sheet.freeze_panes = "D2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(widths))}{len(matrix.measures) + 1}"


def _departments_sheet(sheet: Worksheet, matrix: Matrix) -> None:
    titles = ["责任单位", "别名", "成员单位", "牵头措施数", "配合措施数", "牵头措施", "配合措施", "名录登记"]
    _header(sheet, titles)
    rows = []
    for d in matrix.departments:
        leads = [m.number for m in matrix.measures_of(d.name, Role.LEAD)]
        cos = [m.number for m in matrix.measures_of(d.name, Role.CO)]
        rows.append(
            [
                d.name,
                "、".join(d.aliases),
                "、".join(d.members),
                len(leads),
                len(cos),
                "、".join(map(str, leads)),
                "、".join(map(str, cos)),
                "是" if d.registered else "否",
            ]
        )
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            cell.alignment = _CENTRE if isinstance(value, int) else _WRAP_TOP
            cell.border = _BORDER
    for c, title in enumerate(titles, start=1):
        longest = max([display_width(title)] + [display_width(str(row[c - 1])) for row in rows])
        sheet.column_dimensions[get_column_letter(c)].width = min(40, longest + 2)
    sheet.freeze_panes = "B2"


def write_matrix_xlsx(matrix: Matrix, path: Path) -> None:
    workbook = Workbook()
    _matrix_sheet(workbook.active, matrix)
    _departments_sheet(workbook.create_sheet("责任单位"), matrix)
    workbook.properties.title = matrix.document.plan_title or matrix.document.title or "分工方案"
    workbook.properties.creator = "督办机器人"
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
