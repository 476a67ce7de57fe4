"""A plan from any office format: tables read by their columns, prose by the text grammar.

The readers (supervisor_bot/documents/) turn a file into blocks; this module decides how to read them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from supervisor_bot.core import responsibility
from supervisor_bot.core.chinese_numerals import NUMERAL_CHARS, parse_numeral, to_numeral
from supervisor_bot.core.errors import PlanFormatError
from supervisor_bot.core.matrix import Matrix, Measure, Section, Subsection
from supervisor_bot.core.plan_cells import joined_lines, people_cell, unit_cell
from supervisor_bot.core.plan_header import read_header
from supervisor_bot.core.plan_import import import_plan
from supervisor_bot.core.plan_measures import (
    Draft,
    ImportProblem,
    ImportResult,
    Units,
    build_measure,
    check_name,
    known_parts,
)
from supervisor_bot.core.plan_table import Block, Column, Paragraph, PlanRow, Table, find_header, read_table
from supervisor_bot.core.plan_text import Line, normalise
from supervisor_bot.core.registry import EMPTY_REGISTRY, DepartmentRegistry, Resolved

# "无牵头单位的，责任单位即为牵头单位": every unit named leads where no lead is named
_ALL_LEAD_RULE = re.compile(r"(?:无|未(?:列|明确|写明)?)牵头单位的?[，,]?\s*(?:所列)?责任单位(?:即为|均为|为)牵头单位")
_SECTION_MARK = re.compile(rf"^\s*([{NUMERAL_CHARS}]+)\s*[、.]\s*")
_UNIT_COLUMNS = (Column.LEAD, Column.UNITS, Column.CO)


def prose(blocks: list[Block]) -> str:
    """The document as lines of text: paragraphs, and tables that are not a plan's table, row by row."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            lines.append(block.text)
        else:
            for row in block.rows:
                lines.extend(dict.fromkeys(c for c in row if c.strip()))
    return "\n".join(lines)


def import_document(blocks: list[Block], registry: DepartmentRegistry = EMPTY_REGISTRY) -> ImportResult:
    """Tables with a plan's header words are read by their columns; otherwise the text is read as prose."""
    tables = [(i, b, h) for i, b in enumerate(blocks) if isinstance(b, Table) and (h := find_header(b)) is not None]
    if not tables:
        return import_plan(prose(blocks), registry)
    rows: list[PlanRow] = []
    section: str | None = None
    for _, table, header in tables:
        found, section = read_table(table, header, section)
        rows.extend(found)
    first, table, header = tables[0]
    title_rows = table.rows[: header.row if header.first_row is None else header.first_row]  # a title above the header
    header_lines = [*prose(blocks[:first]).splitlines(), *(c for row in title_rows for c in dict.fromkeys(row))]
    return import_rows(rows, registry, header_lines, prose(blocks))


_TEXT_CELLS = re.compile(r"\s*[|｜]\s*|[ \u3000]{2,}")


