"""A composed plan written as a file: prose (.txt, .docx, .pdf, .html) or a table (.docx, .xlsx, .pdf, .html).

Prose lines are wrapped anywhere (inside names, brackets and numbers) in .txt and .pdf, as a PDF's text comes out;
every writer records where each measure starts (the line, or the table's row), so an error can be checked.
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass
from pathlib import Path

import docx
from reportlab.lib.pagesizes import A4
from reportlab.platypus import Paragraph as PdfParagraph
from reportlab.platypus import SimpleDocTemplate, TableStyle
from reportlab.platypus import Table as PdfTable

from tests.documents import _STYLE, FONT, Grid, write_pdf_prose, write_xlsx
from tests.plans.grammar import (
    CO_WORDS,
    DEADLINE_WORDS,
    LEAD_RULE,
    LEAD_WORDS,
    LEADER_WORDS,
    TASK_WORDS,
    Plan,
    Written,
)


@dataclass(frozen=True)
class Lines:
    """A prose plan's logical lines, and which of them opens each measure (index into lines)."""

    lines: tuple[str, ...]
    starts: tuple[int, ...]
    headings: tuple[int, ...]


def prose_lines(plan: Plan) -> Lines:
    lines = [plan.title, "各县（市、区）人民政府，市政府各部门，各有关单位：", "现将方案印发给你们，请认真贯彻落实。"]
    if plan.rule_stated:
        lines.append(LEAD_RULE)
    lines.append(plan.title)
    starts: list[int] = []
    headings: list[int] = []
    for section in plan.sections:
        if section.heading:
            headings.append(len(lines))
            lines.append(section.heading)
        for _, written in section.measures:
            if written.subheading:
                lines.append(written.subheading)
            starts.append(len(lines))
            lines.extend(_measure_lines(written))
    lines += ["", "市人民政府办公室", "2025年3月1日"]
    return Lines(tuple(lines), tuple(starts), tuple(headings))


def _measure_lines(written: Written) -> list[str]:
    body = [*written.lines]
    last = body[-1]
    statement, *own_lines = written.statement.split("\n")  # 牵头单位：… on lines of their own
    if (
        written.deadline and written.deadline_form != "line" and statement.endswith("）")
    ):  # the bracket closes with its time limit
        clause = f"；完成时限：{written.deadline}" if written.deadline_form == "label" else f"，{written.deadline}"
        statement = statement[:-1] + clause + "）"
    if written.before_stop and last.endswith("。") and statement:
        body[-1] = last[:-1] + statement + "。"
    else:
        body[-1] = last + statement
    body += own_lines
    body[0] = written.marker + body[0]
    if written.leaders:
        body.append("责任领导：" + "、".join(written.leaders))
    if written.deadline and written.deadline_form == "line":
        body.append("完成时限：" + written.deadline)
    return body


def wrapped(lines: Lines, rng: random.Random) -> tuple[list[str], list[int]]:
    """Each logical line broken every `width` characters; the physical line (1-based) each one starts at."""
    width = rng.randint(18, 36)
    out: list[str] = []
    first: list[int] = []
    for line in lines.lines:
        first.append(len(out) + 1)
        if not line or line.startswith(
            ("责任领导：", "完成时限：", "牵头单位：", "责任单位：")
        ):  # short lines, unwrapped
            out.append(line)
            continue
        out += [line[i : i + width] for i in range(0, len(line), width)]
    return out, first


def write_prose(plan: Plan, folder: Path, rng: random.Random) -> tuple[Path, list[int]]:
    """The file and the line each logical line starts at (for .docx and .html: its paragraph)."""
    lines = prose_lines(plan)
    fmt = plan.style.format
    if fmt in ("txt", "pdf-prose"):
        physical, first = wrapped(lines, rng)
        if fmt == "txt":
            path = folder / "plan.txt"
            path.write_text("\n".join(physical) + "\n", encoding="utf-8")
            return path, first
        return write_pdf_prose(folder / "plan.pdf", "\n".join(physical), lines_per_page=rng.randint(12, 36)), first
    first = list(range(1, len(lines.lines) + 1))
    if fmt == "docx-prose":
        document = docx.Document()
        for line in lines.lines:
            document.add_paragraph(line)
        path = folder / "plan.docx"
        document.save(str(path))
        return path, first
    path = folder / "plan.html"
    body = "".join(f"<p>{html.escape(line)}</p>\n" for line in lines.lines)
    path.write_text(f"<html><head><meta charset='utf-8'></head><body>{body}</body></html>", encoding="utf-8")
    return path, first


