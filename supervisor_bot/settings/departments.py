"""Load the department registry (单位名录) from config/departments.toml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from supervisor_bot.core.matrix import Department
from supervisor_bot.core.registry import DepartmentRegistry, key
from supervisor_bot.settings.errors import ConfigError
from supervisor_bot.settings.toml_file import read_toml


def _names(path: Path, where: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(path, where, '应为非空字符串的列表，例如 ["市人社局"]')
    return tuple(v.strip() for v in value)


def load_registry(path: Path) -> DepartmentRegistry:
    data = read_toml(path)
    entries = data.get("department", [])
    if not isinstance(entries, list) or not entries:
        raise ConfigError(path, "department", "应至少有一个 [[department]] 条目")
    departments: list[Department] = []
    seen: dict[str, str] = {}
    for index, entry in enumerate(entries, start=1):
        where = f"department[{index}]"
        name = entry.get("name") if isinstance(entry, dict) else None
        if not isinstance(name, str) or not name.strip():
            raise ConfigError(path, f"{where}.name", '缺少单位名称，例如 name = "市财政局"')
        unknown = set(entry) - {"name", "aliases", "members", "reports"}
        if unknown:
            raise ConfigError(
                path, f"{where}.{sorted(unknown)[0]}", "无法识别的配置项（可用：name、aliases、members、reports）"
            )
        reports = entry.get("reports", True)
        if not isinstance(reports, bool):
            raise ConfigError(path, f"{where}.reports", "应为 true 或 false，例如 reports = false（不报送的泛称）")
        department = Department(
            name.strip(),
            aliases=_names(path, f"{where}.aliases", entry.get("aliases")),
            members=_names(path, f"{where}.members", entry.get("members")),
            reports=reports,
        )
        for written in (department.name, *department.aliases):
            other = seen.setdefault(key(written), department.name)
            if other != department.name:
                raise ConfigError(path, f"{where}.aliases", f"“{written}”已用于“{other}”")
        departments.append(department)
    return DepartmentRegistry(departments)
