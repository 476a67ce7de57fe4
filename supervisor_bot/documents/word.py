"""A plan as a Word file (.docx): its paragraphs and tables in the order they stand (python-docx)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from supervisor_bot.core.errors import PlanFormatError
from supervisor_bot.core.plan_table import Block, Paragraph, Table


def _table(table: DocxTable, number: int) -> Table:
    # python-docx gives a merged cell (across the row or down the rows) in every grid position it covers
    rows = tuple(tuple(cell.text for cell in row.cells) for row in table.rows)
    return Table(rows, "表格" if number == 1 else f"第{number}个表格")


def read(path: Path) -> list[Block]:
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise PlanFormatError(0, f"无法读取 Word 文件 {path}：文件已损坏或不是 .docx 格式（{error}）") from None
    blocks: list[Block] = []
    tables = 0
    for item in document.iter_inner_content():
        if isinstance(item, DocxParagraph):
            blocks.append(Paragraph(item.text))
        elif isinstance(item, DocxTable):
            tables += 1
            blocks.append(_table(item, tables))
    return blocks