def table_grid(plan: Plan, rng: random.Random) -> tuple[Grid, list[int], dict[str, str]]:
    """The plan as a grid: header words chosen and shuffled; the row each measure is on; column → header."""
    style = plan.style
    columns = ["task"]
    columns += ["lead", "co"] if style.role == "columns" else ["units"]
    columns += ["leaders", "deadline"] if style.particulars else []
    rng.shuffle(columns)
    if style.grouped:  # 重点任务 | 具体措施: the group's column before the measure's
        columns.insert(columns.index("task"), "group")
    if style.numbering != "none":
        columns.insert(0, "number")
    words = {
        "number": rng.choice(("序号", "编号")),
        "task": rng.choice(
            ("具体措施", "工作措施", "任务内容", "工作内容", "主要内容") if style.grouped else TASK_WORDS
        ),
        "group": rng.choice(("重点任务", "主要任务", "工作任务", "任务事项")),
        "lead": rng.choice(LEAD_WORDS),
        "co": rng.choice(CO_WORDS),
        "units": rng.choice(("责任单位", "责任部门", "责任主体")),
        "leaders": rng.choice(LEADER_WORDS),
        "deadline": rng.choice(DEADLINE_WORDS),
    }
    grid = Grid([[words[c] for c in columns]])
    if style.two_row_header and style.role == "columns":  # 责任单位 over 牵头单位 | 配合单位, the others merged down
        _two_rows(grid, columns, words, rng)
    rows: list[int] = []
    for section in plan.sections:
        if section.heading and style.sectioning == "numeral-row" and "number" in columns:  # 一 | 优化营商环境: unmerged
            numeral, title = section.heading.split("、", 1)
            grid.rows.append([{"number": numeral, "task": title}.get(c, "") for c in columns])
        elif section.heading:
            grid.rows.append([section.heading] * len(columns))
            grid.merges.append((len(grid.rows) - 1, 0, len(grid.rows) - 1, len(columns) - 1))
        groups = _groups(len(section.measures), rng)
        for n, (expected, written) in enumerate(section.measures):
            if style.grouped and n in groups:
                start = len(grid.rows)
                end = start + groups[n][1] - 1
                if end > start:
                    grid.merges.append((start, columns.index("group"), end, columns.index("group")))
            values = {
                "group": next(title for first, (title, count) in groups.items() if first <= n < first + count),
                "number": expected.label,
                "task": "\n".join(written.lines),
                "leaders": "、".join(written.leaders),
                "deadline": written.deadline or "",
                **written.cells,
            }
            rows.append(len(grid.rows) + 1)
            grid.rows.append([values.get(c, "") for c in columns])
    return grid, rows, {c: words[c] for c in columns}


def _two_rows(grid: Grid, columns: list[str], words: dict[str, str], rng: random.Random) -> None:
    columns.remove("co")  # the two unit columns side by side under their common title
    columns.insert(columns.index("lead") + 1, "co")
    grid.rows[0] = [words[c] for c in columns]
    lead, co = columns.index("lead"), columns.index("co")
    common = rng.choice(("责任单位", "责任部门"))
    upper = [common if c in ("lead", "co") else words[c] for c in columns]
    grid.rows.insert(0, upper)
    grid.merges.append((0, min(lead, co), 0, max(lead, co)))
    grid.merges += [(0, i, 1, i) for i, c in enumerate(columns) if c not in ("lead", "co")]
    grid.header_row = 1


GROUP_TITLES = ("推进重大项目建设", "优化企业服务", "强化就业保障", "提升治理效能")


def _groups(count: int, rng: random.Random) -> dict[int, tuple[str, int]]:
    """First measure → (title, how many): one or two groups of a section's measures."""
    titles = rng.sample(GROUP_TITLES, 2)
    cut = rng.randint(1, count)
    return {0: (titles[0], cut)} | ({cut: (titles[1], count - cut)} if cut < count else {})


