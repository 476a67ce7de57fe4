"""China's working-day calendar: the chinese-calendar package, plus config/calendar_overrides.toml."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import chinese_calendar

from supervisor_bot.core.calendar import WorkCalendar
from supervisor_bot.settings.errors import ConfigError
from supervisor_bot.settings.toml_file import read_toml

_LONGEST_RANGE = 366  # days


def _is_year(key: str) -> bool:
    """`2027`: four ASCII digits ("²".isdigit() is true, and int() refuses it)."""
    return len(key) == 4 and key.isascii() and key.isdigit()


def _dates(path: Path, key: str, values: object) -> set[dt.date]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ConfigError(path, key, '应为日期列表，例如 ["2027-01-01", "2027-10-01..2027-10-07"]')
    out: set[dt.date] = set()
    for value in values:
        first, _, last = value.partition("..")
        try:
            start = dt.date.fromisoformat(first.strip())
            end = dt.date.fromisoformat(last.strip()) if last else start
        except ValueError:
            raise ConfigError(path, key, f"“{value}”不是 YYYY-MM-DD 格式的日期或日期范围") from None
        if end < start:
            raise ConfigError(path, key, f"“{value}”的结束日期早于开始日期")
        if (end - start).days >= _LONGEST_RANGE:  # "0001-01-01..9999-12-31" would be 3.6 million days
            raise ConfigError(path, key, f"“{value}”跨度超过一年，请逐段写出放假或调休的日期")
        out.update(start + dt.timedelta(days=n) for n in range((end - start).days + 1))
    return out


def covered_years(overrides: Path | None = None) -> set[int]:
    """Years whose holidays are known: the package's, and those the override file adds."""
    years = {d.year for d in chinese_calendar.holidays}
    if overrides is not None and overrides.exists():
        years |= {int(y) for y in read_toml(overrides) if _is_year(y)}
    return years


def load_calendar(overrides: Path | None) -> WorkCalendar:
    holidays = set(chinese_calendar.holidays)
    workdays = set(chinese_calendar.workdays)
    if overrides is not None and overrides.exists():
        for year, table in read_toml(overrides).items():
            if not _is_year(year) or not isinstance(table, dict):
                raise ConfigError(overrides, year, "应为年份表，例如 [2027]")
            unknown = set(table) - {"holidays", "workdays"}
            if unknown:
                raise ConfigError(overrides, f"{year}.{sorted(unknown)[0]}", "无法识别（可用：holidays、workdays）")
            off = _dates(overrides, f"{year}.holidays", table.get("holidays", []))
            on = _dates(overrides, f"{year}.workdays", table.get("workdays", []))
            holidays = (holidays - on) | off
            workdays = (workdays - off) | on
    return WorkCalendar(frozenset(holidays), frozenset(workdays))
