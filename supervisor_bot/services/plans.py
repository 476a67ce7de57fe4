"""Load a plan file and the department registry, and import the matrix."""

from __future__ import annotations

from pathlib import Path

from supervisor_bot.core.errors import PlanFormatError
from supervisor_bot.core.plan_import import ImportResult, import_plan
from supervisor_bot.settings.departments import load_registry


def read_plan_text(path: Path) -> str:
    """A plan's text: UTF-8 (with or without BOM), else GB18030 as Chinese offices often save it."""
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


def load_plan(plan: Path, departments: Path) -> ImportResult:
    """Raises PlanFormatError (the plan) or ConfigError (the registry)."""
    registry = load_registry(departments)
    return import_plan(read_plan_text(plan), registry)