def write_table(plan: Plan, folder: Path, rng: random.Random) -> tuple[Path, list[int], dict[str, str]]:
    path, rows, columns = _write_table(plan, folder, rng)
    return path, rows, columns


def _write_table(plan: Plan, folder: Path, rng: random.Random) -> tuple[Path, list[int], dict[str, str]]:
    grid, rows, columns = table_grid(plan, rng)
    before = [plan.title] + ([LEAD_RULE.strip("（）")] if plan.rule_stated else [])
    fmt = plan.style.format
    if fmt == "xlsx":
        grid.rows[:0] = [[line] + [""] * (grid.width - 1) for line in before]
        grid.merges = [(r0 + len(before), c0, r1 + len(before), c1) for r0, c0, r1, c1 in grid.merges]
        return write_xlsx(folder / "plan.xlsx", grid), [r + len(before) for r in rows], columns
    if fmt == "docx-table":
        return _docx_table(folder / "plan.docx", grid, before, plan.style.separator == "paragraph"), rows, columns
    if fmt == "html-table":
        path = folder / "plan.html"
        path.write_text(_html_table(grid, before, plan.style.separator == "paragraph"), encoding="utf-8")
        return path, rows, columns
    return _pdf_table(folder / "plan.pdf", grid, before), rows, columns


def _docx_table(path: Path, grid: Grid, before: list[str], paragraphs: bool) -> Path:
    document = docx.Document()
    for line in before:
        document.add_paragraph(line)
    table = document.add_table(rows=len(grid.rows), cols=grid.width)
    table.style = "Table Grid"
    for r0, c0, r1, c1 in grid.merges:
        table.cell(r0, c0).merge(table.cell(r1, c1))
    merged = {(r, c) for r0, c0, r1, c1 in grid.merges for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    for r, row in enumerate(grid.rows):
        for c, text in enumerate(row):
            if (r, c) in merged and (r, c) not in {(m[0], m[1]) for m in grid.merges}:
                continue
            cell = table.cell(r, c)
            parts = text.split("\n") if paragraphs else [text]
            cell.text = parts[0]
            for part in parts[1:]:
                cell.add_paragraph(part)
    document.save(str(path))
    return path


def _html_table(grid: Grid, before: list[str], paragraphs: bool) -> str:
    spans = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in grid.merges}
    covered = {(r, c) for r0, c0, r1, c1 in grid.merges for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    out = ["<html><head><meta charset='utf-8'></head><body>", *(f"<p>{html.escape(b)}</p>" for b in before)]
    out.append("<table border='1'>")
    for r, row in enumerate(grid.rows):
        cells = []
        for c, text in enumerate(row):
            if (r, c) in covered and (r, c) not in spans:
                continue
            rowspan, colspan = spans.get((r, c), (1, 1))
            parts = [html.escape(p) for p in text.split("\n")]
            inner = "".join(f"<p>{p}</p>" for p in parts) if paragraphs else "<br/>".join(parts)
            cells.append(f"<td rowspan='{rowspan}' colspan='{colspan}'>{inner}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table></body></html>")
    return "\n".join(out)


def _pdf_table(path: Path, grid: Grid, before: list[str]) -> Path:
    """A ruled table, its header repeated on each page, cells wrapped to their column's width."""
    narrow = {"序号": 28, "编号": 28}
    header = grid.rows[grid.header_row]
    fixed = sum(narrow.get(h, 0) for h in header)
    share = (535 - fixed) / sum(3 if h in TASK_WORDS else 1 for h in header if h not in narrow)
    widths = [narrow.get(h) or share * (3 if h in TASK_WORDS else 1) for h in header]
    data = [[PdfParagraph(html.escape(t).replace("\n", "<br/>"), _STYLE) for t in row] for row in grid.rows]
    table = PdfTable(data, colWidths=widths, repeatRows=grid.header_row + 1)
    style: list[tuple[object, ...]] = [("FONT", (0, 0), (-1, -1), FONT, 10), ("GRID", (0, 0), (-1, -1), 0.5, "black")]
    style += [("SPAN", (c0, r0), (c1, r1)) for r0, c0, r1, c1 in grid.merges]
    table.setStyle(TableStyle(style))
    document = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=30, rightMargin=30)
    document.build([*(PdfParagraph(html.escape(line), _STYLE) for line in before), table])
    return path
