"""A plan as plain text: UTF-8 (with or without BOM), else GB18030 as Chinese offices often save it."""

from __future__ import annotations

from pathlib import Path

from supervisor_bot.core.errors import PlanFormatError
from supervisor_bot.core.plan_document import text_blocks
from supervisor_bot.core.plan_table import Block


def read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise PlanFormatError(0, f"无法读取方案文件 {path}：文件不存在") from None
    except OSError as error:
        raise PlanFormatError(0, f"无法读取方案文件 {path}：{error.strerror}") from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PlanFormatError(0, f"方案文件 {path} 不是文本文件（应为 UTF-8 或 GB18030 编码的纯文本）")


def read(path: Path) -> list[Block]:
    return text_blocks(read_text(path))
