"""`python main.py plan diff|update [KEY] NEW_FILE`, `plan add KEY FILE`, `plan retire KEY`: a deployment's plans
revised, added and retired on its data folder — refused (AlreadyRunning, naming the PID) while a bot runs on it."""

from __future__ import annotations

import json
from pathlib import Path

from storage.plan_scope import PlanScope
from storage.plan_snapshot import read_stored_plan, write_stored_plan
from supervisor_bot.app.clock import SystemClock
from supervisor_bot.composition.deployment import active, open_store
from supervisor_bot.composition.plans import plan_folder, retire, retired
from supervisor_bot.core.plan_diff import PlanDiff, PlanMeasure, diff_plans, plan_measures
from supervisor_bot.core.plan_names import unresolved_names
from supervisor_bot.exports.matrix_summary import warnings_lines
from supervisor_bot.services.plan_update import apply_plan_update
from supervisor_bot.services.plans import load_plan
from supervisor_bot.settings.errors import ConfigError
from supervisor_bot.settings.plans import MOVING, PlanSettings, check_key
from supervisor_bot.settings.settings import Settings, load_settings
from supervisor_bot.views import plans as texts


def _plan_of(settings: Settings, key: str) -> PlanSettings:
    """The plan `key` names (no key: the one plan of a `[plan]` deployment)."""
    if not key and settings.keyed:
        keys = "、".join(p.key for p in settings.plans)
        raise ConfigError(
            settings.source, "plans", f"有多个方案（{keys}），请写明方案简称，例如 plan diff 稳就业 新方案.docx"
        )
    found = next((p for p in settings.plans if p.key == key), None)
    if found is None:
        known = "、".join(p.key for p in settings.plans if p.key) or "无（单一方案，[plan] 小节）"
        raise ConfigError(settings.source, "plans", f"没有简称为“{key}”的方案；已有：{known}")
    return found


def _compared(key: str, new_file: Path) -> tuple[Settings, str, tuple[PlanMeasure, ...], PlanDiff]:
    """The settings, where the old plan comes from, the new plan's measures and the diff; the new plan's
    warnings (docs/plans.md) are listed first."""
    settings = load_settings()
    plan = _plan_of(settings, key)
    stored = read_stored_plan(plan_folder(settings.data_dir, key))
    if stored is not None:
        old, origin = stored.measures, f"已存数据（{stored.source}）"
    else:
        old, origin = plan_measures(load_plan(plan.file, settings.departments_file).matrix), str(plan.file)
    new = load_plan(new_file, settings.departments_file)
    if new.problems:
        print("\n".join([f"{new_file}：", *warnings_lines(new.problems)]))
    measures = plan_measures(new.matrix)
    return settings, origin, measures, diff_plans(old, measures)


def diff(new_file: Path, key: str = "") -> int:
    _, origin, _, found = _compared(key, new_file)
    print(texts.diff_text(found, origin, str(new_file)))
    return 0


def update(new_file: Path, key: str = "") -> int:
    """The data folder is changed here: refused (AlreadyRunning, naming the PID) while a bot runs on it."""
    settings, origin, measures, found = _compared(key, new_file)
    print(texts.diff_text(found, origin, str(new_file)))
    now = SystemClock().now()
    with active(settings):
        if found.changes:
            store = open_store(settings)
            try:
                view = PlanScope(store, key) if key else store
                updated = apply_plan_update(view, found, str(new_file), now)
            finally:
                store.close()
            print(texts.updated_text(found, updated.resent, str(new_file)))
        write_stored_plan(plan_folder(settings.data_dir, key), measures, new_file, now)
    plan = _plan_of(settings, key)
    if new_file.resolve() != plan.file.resolve():
        where = f"方案“{key}”的 [[plans]] file" if key else "[plan] file"
        print(f"请将 {settings.source} 中{where}改为 {new_file}，再启动机器人。")
    return 0


def add(key: str, file: Path) -> int:
    """A new plan beside the others: checked (its key, its units in the registry), recorded in the data folder,
    and its `[[plans]]` entry added to the settings file; its first round opens on its cadence."""
    settings = load_settings()
    if not settings.keyed:
        raise ConfigError(settings.source, "[plan]", "单一方案的部署不能直接添加方案。" + MOVING)
    check_key(settings.source, "plan add", key)
    if any(p.key == key for p in settings.plans) or plan_folder(settings.data_dir, key).exists():
        raise ConfigError(settings.source, "plans", f"已有简称为“{key}”的方案，请换一个简称")
    imported = load_plan(file, settings.departments_file)
    unknown = unresolved_names(imported.problems)
    if unknown:
        names = "；".join(name.summary for name in unknown)
        raise ConfigError(file, "", f"以下单位不在单位名录 {settings.departments_file} 中：{names}。请先登记再添加")
    now = SystemClock().now()
    with active(settings):
        write_stored_plan(plan_folder(settings.data_dir, key), plan_measures(imported.matrix), file, now)
        with settings.source.open("a", encoding="utf-8") as out:
            out.write(f'\n[[plans]]\nkey = "{key}"\nfile = {json.dumps(str(file.resolve()), ensure_ascii=False)}\n')
    m = imported.matrix
    print(f"已添加方案“{key}”：{len(m.measures)}项措施、{len(m.departments)}个责任单位（{file}）。")
    print(f"已在 {settings.source} 末尾加入它的 [[plans]] 一节（可补充 title 和 rounds）；重启机器人后按期开启报送。")
    return 0


def retire_plan(key: str) -> int:
    """No more rounds for the plan; its history stays in the data folder and on the dashboard."""
    settings = load_settings()
    _plan_of(settings, key)
    if not key:
        raise ConfigError(settings.source, "plans", "请写明要停止督办的方案简称")
    if retired(settings.data_dir, key):
        print(f"方案“{key}”已停止督办，无需再次操作。")
        return 0
    with active(settings):
        retire(settings.data_dir, key, SystemClock().now())
    print(f"方案“{key}”已停止督办：不再开启报送，历史记录保留，可在看板和 /status {key} 中查看。重启机器人后生效。")
    return 0
