"""`check-config` on the plans: each plan's file read with the shared registry (a missing file, a unit unknown to
the registry), its stored plan, its rounds; how to move from `[plan]` to `[[plans]]`, and whether a one-plan
data folder can move."""

from __future__ import annotations

from supervisor_bot.cli.check_more import Report, names_problems, stored_plan
from supervisor_bot.composition.plans import legacy_owner, retired
from supervisor_bot.core.plan_import import ImportResult
from supervisor_bot.core.schedule import Cadence, RoundSchedule
from supervisor_bot.services.plans import load_plan
from supervisor_bot.settings.errors import ConfigError
from supervisor_bot.settings.plans import MOVING
from supervisor_bot.settings.settings import Settings

_WEEKDAYS = "一二三四五六日"


def opening_day(s: RoundSchedule) -> str:
    if s.cadence is Cadence.MONTHLY:
        return f"每月{s.monthday}日（非工作日顺延）"
    if s.cadence is Cadence.QUARTERLY:
        return f"每季度第{s.month_of_quarter}个月{s.monthday}日（非工作日顺延）"
    return f"每周{_WEEKDAYS[s.weekday]}"


def rounds_line(s: RoundSchedule) -> str:
    return f"{opening_day(s)} {s.opens_at:%H:%M} 开启，{s.due_workdays}个工作日后 {s.due_at:%H:%M} 截止（{s.timezone}）"


def check_plans(settings: Settings, report: Report) -> dict[str, ImportResult]:
    """Every plan read and checked; the plans that could be read, by key."""
    found: dict[str, ImportResult] = {}
    for plan in settings.plans:
        name = f"方案“{plan.key}”" if plan.key else "分工方案"
        try:
            imported = load_plan(plan.file, settings.departments_file)
        except (ConfigError, ValueError) as error:
            report.errors.append(f"{name}：{error}" if plan.key else str(error))
            continue
        m = imported.matrix
        report.ok.append(
            f"{name}：{len(m.sections)}个部分、{len(m.measures)}项措施、{len(m.departments)}个责任单位（{plan.file}）"
        )
        names_problems(settings, imported, report, plan.file)
        if plan.key:
            state = "，已停止督办（plan retire）" if retired(settings.data_dir, plan.key) else ""
            report.ok.append(f"方案“{plan.key}”报送安排：{rounds_line(plan.schedule)}{state}")
        found[plan.key] = imported
    if not settings.keyed:
        report.ok.append("单一方案（[plan] 小节）。如需同时督办多个方案：" + MOVING)
        return found
    _legacy(settings, found, report)
    return found


def stored_plans(settings: Settings, found: dict[str, ImportResult], report: Report) -> None:
    for key, imported in found.items():
        stored_plan(settings, imported, report, key)


def _legacy(settings: Settings, found: dict[str, ImportResult], report: Report) -> None:
    """A one-plan data folder under `[[plans]]`: which plan its records go to at the next start."""
    try:
        owner = legacy_owner(settings, {key: imported.matrix for key, imported in found.items()})
    except ConfigError as error:
        report.errors.append(str(error))
        return
    if owner is not None:
        report.ok.append(f"数据目录中是单一方案的数据：下次启动时全部归入方案“{owner}”，历史记录不变")
