"""`[scoring]`: the 考核 rules, each a number of points; the period shown by default."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from supervisor_bot.core.scoring import ScoringRules
from supervisor_bot.settings.errors import ConfigError

_POINTS = (
    "start",
    "overdue_lead",
    "overdue_co",
    "late_report",
    "missing_report",
    "interview",
    "returned",
    "early_done",
    "credit_cap",
)
PERIODS = ("month", "quarter", "year")


def scoring_rules(section: Mapping[str, Any], error: Callable[[str, str], ConfigError]) -> ScoringRules:
    defaults = ScoringRules()
    points: dict[str, float] = {}
    for name in _POINTS:
        value = section.get(name, getattr(defaults, name))
        key = f"scoring.{name}"
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise error(key, f"应为分值（数字），例如 {name} = {getattr(defaults, name):g}")
        if not 0 <= value <= 1000:
            raise error(key, f"应在 0 到 1000 之间，现为 {value}")
        points[name] = float(value)
    unknown = sorted(set(section) - {*_POINTS, "period"})
    if unknown:
        raise error(f"scoring.{unknown[0]}", "不是考核规则的设置项，可用：" + "、".join((*_POINTS, "period")))
    period = section.get("period", defaults.period)
    if period not in PERIODS:
        raise error("scoring.period", f'应为 "month"、"quarter" 或 "year"，现为 {period!r}')
    return ScoringRules(
        start=points["start"],
        overdue_lead=points["overdue_lead"],
        overdue_co=points["overdue_co"],
        late_report=points["late_report"],
        missing_report=points["missing_report"],
        interview=points["interview"],
        returned=points["returned"],
        early_done=points["early_done"],
        credit_cap=points["credit_cap"],
        period=period,
    )
