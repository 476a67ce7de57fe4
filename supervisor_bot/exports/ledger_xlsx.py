"""The 督办台账 as a spreadsheet an office would use: an item (measure × unit) per row, and a summary sheet."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pendulum
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from supervisor_bot.core.ledger import PROGRESS_ORDER, Digest, LedgerRow, Level, Light, Progress
from supervisor_bot.exports.matrix_xlsx import display_width

TIMEZONE = "Asia/Shanghai"
LEDGER_SHEET = "督办台账"
SUMMARY_SHEET = "汇总"
LEDGER_HEADERS = (
    "序号",
    "措施",
    "部分",
    "措施内容",
    "责任单位",
    "角色",
    "状态",
    "最近说明",
    "最近报送时间",
    "完成时限",
    "灯号",
    "督办等级",
    "原因",
)
CHANGE_ROW = "较上周"
LIGHT_FILLS: dict[Light, str] = {Light.RED: "FFC7CE", Light.YELLOW: "FFEB9C", Light.GREEN: "C6EFCE"}
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"
CHANGE_FORMAT = "+0;-0;0"

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
_TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
_HEADER_FONT = Font(bold=True)
_TITLE_FONT = Font(bold=True, size=14)
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
_TEXT_WIDTH = 50  # 措施内容: about 24 Chinese characters a line
_NOTE_WIDTH = 36  # 最近说明
_WRAPPED = {"措施内容": _TEXT_WIDTH, "最近说明": _NOTE_WIDTH}
_CENTRED = {"序号", "措施", "部分", "角色", "最近报送时间", "完成时限", "灯号", "督办等级"}
_MAX_WIDTH = 30
_LINE_HEIGHT = 15


def _lines(text: str, width: int) -> int:
    return max(1, -(-display_width(text) // max(1, width - 1)))


def _fit(values: Sequence[str], minimum: int = 6) -> int:
    """A column width that shows the longest value (two columns a Chinese character), within bounds."""
    return min(_MAX_WIDTH, max(minimum, *(display_width(v) + 2 for v in values)))


def _header(sheet: Worksheet, row: int, titles: Sequence[str]) -> None:
    for column, title in enumerate(titles, start=1):
        cell = sheet.cell(row=row, column=column, value=title)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = _CENTRE
        cell.border = _BORDER


def local_time(moment: dt.datetime) -> dt.datetime:
    """A moment as a naive Asia/Shanghai wall time to the minute (Excel cells carry no zone)."""
    local = pendulum.instance(moment).in_timezone(TIMEZONE)
    return dt.datetime(local.year, local.month, local.day, local.hour, local.minute)


def _ledger_values(row: LedgerRow, number: int, section_labels: dict[int, str]) -> list[object]:
    return [
        number,
        row.measure,
        section_labels.get(row.section, str(row.section)),
        row.measure_text,
        row.respondent,
        row.role.label,
        row.status,
        row.note,
        local_time(row.reported_at) if row.reported_at is not None else None,
        row.deadline,
        row.light.label,
        row.level.label,
        row.reason,
    ]


def _ledger_sheet(sheet: Worksheet, digest: Digest) -> None:
    sheet.title = LEDGER_SHEET
    _header(sheet, 1, LEDGER_HEADERS)
    section_labels = {s.number: s.label for s in digest.sections}
    column_of = {title: column for column, title in enumerate(LEDGER_HEADERS, start=1)}
    for r, item in enumerate(digest.ledger, start=2):
        values = _ledger_values(item, r - 1, section_labels)
        for title, value in zip(LEDGER_HEADERS, values, strict=True):
            cell = sheet.cell(row=r, column=column_of[title], value=value)
            cell.alignment = _CENTRE if title in _CENTRED else _WRAP_TOP
            cell.border = _BORDER
        sheet.cell(row=r, column=column_of["最近报送时间"]).number_format = DATETIME_FORMAT
        sheet.cell(row=r, column=column_of["完成时限"]).number_format = DATE_FORMAT
        light = sheet.cell(row=r, column=column_of["灯号"])
        light.fill = PatternFill("solid", fgColor=LIGHT_FILLS[item.light])
        lines = max(_lines(item.measure_text, _TEXT_WIDTH), _lines(item.note, _NOTE_WIDTH))
        sheet.row_dimensions[r].height = _LINE_HEIGHT * lines
    for title, column in column_of.items():
        if title in _WRAPPED:
            width = _WRAPPED[title]
        elif title == "最近报送时间":
            width = 18
        elif title == "完成时限":
            width = 12
        else:
            cells = sheet.iter_rows(min_row=2, min_col=column, max_col=column, values_only=True)
            width = _fit([title, *(str(c[0]) for c in cells if c[0] is not None)])
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = f"{get_column_letter(column_of['责任单位'] + 1)}2"  # the header and 序号…责任单位 stay put
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(LEDGER_HEADERS))}{len(digest.ledger) + 1}"


def _table(sheet: Worksheet, top: int, caption: str, titles: Sequence[str], rows: Sequence[Sequence[object]]) -> int:
    """A captioned, bordered table from row `top`; returns the first row after it."""
    sheet.cell(row=top, column=1, value=caption).font = _HEADER_FONT
    _header(sheet, top + 1, titles)
    for r, values in enumerate(rows, start=top + 2):
        for c, value in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            cell.alignment = _WRAP_TOP if c == 1 else _CENTRE
            cell.border = _BORDER
    return top + 2 + len(rows)


def _emphasise(sheet: Worksheet, row: int, columns: int) -> None:
    for c in range(1, columns + 1):
        cell = sheet.cell(row=row, column=c)
        cell.font = _HEADER_FONT
        cell.fill = _TOTAL_FILL


def _counts(counts: dict[Progress, int]) -> list[int]:
    values = [counts.get(p, 0) for p in PROGRESS_ORDER]
    return [*values, sum(values)]


def _summary_sheet(sheet: Worksheet, digest: Digest) -> None:
    sheet.cell(row=1, column=1, value=digest.title).font = _TITLE_FONT
    period = f"统计周期：{digest.period_start.isoformat()} 至 {digest.period_end.isoformat()}"
    sheet.cell(row=2, column=1, value=period)
    sheet.cell(row=3, column=1, value=f"生成时间：{local_time(digest.generated_at):%Y-%m-%d %H:%M}")

    titles = ["部分", *(p.label for p in PROGRESS_ORDER), "合计"]
    rows: list[list[object]] = [[f"{s.label}、{s.title}", *_counts(s.counts)] for s in digest.sections]
    rows.append(["合计", *_counts(digest.totals)])
    if digest.previous_totals is not None:
        now, before = _counts(digest.totals), _counts(digest.previous_totals)
        rows.append([CHANGE_ROW, *(a - b for a, b in zip(now, before, strict=True))])
    top = 5
    after = _table(sheet, top, "各部分进展（按措施计）", titles, rows)
    total_row = top + 2 + len(digest.sections)
    _emphasise(sheet, total_row, len(titles))
    if digest.previous_totals is not None:
        for c in range(2, len(titles) + 1):
            sheet.cell(row=total_row + 1, column=c).number_format = CHANGE_FORMAT

    lights = Counter(item.light for item in digest.ledger)
    light_rows: list[list[object]] = [[light.label, lights[light]] for light in (Light.RED, Light.YELLOW, Light.GREEN)]
    light_rows.append(["合计", len(digest.ledger)])
    after = _table(sheet, after + 1, "红黄绿灯（按事项计：措施×责任单位）", ["灯号", "事项数"], light_rows)
    _emphasise(sheet, after - 1, 2)
    for r, light in enumerate((Light.RED, Light.YELLOW, Light.GREEN), start=after - 4):
        sheet.cell(row=r, column=1).fill = PatternFill("solid", fgColor=LIGHT_FILLS[light])

    levels = Counter(item.level for item in digest.ledger)
    level_rows: list[list[object]] = [
        [level.label if level is not Level.NONE else "未升级", levels[level]] for level in sorted(Level, reverse=True)
    ]
    level_rows.append(["合计", len(digest.ledger)])
    after = _table(sheet, after + 1, "督办等级（按事项计）", ["督办等级", "事项数"], level_rows)
    _emphasise(sheet, after - 1, 2)

    first = [titles[0], *(str(r[0]) for r in rows)]  # the captions and the title may run on into empty cells
    sheet.column_dimensions["A"].width = min(40, max(12, *(display_width(v) + 2 for v in first)))
    for c in range(2, len(titles) + 1):
        sheet.column_dimensions[get_column_letter(c)].width = 10


def write_ledger(digest: Digest, path: Path) -> None:
    """Write the 督办台账 (sheet 督办台账) and its summary (sheet 汇总) as an .xlsx workbook."""
    workbook = Workbook()
    _ledger_sheet(workbook.active, digest)
    _summary_sheet(workbook.create_sheet(SUMMARY_SHEET), digest)
    workbook.properties.title = digest.title
    workbook.properties.creator = "督办机器人"
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
