"""`check-config` on the plans: each plan's file read with the shared registry (a missing file, a unit unknown to
the registry), its stored plan, its rounds; how to move from `[plan]` to `[[plans]]`, and whether a one-plan
data folder can move."""

from __future__ import annotations

from supervisor_bot.cli.check_more import Report, names_problems, stored_plan
from supervisor_bot.composition.plans import legacy_owner, retired
from supervisor_bot.core.plan_import import ImportResult
from supervisor_bot.services.plans import load_plan
from supervisor_bot.settings.errors import ConfigError
from supervisor_bot.settings.plans import MOVING
from supervisor_bot.settings.settings import Settings


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
        if plan.key and retired(settings.data_dir, plan.key):
            report.ok.append(f"方案“{plan.key}”已停止督办（plan retire）：不再开启报送，历史记录保留")
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
