"""The 督办台账 as a spreadsheet an office would use: an item (measure × unit) per row, and a summary sheet."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from supervisor_bot.core.ledger import PROGRESS_ORDER, Digest, LedgerRow, Level, Light, Progress
from supervisor_bot.exports.score_xlsx import score_sheet
from supervisor_bot.exports.sheet_text import display_width, lines_needed, write_text, xml_text

TIMEZONE = "Asia/Shanghai"
LEDGER_SHEET = "督办台账"
SUMMARY_SHEET = "汇总"
LEDGER_HEADERS = (
    "序号",
    "措施",
    "部分",
    "措施内容",
    "责任单位",
    "责任领导",
    "角色",
    "状态",
    "最近说明",
    "最近报送时间",
    "完成时限",
    "报送截止",
    "灯号",
    "督办等级",
    "原因",
    "本期新报送",
    "佐证材料",
)
CO_HEADER = "配合单位（向牵头单位报送）"  # a last column when only leads are asked (`[rounds] ask = "leads"`)
NEW_MARK = "新"  # 本期新报送: reported (or corrected) since the last digest
LIGHT_FILLS: dict[Light, str] = {Light.RED: "#FFC7CE", Light.YELLOW: "#FFEB9C", Light.GREEN: "#C6EFCE"}
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
CHANGE_FORMAT = "+0;-0;0"

Value = str | int | dt.datetime | dt.date | None
Style = Mapping[str, Any]  # XlsxWriter format properties

_ZONE = ZoneInfo(TIMEZONE)
_CAPTION: Style = {"bold": True}
_TITLE: Style = {"bold": True, "font_size": 14}
_BORDER: Style = {"border": 1, "border_color": "#999999"}
_WRAP_TOP: Style = {**_BORDER, "valign": "top", "text_wrap": True}
_CENTRE: Style = {**_BORDER, "align": "center", "valign": "vcenter", "text_wrap": True}
_HEADER: Style = {**_CENTRE, "bold": True, "bg_color": "#DDE4EE"}
_TOTAL: Style = {"bold": True, "bg_color": "#F2F2F2"}
_TEXT_WIDTH = 50  # 措施内容: about 24 Chinese characters a line
_NOTE_WIDTH = 36  # 最近说明
_WRAPPED = {"措施内容": _TEXT_WIDTH, "最近说明": _NOTE_WIDTH, "佐证材料": _NOTE_WIDTH}
_CENTRED = {"序号", "措施", "部分", "角色", "最近报送时间", "完成时限", "报送截止", "灯号", "督办等级", "本期新报送"}
_FORMATS = {"最近报送时间": DATETIME_FORMAT, "完成时限": DATE_FORMAT, "报送截止": DATE_FORMAT}
_FIXED_WIDTHS = {"最近报送时间": 18, "完成时限": 16, "报送截止": 16}
_MAX_WIDTH = 30
_LINE_HEIGHT = 15


class _Formats:
    """Each distinct style as one XlsxWriter format."""

    def __init__(self, workbook: Workbook) -> None:
        self._workbook = workbook
        self._made: dict[frozenset[tuple[str, Any]], Format] = {}

    def __call__(self, style: Style) -> Format:
        key = frozenset(style.items())
        found = self._made.get(key)
        if found is None:
            found = self._made[key] = self._workbook.add_format(dict(style))
        return found


def _write(sheet: Worksheet, row: int, column: int, value: Value, cell_format: Format | None = None) -> None:
    """A cell by its value's type (never `write()`, which would take a text starting with "=" for a formula)."""
    if isinstance(value, str):
        write_text(sheet, row, column, value, cell_format)
    elif value is None:
        sheet.write_blank(row, column, None, cell_format)
    elif isinstance(value, int):
        sheet.write_number(row, column, value, cell_format)
    elif isinstance(value, dt.datetime):
        sheet.write_datetime(row, column, value, cell_format)
    else:  # a date: midnight, shown as a date by its format
        sheet.write_datetime(row, column, dt.datetime.combine(value, dt.time(), tzinfo=_ZONE), cell_format)


def _fit(values: Sequence[str], minimum: int = 6) -> int:
    """A column width that shows the longest value (two columns a Chinese character), within bounds."""
    return min(_MAX_WIDTH, max(minimum, *(display_width(v) + 2 for v in values)))


