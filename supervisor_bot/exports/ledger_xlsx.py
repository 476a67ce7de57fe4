"""The 督办台账 as a spreadsheet an office would use: an item (measure × unit) per row, and a summary sheet."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

from supervisor_bot.core.ledger import PROGRESS_ORDER, Digest, LedgerRow, Level, Light, Progress
from supervisor_bot.exports.xlsx import Sheet, Style, Value, Workbook, column_letter, display_width

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

_ZONE = ZoneInfo(TIMEZONE)
_HEADER_FILL = "DDE4EE"
_TOTAL_FILL = "F2F2F2"
_CAPTION = Style(bold=True)
_TITLE = Style(bold=True, size=14)
_WRAP_TOP = Style(border=True, vertical="top", wrap=True)
_CENTRE = Style(border=True, horizontal="center", vertical="center", wrap=True)
_HEADER = Style(bold=True, fill=_HEADER_FILL, border=True, horizontal="center", vertical="center", wrap=True)
_TEXT_WIDTH = 50  # 措施内容: about 24 Chinese characters a line
_NOTE_WIDTH = 36  # 最近说明
_WRAPPED = {"措施内容": _TEXT_WIDTH, "最近说明": _NOTE_WIDTH}
_CENTRED = {"序号", "措施", "部分", "角色", "最近报送时间", "完成时限", "灯号", "督办等级"}
_FORMATS = {"最近报送时间": DATETIME_FORMAT, "完成时限": DATE_FORMAT}
_FIXED_WIDTHS = {"最近报送时间": 18, "完成时限": 12}
_MAX_WIDTH = 30
_LINE_HEIGHT = 15


def _lines(text: str, width: int) -> int:
    return max(1, -(-display_width(text) // max(1, width - 1)))


def _fit(values: Sequence[str], minimum: int = 6) -> int:
    """A column width that shows the longest value (two columns a Chinese character), within bounds."""
    return min(_MAX_WIDTH, max(minimum, *(display_width(v) + 2 for v in values)))


def _header(sheet: Sheet, row: int, titles: Sequence[str]) -> None:
    for column, title in enumerate(titles, start=1):
        sheet.set(row, column, title, _HEADER)


def local_time(moment: dt.datetime) -> dt.datetime:
    """A moment as a naive Asia/Shanghai wall time to the minute (Excel cells carry no zone); naive is UTC."""
    local = (moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)).astimezone(_ZONE)
    return dt.datetime(local.year, local.month, local.day, local.hour, local.minute)


def _ledger_values(row: LedgerRow, number: int, section_labels: dict[int, str]) -> list[Value]:
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


def _ledger_sheet(sheet: Sheet, digest: Digest) -> None:
    section_labels = {s.number: s.label for s in digest.sections}
    column_of = {title: column for column, title in enumerate(LEDGER_HEADERS, start=1)}
    styles = [
        replace(_CENTRE if title in _CENTRED else _WRAP_TOP, number_format=_FORMATS.get(title, "General"))
        for title in LEDGER_HEADERS
    ]
    light_column = column_of["灯号"]
    lights = {light: replace(_CENTRE, fill=colour) for light, colour in LIGHT_FILLS.items()}
    _header(sheet, 1, LEDGER_HEADERS)
    shown: dict[int, set[str]] = {column: set() for column in column_of.values()}  # for the columns' widths
    lines: dict[str, int] = {}  # a measure's text takes as many lines in each of its units' rows
    for r, item in enumerate(digest.ledger, start=2):
        values = _ledger_values(item, r - 1, section_labels)
        for column, (style, value) in enumerate(zip(styles, values, strict=True), start=1):
            sheet.set(r, column, value, lights[item.light] if column == light_column else style)
            if value is not None:
                shown[column].add(str(value))
        if item.measure_text not in lines:
            lines[item.measure_text] = _lines(item.measure_text, _TEXT_WIDTH)
        sheet.heights[r] = _LINE_HEIGHT * max(lines[item.measure_text], _lines(item.note, _NOTE_WIDTH))
    for title, column in column_of.items():
        fixed = _WRAPPED.get(title) or _FIXED_WIDTHS.get(title)
        sheet.widths[column] = fixed or _fit([title, *shown[column]])
    sheet.freeze = f"{column_letter(column_of['责任单位'] + 1)}2"  # the header and 序号…责任单位 stay put
    sheet.auto_filter = f"A1:{column_letter(len(LEDGER_HEADERS))}{len(digest.ledger) + 1}"


def _table(sheet: Sheet, top: int, caption: str, titles: Sequence[str], rows: Sequence[Sequence[Value]]) -> int:
    """A captioned, bordered table from row `top`; returns the first row after it."""
    sheet.set(top, 1, caption, _CAPTION)
    _header(sheet, top + 1, titles)
    for r, values in enumerate(rows, start=top + 2):
        for c, value in enumerate(values, start=1):
            sheet.set(r, c, value, _WRAP_TOP if c == 1 else _CENTRE)
    return top + 2 + len(rows)


def _emphasise(sheet: Sheet, row: int, columns: int) -> None:
    for c in range(1, columns + 1):
        sheet.restyle(row, c, bold=True, fill=_TOTAL_FILL)


def _counts(counts: dict[Progress, int]) -> list[int]:
    values = [counts.get(p, 0) for p in PROGRESS_ORDER]
    return [*values, sum(values)]


def _summary_sheet(sheet: Sheet, digest: Digest) -> None:
    sheet.set(1, 1, digest.title, _TITLE)
    sheet.set(2, 1, f"统计周期：{digest.period_start.isoformat()} 至 {digest.period_end.isoformat()}")
    sheet.set(3, 1, f"生成时间：{local_time(digest.generated_at):%Y-%m-%d %H:%M}")

    titles = ["部分", *(p.label for p in PROGRESS_ORDER), "合计"]
    rows: list[list[Value]] = [[f"{s.label}、{s.title}", *_counts(s.counts)] for s in digest.sections]
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
            sheet.restyle(total_row + 1, c, number_format=CHANGE_FORMAT)

    lights = Counter(item.light for item in digest.ledger)
    light_rows: list[list[Value]] = [[light.label, lights[light]] for light in (Light.RED, Light.YELLOW, Light.GREEN)]
    light_rows.append(["合计", len(digest.ledger)])
    after = _table(sheet, after + 1, "红黄绿灯（按事项计：措施×责任单位）", ["灯号", "事项数"], light_rows)
    _emphasise(sheet, after - 1, 2)
    for r, light in enumerate((Light.RED, Light.YELLOW, Light.GREEN), start=after - 4):
        sheet.restyle(r, 1, fill=LIGHT_FILLS[light])

    levels = Counter(item.level for item in digest.ledger)
    level_rows: list[list[Value]] = [
        [level.label if level is not Level.NONE else "未升级", levels[level]] for level in sorted(Level, reverse=True)
    ]
    level_rows.append(["合计", len(digest.ledger)])
    after = _table(sheet, after + 1, "督办等级（按事项计）", ["督办等级", "事项数"], level_rows)
    _emphasise(sheet, after - 1, 2)

    first = [titles[0], *(str(r[0]) for r in rows)]  # the captions and the title may run on into empty cells
    sheet.widths[1] = min(40, max(12, *(display_width(v) + 2 for v in first)))
    for c in range(2, len(titles) + 1):
        sheet.widths[c] = 10


def write_ledger(digest: Digest, path: Path) -> None:
    """Write the 督办台账 (sheet 督办台账) and its summary (sheet 汇总) as an .xlsx workbook."""
    workbook = Workbook(title=digest.title, creator="督办机器人")
    _ledger_sheet(workbook.add_sheet(LEDGER_SHEET), digest)
    _summary_sheet(workbook.add_sheet(SUMMARY_SHEET), digest)
    workbook.save(path)
