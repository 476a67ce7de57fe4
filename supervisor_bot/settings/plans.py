"""`[[plans]]`: the plans one office supervises at once, each with its key, its file, its title and its own
rounds over `[rounds]` — or the single `[plan]` section of a one-plan deployment (one plan, no key shown)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from supervisor_bot.core.schedule import RoundSchedule
from supervisor_bot.settings.errors import ConfigError

_KEY = re.compile(r"[^\W\d_]\w{0,15}")  # 营商环境, 稳就业, jobs2025: a letter first, no spaces, slashes or dashes
PLANS_EXAMPLE = '[[plans]]\nkey = "营商环境"\nfile = "plans/营商环境.docx"'
MOVING = (
    '从单一方案改为多个方案：删去 [plan] 小节，把其中的 departments 移到文件开头（departments = "…"），'
    '再为每个方案写一节 [[plans]]（key、file，可选 title 和 rounds = { cadence = "monthly", … }）；'
    "原方案的 [[plans]] 指向同一个文件，已存数据（报送、督办、约谈、佐证材料）全部归入它的 key。"
)


@dataclass(frozen=True)
class PlanSettings:
    key: str  # "": the one plan of a `[plan]` deployment, no key shown anywhere
    file: Path
    schedule: RoundSchedule  # [rounds], with the plan's own `rounds = {…}` over it
    title: str = ""  # as `[office] plan_title`; "": taken from the plan


def check_key(path: Path, where: str, key: object) -> str:
    """A plan's key: short, unique, usable in commands, file names and URLs."""
    if not isinstance(key, str) or not key.strip():
        raise ConfigError(path, f"{where}.key", '每个方案须有 key（简称），例如 key = "营商环境"')
    if not _KEY.fullmatch(key):
        raise ConfigError(
            path,
            f"{where}.key",
            f"“{key}”不能用作方案简称：须以文字开头，最长16个字，不含空格、横线和标点（用于命令、文件名和网址），"
            '例如 key = "营商环境"',
        )
    return key


def plan_entries(path: Path, data: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The `[[plans]]` entries as written; None for a `[plan]` deployment. Both at once are refused."""
    entries = data.get("plans")
    if entries is None:
        return None
    if "plan" in data:
        raise ConfigError(path, "[plan]", "不能与 [[plans]] 同时使用。" + MOVING)
    if not isinstance(entries, list) or not entries or not all(isinstance(e, dict) for e in entries):
        raise ConfigError(path, "plans", f"应为一个或多个 [[plans]] 小节，例如\n{PLANS_EXAMPLE}")
    keys: dict[str, int] = {}
    for i, entry in enumerate(entries, 1):
        key = check_key(path, f"plans[{i}]", entry.get("key"))
        if key in keys:
            raise ConfigError(path, f"plans[{i}].key", f"“{key}”与第{keys[key]}个方案重复：每个方案的简称须不同")
        keys[key] = i
        if not isinstance(entry.get("file"), str) or not entry["file"].strip():
            raise ConfigError(path, f"plans[{i}].file", f'方案“{key}”须写明方案文件，例如 file = "plans/{key}.docx"')
        if not isinstance(entry.get("title", ""), str):
            raise ConfigError(path, f"plans[{i}].title", f'应为文字，例如 title = "{key}工作方案"')
        if not isinstance(entry.get("rounds", {}), dict):
            raise ConfigError(
                path, f"plans[{i}].rounds", '应为一个表，例如 rounds = { cadence = "monthly", monthday = 5 }'
            )
    return entries
