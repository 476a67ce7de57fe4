"""A plan as the page saved from a government portal (.html/.htm): paragraphs and tables in order (lxml)."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
from lxml import etree

from supervisor_bot.core.errors import PlanFormatError
from supervisor_bot.core.plan_table import Block, Paragraph, Table

_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "br", "tr", "td", "th", "table"}
_BLOCK |= {"section", "article", "center", "blockquote", "pre", "tbody", "thead", "body", "header", "footer"}
_SKIP = {"script", "style", "head", "title", "noscript"}


def _blocks(element: etree._Element, *, tables: bool) -> list[Block]:
    """Paragraphs, a line per block element (p, div, br …), and data tables where they stand."""
    blocks: list[Block] = []
    line: list[str] = []

    def flush() -> None:
        text = " ".join("".join(line).split())
        if text:
            blocks.append(Paragraph(text))
        line.clear()

    def walk(el: etree._Element, top: bool) -> None:
        tag = el.tag if isinstance(el.tag, str) else None  # None: a comment or processing instruction
        if tag is None or tag in _SKIP:
            pass
        elif tables and tag == "table" and not el.xpath(".//table"):  # layout tables are walked through
            flush()
            blocks.append(_table(el, sum(isinstance(b, Table) for b in blocks) + 1))
        else:
            if tag in _BLOCK:
                flush()
            line.append(el.text or "")
            for child in el:
                walk(child, False)
            if tag in _BLOCK:
                flush()
        if not top:
            line.append(el.tail or "")

    walk(element, True)
    flush()
    return blocks


def _table(table: etree._Element, number: int) -> Table:
    """Rows with rowspan and colspan expanded: a merged cell's text in every position it covers."""
    grid: dict[tuple[int, int], str] = {}
    for r, tr in enumerate(table.iter("tr")):
        c = 0
        for cell in tr:
            if cell.tag not in ("td", "th"):
                continue
            while (r, c) in grid:
                c += 1
            text = "\n".join(b.text for b in _blocks(cell, tables=False) if isinstance(b, Paragraph))
            for dr in range(int(cell.get("rowspan", "1") or 1)):
                for dc in range(int(cell.get("colspan", "1") or 1)):
                    grid[(r + dr, c + dc)] = text
            c += int(cell.get("colspan", "1") or 1)
    height = max((r for r, _ in grid), default=-1) + 1
    width = max((c for _, c in grid), default=-1) + 1
    rows = tuple(tuple(grid.get((r, c), "") for c in range(width)) for r in range(height))
    return Table(rows, "表格" if number == 1 else f"第{number}个表格")


_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)


def decoded(data: bytes) -> str:
    """Portals declare gb2312 and write GBK or GB18030 (a superset of both); else UTF-8 as declared or not."""
    declared = _CHARSET.search(data[:4096])
    name = declared.group(1).decode("ascii").lower() if declared else "utf-8"
    for encoding in ("gb18030" if name in ("gb2312", "gbk", "gb18030") else name, "utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("utf-8", errors="replace")


def read(path: Path) -> list[Block]:
    try:
        root = lxml.html.document_fromstring(decoded(path.read_bytes()))
    except (etree.ParserError, ValueError) as error:
        raise PlanFormatError(0, f"无法读取网页文件 {path}：{error}") from None
    return _blocks(root, tables=True)
