"""A plan laid out as a table: columns found by their header words, section rows, merged and repeated cells.

Readers of .docx, .xlsx, .pdf and .html turn a file into blocks (paragraphs and tables of plain cell text, a
merged cell's text repeated in every position it covers); this module turns a table into rows of a plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from supervisor_bot.core.chinese_numerals import NUMERAL_CHARS


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[str, ...], ...]  # a merged cell's text in every grid position it covers
    name: str = "表格"  # how an error names it: 表格, 第3页表格, 工作表“任务分解”; "" for lines of a text file
    offset: int = 0  # the rows' first line in a text file


Block = Paragraph | Table


class Column(StrEnum):
    NUMBER = "number"
    GROUP = "group"  # 重点任务 merged down the rows, where a second column (具体措施) holds each measure
    TASK = "task"
    LEAD = "lead"
    UNITS = "units"  # 责任单位: leads if the table has no 牵头单位 column
    CO = "co"  # 配合单位 / 协办单位 / 参与单位
    LEADERS = "leaders"
    DEADLINE = "deadline"


# the order matters: 牵头领导 and 牵头市领导 are people (LEADERS) before 牵头 could be read as a unit's column
_HEADER_WORDS: tuple[tuple[Column, tuple[str, ...]], ...] = (
    (Column.NUMBER, ("序号", "编号")),
    (Column.LEADERS, ("领导", "责任人")),
    (Column.LEAD, ("牵头单位", "牵头部门", "主责单位", "主责部门", "责任主体", "牵头")),
    (Column.CO, ("配合单位", "协办单位", "参与单位", "配合部门", "协办部门", "协同单位", "协同部门")),
    (Column.UNITS, ("责任单位", "责任部门", "承办单位")),
    (Column.TASK, ("任务", "具体措施", "工作措施", "工作内容", "主要内容", "工作要点", "内容", "措施", "要点")),
    (Column.DEADLINE, ("完成时限", "时间节点", "完成时间", "时限", "期限", "进度安排")),
)
_SECTION = re.compile(rf"^(?:[{NUMERAL_CHARS}]+\s*[、.]|第[{NUMERAL_CHARS}]+部分)")


@dataclass(frozen=True)
class Header:
    row: int  # 0-based index of the header row
    columns: dict[int, Column]  # cell index → what the column holds
    titles: dict[int, str]  # cell index → the header as written, for errors
    first_row: int | None = None  # a header of two rows: the upper one (`责任单位` over 牵头单位 | 配合单位)

    def index(self, column: Column) -> int | None:
        return next((i for i, c in self.columns.items() if c is column), None)


@dataclass(frozen=True)
class PlanRow:
    """One measure as a table gives it: every cell as written (wrapped lines joined later by normalise)."""

    where: str  # 表格第5行
    row: int  # 1-based row of the table
    section: str | None  # the section row above it, as written: 一、优化营商环境
    cells: dict[Column, str]
    titles: dict[Column, str]  # the column headers as written

    def get(self, column: Column) -> str:
        return self.cells.get(column, "")

    def place(self, column: Column) -> str:
        return f"{self.where}“{self.titles.get(column, column.value)}”列"


def _compact(cell: str) -> str:
    return re.sub(r"\s+", "", cell)


def column_of(cell: str) -> Column | None:
    text = _compact(cell)
    if not text or len(text) > 12:
        return None
    for column, words in _HEADER_WORDS:
        if any(word in text for word in words):
            return column
    return None


def _columns(row: tuple[str, ...]) -> dict[int, Column]:
    columns: dict[int, Column] = {}
    for i, cell in enumerate(row):
        column = column_of(cell)
        if column is Column.TASK and Column.TASK in columns.values() and Column.GROUP not in columns.values():
            first = next(k for k, c in columns.items() if c is Column.TASK)  # 重点任务 | 具体措施: two levels
            columns[first] = Column.GROUP
        if column is not None and column not in columns.values():
            columns[i] = column
    return columns


def _is_header(columns: dict[int, Column]) -> bool:
    found = set(columns.values())
    return Column.TASK in found and bool(found & {Column.LEAD, Column.UNITS, Column.CO})


def _second_row(row: tuple[str, ...], columns: dict[int, Column]) -> dict[int, Column] | None:
    """`责任单位` merged over `牵头单位 | 配合单位` in the row below: a header of two rows, if every cell of that row
    is a header's word and it names a unit column; its columns replace the ones above them."""
    below = _columns(row)
    if not below or any(_compact(c) and column_of(c) is None for c in row):
        return None
    if not set(below.values()) & {Column.LEAD, Column.UNITS, Column.CO}:
        return None
    combined = {i: c for i, c in columns.items() if c not in below.values() or below.get(i) is c}
    return {**combined, **below}


def find_header(table: Table) -> Header | None:
    """The first row naming the task column and at least one unit column (and the row below it, where the header
    takes two rows); title rows above it are skipped."""
    for r, row in enumerate(table.rows[:8]):
        columns = _columns(row)
        if not _is_header(columns):
            continue
        below = _second_row(table.rows[r + 1], columns) if r + 1 < len(table.rows) else None
        if below is not None and _is_header(below):
            titles = {i: _compact(table.rows[r + 1][i] or row[i]) for i in below}
            return Header(r + 1, below, titles, first_row=r)
        return Header(r, columns, {i: _compact(row[i]) for i in columns})
    return None


def is_section_row(row: tuple[str, ...]) -> bool:
    """A cell merged across the row (`一、优化营商环境` in every position), or a lone heading."""
    filled = [_compact(c) for c in row if _compact(c)]
    if not filled or len(set(filled)) != 1:
        return False
    return len(filled) > 1 or bool(_SECTION.match(filled[0]))


_NUMERAL_NUMBER = re.compile(rf"^([{NUMERAL_CHARS}]+)\s*[、.．]?$")
_UNIT_CELLS = ("lead", "units", "co")


def _numbered_heading(cells: dict[Column, str]) -> str | None:
    """`一 | 优化营商环境 | | |`: a section row not merged, its numeral in the 序号 column and no unit, as `一、…`."""
    number = _NUMERAL_NUMBER.match(_compact(cells.get(Column.NUMBER, "")))
    title = " ".join(cells.get(Column.TASK, cells.get(Column.GROUP, "")).split())
    if number is None or not title or any(cells.get(Column(c)) for c in _UNIT_CELLS):
        return None
    return f"{number.group(1)}、{title}"


def read_table(table: Table, header: Header, section: str | None) -> tuple[list[PlanRow], str | None]:
    """The measure rows below the header; the section carries over to the next table (the next PDF page)."""
    rows: list[PlanRow] = []
    titles = {c: header.titles[i] for i, c in header.columns.items()}
    upper = header.row if header.first_row is None else header.first_row
    header_rows = [[_compact(c) for c in table.rows[h]] for h in range(upper, header.row + 1)]
    for r in range(header.row + 1, len(table.rows)):
        row = table.rows[r]
        if [_compact(c) for c in row] in header_rows or not any(_compact(c) for c in row):
            continue  # the header repeated on a new page, or an empty row
        if is_section_row(row):
            section = next(c for c in row if _compact(c)).strip()
            continue
        cells = {c: row[i].strip() for i, c in header.columns.items() if i < len(row) and row[i].strip()}
        heading = _numbered_heading(cells)
        if heading is not None:
            section = heading
            continue
        number = r + 1 + table.offset
        rows.append(PlanRow(f"{table.name}第{number}行", number, section, cells, titles))
    return rows, section