def _header(sheet: Worksheet, row: int, titles: Sequence[str], header: Format) -> None:
    for column, title in enumerate(titles):
        write_text(sheet, row, column, title, header)


def local_time(moment: dt.datetime) -> dt.datetime:
    """A moment as Asia/Shanghai time to the minute; naive is UTC. Cells keep the wall time only (remove_timezone)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(_ZONE).replace(second=0, microsecond=0)


def _ledger_values(row: LedgerRow, number: int, section_labels: dict[int, str]) -> list[Value]:
    return [
        number,
        int(row.shown) if row.shown.isdecimal() else row.shown,
        section_labels.get(row.section, str(row.section)),
        row.measure_text,
        row.respondent,
        "、".join(row.leaders),
        row.role.label,
        row.status,
        row.note,
        local_time(row.reported_at) if row.reported_at is not None else None,
        row.deadline_text or row.end_date,  # the measure's own time limit, as the plan writes it
        row.report_due,
        row.light.label,
        row.level.label,
        row.reason,
        NEW_MARK if row.new else "",
        "、".join(row.evidence),
    ]


def _ledger_sheet(sheet: Worksheet, formats: _Formats, digest: Digest) -> None:
    section_labels = {s.number: s.label for s in digest.sections}
    cooperating = any(row.cooperating for row in digest.ledger)
    headers = (*LEDGER_HEADERS, CO_HEADER) if cooperating else LEDGER_HEADERS
    column_of = {title: column for column, title in enumerate(headers)}
    styles = [
        formats({**(_CENTRE if title in _CENTRED else _WRAP_TOP), **_number_format(_FORMATS.get(title))})
        for title in headers
    ]
    light_column = column_of["灯号"]
    lights = {light: formats({**_CENTRE, "bg_color": colour}) for light, colour in LIGHT_FILLS.items()}
    _header(sheet, 0, headers, formats(_HEADER))
    fixed = {column_of[title]: width for title, width in (_WRAPPED | _FIXED_WIDTHS).items()}
    shown: dict[int, set[str]] = {c: set() for c in column_of.values() if c not in fixed}  # to fit the rest to
    lines: dict[str, int] = {}  # a measure's text takes as many lines in each of its units' rows
    for r, item in enumerate(digest.ledger, start=1):
        if item.measure_text not in lines:
            lines[item.measure_text] = lines_needed(item.measure_text, _TEXT_WIDTH)
        sheet.set_row(r, _LINE_HEIGHT * max(lines[item.measure_text], lines_needed(item.note, _NOTE_WIDTH)))
        values = _ledger_values(item, r, section_labels) + (["、".join(item.cooperating)] if cooperating else [])
        for column, value in enumerate(values):
            _write(sheet, r, column, value, lights[item.light] if column == light_column else styles[column])
        for column, seen in shown.items():
            if values[column] is not None:
                seen.add(str(values[column]))
    for title, column in column_of.items():
        sheet.set_column(column, column, fixed[column] if column in fixed else _fit([title, *shown[column]]))
    sheet.freeze_panes(1, column_of["责任单位"] + 1)  # the header and 序号…责任单位 stay put
    sheet.autofilter(0, 0, len(digest.ledger), len(headers) - 1)


def _number_format(number_format: str | None) -> Style:
    return {"num_format": number_format} if number_format else {}


def _table(
    sheet: Worksheet,
    formats: _Formats,
    top: int,
    caption: str,
    titles: Sequence[str],
    rows: Sequence[Sequence[Value]],
    restyled: Mapping[tuple[int, int], Style],
) -> int:
    """A captioned, bordered table from row `top`; a cell (row of `rows`, column) may add to its style in
    `restyled`. Returns the first row after the table."""
    write_text(sheet, top, 0, caption, formats(_CAPTION))
    _header(sheet, top + 1, titles, formats(_HEADER))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            style = _WRAP_TOP if c == 0 else _CENTRE
            _write(sheet, top + 2 + r, c, value, formats({**style, **restyled.get((r, c), {})}))
    return top + 2 + len(rows)


def _emphasised(row: int, columns: int) -> dict[tuple[int, int], Style]:
    return {(row, c): _TOTAL for c in range(columns)}


def _counts(counts: dict[Progress, int]) -> list[int]:
    values = [counts.get(p, 0) for p in PROGRESS_ORDER]
    return [*values, sum(values)]


def new_reports_caption(digest: Digest) -> str:
    """How many reports are new since the last digest, and since when."""
    count = sum(1 for row in digest.ledger if row.new)
    since = (
        f"上期{digest.kind[2:]}（{local_time(digest.new_since):%Y-%m-%d %H:%M}）以来" if digest.new_since else "本轮"
    )
    return f"本期新报送：{count}项（{since}；督办台账“本期新报送”列标“{NEW_MARK}”）"


def _summary_sheet(sheet: Worksheet, formats: _Formats, digest: Digest) -> None:
    write_text(sheet, 0, 0, digest.title, formats(_TITLE))
    write_text(sheet, 1, 0, f"统计周期：{digest.period_start.isoformat()} 至 {digest.period_end.isoformat()}")
    write_text(sheet, 2, 0, f"生成时间：{local_time(digest.generated_at):%Y-%m-%d %H:%M}")
    # the units not yet bound are listed apart: no rows in the ledger, not in the figures
    apart = f"；尚未绑定工作群的单位（未绑定，不计入）：{'、'.join(digest.unbound)}" if digest.unbound else ""
    if digest.lead_unbound:
        apart += f"；牵头单位尚未绑定的措施（不计入）：{'、'.join(digest.lead_unbound)}"
    write_text(sheet, 3, 0, new_reports_caption(digest) + apart)

    titles = ["部分", *(p.label for p in PROGRESS_ORDER), "合计"]
    rows: list[list[Value]] = [[f"{s.label}、{s.title}", *_counts(s.counts)] for s in digest.sections]
    rows.append(["合计", *_counts(digest.totals)])
    restyled = _emphasised(len(digest.sections), len(titles))
    if digest.previous_totals is not None:
        now, before = _counts(digest.totals), _counts(digest.previous_totals)
        rows.append([f"较上{digest.period_word}", *(a - b for a, b in zip(now, before, strict=True))])
        restyled |= {(len(rows) - 1, c): {"num_format": CHANGE_FORMAT} for c in range(1, len(titles))}
    after = _table(sheet, formats, 4, "各部分进展（按措施计）", titles, rows, restyled)

    lights = Counter(item.light for item in digest.ledger)
    shown = (Light.RED, Light.YELLOW, Light.GREEN)
    light_rows: list[list[Value]] = [[light.label, lights[light]] for light in shown]
    light_rows.append(["合计", len(digest.ledger)])
    tinted = {(r, 0): {"bg_color": LIGHT_FILLS[light]} for r, light in enumerate(shown)}
    caption = "红黄绿灯（按事项计：措施×责任单位）"
    after = _table(sheet, formats, after + 1, caption, ["灯号", "事项数"], light_rows, tinted | _emphasised(3, 2))

    levels = Counter(item.level for item in digest.ledger)
    level_rows: list[list[Value]] = [
        [level.label if level is not Level.NONE else "未升级", levels[level]] for level in sorted(Level, reverse=True)
    ]
    level_rows.append(["合计", len(digest.ledger)])
    total = _emphasised(len(level_rows) - 1, 2)
    _table(sheet, formats, after + 1, "督办等级（按事项计）", ["督办等级", "事项数"], level_rows, total)

    first = [titles[0], *(str(r[0]) for r in rows)]  # the captions and the title may run on into empty cells
    sheet.set_column(0, 0, min(40, max(12, *(display_width(v) + 2 for v in first))))
    sheet.set_column(1, len(titles) - 1, 10)


def write_ledger(digest: Digest, path: Path) -> None:
    """Write the 督办台账 (sheet 督办台账), its summary (sheet 汇总) and the 考核 sheet as an .xlsx workbook."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with Workbook(str(path), {"in_memory": True, "remove_timezone": True}) as workbook:  # Excel cells carry no zone
        workbook.set_properties({"title": xml_text(digest.title), "author": "督办机器人"})
        formats = _Formats(workbook)
        _ledger_sheet(workbook.add_worksheet(LEDGER_SHEET), formats, digest)
        _summary_sheet(workbook.add_worksheet(SUMMARY_SHEET), formats, digest)
        if digest.scores is not None:
            score_sheet(workbook, digest.scores, TIMEZONE)
