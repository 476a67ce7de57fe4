"""A plan as the published PDF: prose as text lines, ruled tables as tables (pdfplumber — MIT; not PyMuPDF)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.pdfparser import PDFSyntaxError

from supervisor_bot.core.errors import PlanFormatError
from supervisor_bot.core.plan_table import Block, Paragraph, Table


def _filled(rows: list[list[str | None]]) -> tuple[tuple[str, ...], ...]:
    """pdfplumber leaves a merged cell's other positions empty (None): across a row when only the first
    cell has text (a section row), else down from the cell above (a lead repeated down the rows)."""
    out: list[list[str]] = []
    for row in rows:
        if row and row[0] and all(cell is None for cell in row[1:]):
            out.append([row[0]] * len(row))
            continue
        above = out[-1] if out else []
        out.append([cell if cell is not None else (above[i] if i < len(above) else "") for i, cell in enumerate(row)])
    return tuple(tuple(row) for row in out)


def _outside(tables: list[Any]) -> Any:
    boxes = [t.bbox for t in tables]

    def keep(obj: dict[str, Any]) -> bool:
        middle_x, middle_y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= middle_x <= x1 and top <= middle_y <= bottom for x0, top, x1, bottom in boxes)

    return keep


def _page(page: Any, number: int) -> list[Block]:
    tables = page.find_tables() if page.lines or page.rects else []  # ruled tables only; prose pages stay cheap
    text = (page.filter(_outside(tables)) if tables else page).extract_text() or ""
    blocks: list[Block] = [Paragraph(line) for line in text.splitlines()]
    blocks += [Table(_filled(t.extract()), f"第{number}页表格") for t in tables]
    return blocks


def read(path: Path) -> list[Block]:
    try:
        with pdfplumber.open(path) as document:
            return [block for n, page in enumerate(document.pages, start=1) for block in _page(page, n)]
    except (PDFSyntaxError, ValueError, KeyError) as error:
        raise PlanFormatError(0, f"无法读取 PDF 文件 {path}：文件已损坏或不是 PDF（{error}）") from None
