"""The matrix as a spreadsheet an office would use: a measure per row, a department per column."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from supervisor_bot.core.matrix import Matrix, Role
from supervisor_bot.core.plan_measures import ImportProblem
from supervisor_bot.exports.sheet_text import display_width, lines_needed, write_text, xml_text

_BORDER = {"border": 1, "border_color": "#999999"}
_WRAP_TOP = {**_BORDER, "text_wrap": True, "valign": "top"}
_CENTRE = {**_BORDER, "align": "center", "valign": "vcenter", "text_wrap": True}
_HEADER = {**_CENTRE, "bold": True, "bg_color": "#DDE4EE"}
_LEAD = {**_CENTRE, "bg_color": "#F8CBAD"}
_CO = {**_CENTRE, "bg_color": "#DDEBF7"}
_DEPARTMENT_COLUMN_WIDTH = 9  # about four Chinese characters a line
_TEXT_COLUMN_WIDTH = 60


class _Formats:
    def __init__(self, workbook: Workbook) -> None:
        self.header, self.wrap_top, self.centre = (workbook.add_format(f) for f in (_HEADER, _WRAP_TOP, _CENTRE))
        self.roles: dict[Role, Format] = {Role.LEAD: workbook.add_format(_LEAD), Role.CO: workbook.add_format(_CO)}


def _cell(sheet: Worksheet, row: int, column: int, value: str | int, cell_format: Format) -> None:
    if isinstance(value, int):
        sheet.write_number(row, column, value, cell_format)
    else:
        write_text(sheet, row, column, value, cell_format)


def _header(sheet: Worksheet, titles: list[str], formats: _Formats) -> None:
    for column, title in enumerate(titles):
        write_text(sheet, 0, column, title, formats.header)


def _notes(matrix: Matrix, problems: Iterable[ImportProblem]) -> dict[int, str]:
    """Each measure's warnings (a gap before it, a unit not in the registry), for its 提示 cell."""
    out: dict[int, list[str]] = {}
    by_line = {m.line: m.number for m in matrix.measures}
    for problem in problems:
        number = problem.measure if problem.measure is not None else by_line.get(problem.line)
        if number is not None:
            out.setdefault(number, []).append(problem.message)
    return {number: "；".join(dict.fromkeys(found)) for number, found in out.items()}


def _matrix_sheet(sheet: Worksheet, matrix: Matrix, formats: _Formats, notes: dict[int, str]) -> None:
    fixed = ["序号", "部分", "措施内容", "牵头单位", "完成时限", "量化指标", "提示"]
    names = [d.name for d in matrix.departments]
    _header(sheet, fixed + names, formats)
    widths = [6, 16, _TEXT_COLUMN_WIDTH, 18, 16, 14, 24] + [_DEPARTMENT_COLUMN_WIDTH] * len(names)
    for column, width in enumerate(widths):
        sheet.set_column(column, column, width)
    sheet.set_row(0, 15 * max(lines_needed(n, _DEPARTMENT_COLUMN_WIDTH) for n in [*names, "序号"]))
    for row, measure in enumerate(matrix.measures, start=1):
        section = matrix.section(measure.section)
        dates = measure.deadline_text or "；".join(  # the plan's own words where it has a 完成时限
            f"{d.meaning.label}{d.date.isoformat()}" for d in measure.shown_dates if d.meaning.is_end
        )
        text = f"{measure.title}。{measure.text}" if measure.title else measure.text
        values: list[str | int] = [
            measure.number,
            f"{section.label}、{section.title}" if section else "",
            text,
            "、".join(measure.leads),
            dates,
            "、".join(measure.targets),
            notes.get(measure.number, ""),
        ]
        sheet.set_row(row, 15 * lines_needed(text, _TEXT_COLUMN_WIDTH))
        for column, value in enumerate(values):
            _cell(sheet, row, column, value, formats.centre if column == 0 else formats.wrap_top)
        for column, name in enumerate(names, start=len(fixed)):
            role = measure.role_of(name)
            if role is None:
                sheet.write_blank(row, column, None, formats.centre)
            else:
                write_text(sheet, row, column, role.label, formats.roles[role])
    sheet.freeze_panes(1, 3)
    sheet.autofilter(0, 0, len(matrix.measures), len(widths) - 1)


def _departments_sheet(sheet: Worksheet, matrix: Matrix, formats: _Formats) -> None:
    titles = ["责任单位", "别名", "成员单位", "牵头措施数", "配合措施数", "牵头措施", "配合措施", "名录登记"]
    _header(sheet, titles, formats)
    rows: list[list[str | int]] = []
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
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values):
            _cell(sheet, r, c, value, formats.centre if isinstance(value, int) else formats.wrap_top)
    for c, title in enumerate(titles):
        longest = max([display_width(title)] + [display_width(str(row[c])) for row in rows])
        sheet.set_column(c, c, min(40, longest + 2))
    sheet.freeze_panes(1, 1)


def write_matrix_xlsx(matrix: Matrix, path: Path, problems: Iterable[ImportProblem] = ()) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with Workbook(str(path), {"in_memory": True}) as workbook:
        title = matrix.document.plan_title or matrix.document.title or "分工方案"
        workbook.set_properties({"title": xml_text(title), "author": "督办机器人"})
        formats = _Formats(workbook)
        _matrix_sheet(workbook.add_worksheet("分工矩阵"), matrix, formats, _notes(matrix, problems))
        _departments_sheet(workbook.add_worksheet("责任单位"), matrix, formats)
