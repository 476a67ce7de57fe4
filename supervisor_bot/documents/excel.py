"""A plan as an Excel 任务分解表 (.xlsx): each sheet a table, merged cells filled where they reach (openpyxl)."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from supervisor_bot.core.errors import PlanFormatError
from supervisor_bot.core.plan_table import Block, Table


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):  # a 完成时限 typed as a date
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)


def _sheet(sheet: Any) -> Table:
    grid = [[_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    for merged in sheet.merged_cells.ranges:
        value = grid[merged.min_row - 1][merged.min_col - 1] if merged.min_row <= len(grid) else ""
        for r in range(merged.min_row - 1, min(merged.max_row, len(grid))):
            for c in range(merged.min_col - 1, min(merged.max_col, len(grid[r]))):
                grid[r][c] = value
    return Table(tuple(tuple(row) for row in grid), f"工作表“{sheet.title}”")


def read(path: Path) -> list[Block]:
    try:
        book = load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise PlanFormatError(0, f"无法读取 Excel 文件 {path}：文件已损坏或不是 .xlsx 格式（{error}）") from None
    try:
        return [_sheet(sheet) for sheet in book.worksheets]
    finally:
        book.close()
