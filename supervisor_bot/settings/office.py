"""`[office]` and `[escalation] basis`: the deployment's own names, as its messages print them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from supervisor_bot.settings.errors import ConfigError

_KEYS = {"bureau": "市政府督查室", "leaders": "市政府办公室", "plan_title": ""}  # examples in error messages


@dataclass(frozen=True)
class OfficeNames:
    """As written in the settings; empty where not set (the plan, or a neutral word, stands in)."""

    bureau: str = ""
    leaders: str = ""
    plan_title: str = ""
    basis: str = ""


def _text(path: Path, table: dict[str, Any], section: str, name: str, example: str) -> str:
    value = table.get(name, "")
    if not isinstance(value, str):
        raise ConfigError(path, f"{section}.{name}", f'应为文字，例如 {name} = "{example}"')
    return value.strip()


def read_office(path: Path, data: dict[str, Any]) -> OfficeNames:
    office = data.get("office", {})
    escalation = data.get("escalation", {})
    if not isinstance(office, dict):
        raise ConfigError(path, "office", "应为一个表（[office] 小节）")
    if not isinstance(escalation, dict):
        raise ConfigError(path, "escalation", "应为一个表（[escalation] 小节）")
    names = {name: _text(path, office, "office", name, example) for name, example in _KEYS.items()}
    basis = _text(path, escalation, "escalation", "basis", "《督查工作办法》第十条")
    return OfficeNames(
        names["bureau"], names["leaders"], names["plan_title"], basis.removeprefix("依据：").rstrip("。")
    )
