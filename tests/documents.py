"""Plans written at test time in every office format: Word (prose and tables), Excel, PDF, HTML.

A table is a grid of cell texts with merges: a section row merged across the row, a lead merged down the rows.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

import docx
from openpyxl import Workbook
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph as PdfParagraph
from reportlab.platypus import SimpleDocTemplate, TableStyle
from reportlab.platypus import Table as PdfTable

FONT = "STSong-Light"  # a CID font every PDF reader knows: Chinese text with no font file needed
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
_STYLE = ParagraphStyle("plan", fontName=FONT, fontSize=10, leading=14, wordWrap="CJK")

HEADER = ("序号", "重点任务", "牵头单位", "责任单位", "责任领导", "完成时限")


@dataclass(frozen=True)
class Row:
    task: str
    lead: str
    units: str
    leader: str = ""
    deadline: str = ""


@dataclass
class Grid:
    """Cell texts, row by row, and the merges: (first row, first column, last row, last column), 0-based."""

    rows: list[list[str]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    header_row: int = 0

    @property
    def width(self) -> int:
        return max(len(r) for r in self.rows)


def plan_grid(sections: list[tuple[str, list[Row]]], *, title: str | None = None, merge_leads: bool = True) -> Grid:
    """序号 / 重点任务 / 牵头单位 / 责任单位 / 责任领导 / 完成时限, section rows merged across, repeated leads
    merged down, and a title row merged above the header if given."""
    grid = Grid([])
    if title:
        grid.rows.append([title] * len(HEADER))
        grid.merges.append((0, 0, 0, len(HEADER) - 1))
        grid.header_row = 1
    grid.rows.append(list(HEADER))
    number = 0
    for heading, rows in sections:
        grid.rows.append([heading] * len(HEADER))
        grid.merges.append((len(grid.rows) - 1, 0, len(grid.rows) - 1, len(HEADER) - 1))
        start = len(grid.rows)
        for row in rows:
            number += 1
            grid.rows.append([str(number), row.task, row.lead, row.units, row.leader, row.deadline])
        if merge_leads:
            _merge_down(grid, start, 2)
    return grid


def _merge_down(grid: Grid, start: int, column: int) -> None:
    """The same lead in consecutive rows: one cell merged down (Word, Excel and HTML do it so)."""
    r = start
    while r < len(grid.rows):
        end = r
        while end + 1 < len(grid.rows) and grid.rows[end + 1][column] == grid.rows[r][column] != "":
            end += 1
        if end > r and len(set(grid.rows[r])) > 1:
            grid.merges.append((r, column, end, column))
        r = end + 1


def write_docx_prose(path: Path, text: str) -> Path:
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    document.save(str(path))
    return path


def write_docx_table(path: Path, grid: Grid, before: tuple[str, ...] = ()) -> Path:
    document = docx.Document()
    for line in before:
        document.add_paragraph(line)
    table = document.add_table(rows=len(grid.rows), cols=grid.width)
    table.style = "Table Grid"
    for r, row in enumerate(grid.rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    for r0, c0, r1, c1 in grid.merges:
        merged = table.cell(r0, c0).merge(table.cell(r1, c1))
        merged.text = grid.rows[r0][c0]
    document.save(str(path))
    return path


def write_xlsx(path: Path, grid: Grid, sheet: str = "任务分解") -> Path:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    covered = {(r, c) for r0, c0, r1, c1 in grid.merges for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    starts = {(r0, c0) for r0, c0, _, _ in grid.merges}
    for r, row in enumerate(grid.rows):
        for c, text in enumerate(row):
            if (r, c) not in covered or (r, c) in starts:
                ws.cell(row=r + 1, column=c + 1, value=int(text) if text.isdigit() else text or None)
    for r0, c0, r1, c1 in grid.merges:
        ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
    book.save(path)
    return path


def html_table(grid: Grid, before: tuple[str, ...] = ()) -> str:
    spans = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in grid.merges}
    covered = {(r, c) for r0, c0, r1, c1 in grid.merges for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    out = ["<html><head><meta charset='utf-8'><title>方案</title></head><body><div class='article'>"]
    out += [f"<p>{html.escape(line)}</p>" for line in before]
    out.append("<table border='1'><tbody>")
    for r, row in enumerate(grid.rows):
        cells = []
        for c, text in enumerate(row):
            if (r, c) in covered and (r, c) not in spans:
                continue
            rowspan, colspan = spans.get((r, c), (1, 1))
            cell = html.escape(text).replace("\n", "<br/>")
            cells.append(f"<td rowspan='{rowspan}' colspan='{colspan}'>{cell}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table></div><script>var x = '1.不是措施';</script></body></html>")
    return "\n".join(out)


def write_pdf_table(path: Path, grid: Grid, before: tuple[str, ...] = ()) -> Path:
    """A ruled table whose header row repeats on every page; wrapped cells; merged section rows and leads."""
    data = [[PdfParagraph(html.escape(t).replace("\n", "<br/>"), _STYLE) for t in row] for row in grid.rows]
    table = PdfTable(data, colWidths=[30, 220, 70, 90, 50, 70], repeatRows=grid.header_row + 1)
    style: list[tuple[object, ...]] = [("FONT", (0, 0), (-1, -1), FONT, 10), ("GRID", (0, 0), (-1, -1), 0.5, "black")]
    style += [("SPAN", (c0, r0), (c1, r1)) for r0, c0, r1, c1 in grid.merges]
    style.append(("VALIGN", (0, 0), (-1, -1), "MIDDLE"))
    table.setStyle(TableStyle(style))
    document = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=30, rightMargin=30)
    document.build([*(PdfParagraph(html.escape(line), _STYLE) for line in before), table])
    return path


def write_pdf_prose(path: Path, text: str, lines_per_page: int = 36) -> Path:
    """The text line by line, as a published PDF prints it, with a page number at each page's foot."""
    canvas = Canvas(str(path), pagesize=A4)
    lines = [line for line in text.splitlines() if line.strip()]
    for page, start in enumerate(range(0, len(lines), lines_per_page), start=1):
        canvas.setFont(FONT, 12)
        for i, line in enumerate(lines[start : start + lines_per_page]):
            canvas.drawString(60, 790 - i * 20, line)
        canvas.drawString(280, 40, f"— {page} —")
        canvas.showPage()
    canvas.save()
    return path
