"""`python main.py plan diff|update NEW_FILE`: a revised plan against the stored data, shown or applied."""

from __future__ import annotations

from pathlib import Path

from storage.plan_snapshot import read_stored_plan, write_stored_plan
from storage.tinydb_store import TinyStore
from supervisor_bot.app.clock import SystemClock
from supervisor_bot.composition.lock import data_dir_lock
from supervisor_bot.core.plan_diff import PlanDiff, PlanMeasure, diff_plans, plan_measures
from supervisor_bot.exports.matrix_summary import warnings_lines
from supervisor_bot.services.plan_update import apply_plan_update
from supervisor_bot.services.plans import load_plan
from supervisor_bot.settings.settings import Settings, load_settings
from supervisor_bot.views import plans as texts


def _compared(new_file: Path) -> tuple[Settings, str, tuple[PlanMeasure, ...], PlanDiff]:
    """The settings, where the old plan comes from, the new plan's measures and the diff; the new plan's
    warnings (docs/plans.md) are listed first."""
    settings = load_settings()
    stored = read_stored_plan(settings.data_dir)
    if stored is not None:
        old, origin = stored.measures, f"已存数据（{stored.source}）"
    else:
        old, origin = (
            plan_measures(load_plan(settings.plan_file, settings.departments_file).matrix),
            str(settings.plan_file),
        )
    new = load_plan(new_file, settings.departments_file)
    if new.problems:
        print("\n".join([f"{new_file}：", *warnings_lines(new.problems)]))
    measures = plan_measures(new.matrix)
    return settings, origin, measures, diff_plans(old, measures)


def diff(new_file: Path) -> int:
    _, origin, _, found = _compared(new_file)
    print(texts.diff_text(found, origin, str(new_file)))
    return 0


def update(new_file: Path) -> int:
    """The data folder is changed here: refused (AlreadyRunning, naming the PID) while a bot runs on it."""
    settings, origin, measures, found = _compared(new_file)
    print(texts.diff_text(found, origin, str(new_file)))
    now = SystemClock().now()
    with data_dir_lock(settings.data_dir):
        if found.changes:
            store = TinyStore(settings.data_dir)
            try:
                updated = apply_plan_update(store, found, str(new_file), now)
            finally:
                store.close()
            print(texts.updated_text(found, updated.resent, str(new_file)))
        write_stored_plan(settings.data_dir, measures, new_file, now)
    if new_file.resolve() != settings.plan_file.resolve():
        print(f"请将 {settings.source} 中的 [plan] file 改为 {new_file}，再启动机器人。")
    return 0
