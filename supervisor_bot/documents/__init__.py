"""Read a plan file, whatever office format it comes in, into blocks (paragraphs and tables) for the core.

One small module per format; each only reads. What the blocks mean is the core's business
(supervisor_bot/core/plan_document.py).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from supervisor_bot.core.errors import PlanFormatError
from supervisor_bot.core.plan_table import Block
from supervisor_bot.documents import converted, excel, pdf, text, web_page, word

FORMATS = ".txt、.docx、.doc、.wps、.xlsx、.pdf、.html、.htm"
_READERS: dict[str, Callable[[Path], list[Block]]] = {
    ".docx": word.read,
    ".doc": converted.read,
    ".wps": converted.read,
    ".xlsx": excel.read,
    ".xlsm": excel.read,
    ".pdf": pdf.read,
    ".html": web_page.read,
    ".htm": web_page.read,
}
_SAVE_AS = {".xls": ".xlsx", ".et": ".xlsx", ".rtf": ".docx", ".odt": ".docx", ".ofd": ".pdf"}


def read_document(path: Path) -> list[Block]:
    """The file's paragraphs and tables in order; the format is chosen by the file's extension."""
    suffix = path.suffix.lower()
    if suffix in _SAVE_AS:
        raise PlanFormatError(
            0, f"暂不支持{suffix}格式的方案文件 {path}：请另存为{_SAVE_AS[suffix]}格式后再导入（支持{FORMATS}）"
        )
    if not path.exists():
        raise PlanFormatError(0, f"无法读取方案文件 {path}：文件不存在")
    return _READERS.get(suffix, text.read)(path)