def text_blocks(text: str) -> list[Block]:
    """Plain text, where a table may be laid out with tabs, `|` or runs of spaces under a header line."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if _header_line(line)), None)
    if start is None:
        return [Paragraph(line) for line in lines]
    rows: list[tuple[str, ...]] = []
    width = len(_cells(lines[start]))
    last = 0
    for line in lines[start:]:
        cells = _cells(line)
        if len(cells) == 1 and rows and not _SECTION_MARK.match(cells[0]):
            above = list(rows[last])  # a wrapped line of the task: joined to the row above
            task = max(range(len(above)), key=lambda i: len(above[i]))
            above[task] += cells[0]
            rows[last] = tuple(above)
            cells = []
        elif cells:
            last = len(rows)
        rows.append(tuple(cells) + ("",) * (width - len(cells)))  # one row a line: rows name their lines
    return [*(Paragraph(line) for line in lines[:start]), Table(tuple(rows), "", start)]


def _cells(line: str) -> list[str]:
    """Tab-separated cells keep their empty ones; cells set apart by `|` or spaces cannot be empty."""
    if "\t" in line:
        cells = [c.strip() for c in line.strip(" \u3000\r").split("\t")]
        return cells if any(cells) else []
    return [c.strip() for c in _TEXT_CELLS.split(line.strip()) if c.strip()]


def _header_line(line: str) -> bool:
    cells = _cells(line)
    return len(cells) >= 3 and find_header(Table((tuple(cells),))) is not None


def import_rows(rows: list[PlanRow], registry: DepartmentRegistry, header_lines: list[str], text: str) -> ImportResult:
    if not rows:
        raise PlanFormatError(0, "表格中没有措施：表头之下应每行一项措施，写明任务内容和牵头单位或责任单位")
    all_lead = bool(_ALL_LEAD_RULE.search(normalise(text)))
    units = Units(registry, {}, [])
    section_of = _sections(rows)
    sections = tuple(section_of.values())
    numbers = _numbers(rows, units.problems)
    groups = _groups(rows)
    measures: list[Measure] = []
    for row, (number, label) in zip(rows, numbers, strict=True):
        stated = _responsibility(row, label, all_lead, registry)
        assignments = units.resolve(stated, row.row, number, row.where)
        key = _section_key(row.section)
        section = section_of[key].number if key else 0
        deadline = normalise(joined_lines(row.get(Column.DEADLINE))).strip("。；，") or stated.deadline
        leaders = tuple(normalise(name) for name in people_cell(row.get(Column.LEADERS)))
        task = normalise(joined_lines(row.get(Column.TASK)))
        if not task:
            raise PlanFormatError(row.row, "未写明任务内容", row.place(Column.TASK))
        group = groups.get(normalise(joined_lines(row.get(Column.GROUP))))
        draft = Draft(number, label, section, task, assignments, stated.open_ended, group, row.row, leaders, deadline)
        measures.append(build_measure(draft))
    lines = [Line(i, normalise(t)) for i, t in enumerate(header_lines, start=1) if t.strip()]
    document = replace(read_header(lines), lead_rule_stated=bool(responsibility.LEAD_RULE.search(normalise(text))))
    return ImportResult(
        Matrix(document, sections, tuple(measures), tuple(units.departments.values())), tuple(units.problems)
    )


def _knows(registry: DepartmentRegistry) -> Callable[[str], bool]:
    return lambda name: isinstance(registry.resolve(normalise(name)), Resolved)


def _groups(rows: list[PlanRow]) -> dict[str, Subsection]:
    """The 重点任务 a second task column groups measures under, numbered in the order they come."""
    out: dict[str, Subsection] = {}
    for row in rows:
        title = normalise(joined_lines(row.get(Column.GROUP)))
        if title and title not in out:
            out[title] = Subsection(len(out) + 1, title, f"（{to_numeral(len(out) + 1)}）")
    return out


def _section_key(written: str | None) -> str | None:
    return normalise(written) if written else None


def _sections(rows: list[PlanRow]) -> dict[str, Section]:
    """Sections (by their row as written) in the order their rows appear; their numbers must run on."""
    out: dict[str, Section] = {}
    for row in rows:
        key = _section_key(row.section)
        if key is None or key in out:
            continue
        mark = _SECTION_MARK.match(key)
        value = parse_numeral(mark.group(1)) if mark else len(out) + 1
        if value != len(out) + 1:
            due = to_numeral(len(out) + 1)
            message = f"部分标题“{key}”的编号不连续，应为“{due}、”"
            raise PlanFormatError(row.row, message, f"{row.where}之上")
        label = mark.group(1) if mark else to_numeral(len(out) + 1)
        out[key] = Section(len(out) + 1, key[mark.end() :] if mark else key, label)
    return out


def _numbers(rows: list[PlanRow], problems: list[ImportProblem]) -> list[tuple[int, str]]:
    """序号 as printed: it runs on, or restarts at 1 in each section; a gap is read as written and warned of, a
    number that repeats or goes back is an error. Without 序号, rows are counted."""
    out: list[tuple[int, str]] = []
    last, section = 0, None
    for index, row in enumerate(rows, start=1):
        written = re.sub(r"\s+", "", row.get(Column.NUMBER))
        digits = re.sub(r"[.、()（）．]", "", written)
        value = int(digits) if digits.isdigit() else parse_numeral(digits) if digits else None
        if written and value is None:
            raise PlanFormatError(row.row, f"序号“{written}”不是编号，应为“{last + 1}”", row.place(Column.NUMBER))
        if value is not None and value > last + 1:
            message = f"序号“{written}”不连续（上一项是“{last}”），已按“{written}”读取，请核对是否漏项"
            problems.append(ImportProblem(row.row, None, message, row.place(Column.NUMBER)))
        elif value is not None and value != last + 1 and not (value == 1 and row.section != section):
            problem = f"重复（上一项也是“{last}”）" if value == last else f"不连续（上一项是“{last}”）"
            raise PlanFormatError(row.row, f"序号“{written}”{problem}，应为“{last + 1}”", row.place(Column.NUMBER))
        last, section = (value if value is not None else last + 1), row.section
        out.append((index, written or str(index)))
    return out


def _responsibility(
    row: PlanRow, label: str, all_lead: bool, registry: DepartmentRegistry
) -> responsibility.Responsibility:
    """The unit columns read with the same grammar as a bracket: `牵头单位：A；责任单位：B、C`."""
    cells = {c: normalise(unit_cell(row.get(c), _knows(registry))).strip("。；，") for c in _UNIT_COLUMNS}
    for column, cell in cells.items():
        for name in responsibility.split_names(cell):
            check_name(re.sub(r"等(?:有关|相关)?(?:部门|单位)?$", "", name), label, row.row, row.place(column))
    alone = cells[Column.LEAD] and not (Column.UNITS in row.titles or Column.CO in row.titles)
    if alone and "牵头" not in row.titles.get(Column.LEAD, ""):  # the one unit column (责任主体): the first leads
        cells = {Column.LEAD: "", Column.UNITS: cells[Column.LEAD], Column.CO: ""}
    lead, named, co = (cells[c] for c in _UNIT_COLUMNS)
    worded = next((c for c in _UNIT_COLUMNS if responsibility.RESPONSIBILITY_WORDS.search(cells[c])), None)
    if worded is not None:
        statement = cells[worded]
    elif lead:
        statement = (
            f"牵头单位：{lead}" + (f"；责任单位：{named}" if named else "") + (f"；配合单位：{co}" if co else "")
        )
    elif named:
        statement = ("牵头单位：" if all_lead else "责任单位：") + named + (f"；配合单位：{co}" if co else "")
    else:
        column = Column.LEAD if Column.LEAD in row.titles else Column.UNITS
        raise PlanFormatError(row.row, "未写明责任单位，应写明牵头单位或责任单位", row.place(column))
    try:
        return responsibility.parse(statement, lambda name: known_parts(name, registry))
    except responsibility.ResponsibilityError as error:
        raise PlanFormatError(row.row, f"{error}", row.place(worded or Column.UNITS)) from None
